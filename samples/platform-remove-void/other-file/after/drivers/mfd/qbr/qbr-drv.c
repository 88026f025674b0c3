// SPDX-License-Identifier: GPL-2.0
/*
 * qbr driver: only the registration; the callbacks are in qbr-core.c
 * (sample tree).
 */

#include <linux/module.h>
#include <linux/of.h>
#include "qbr.h"

static const struct of_device_id qbr_of_match[] = {
	{ .compatible = "acme,qbr" },
	{ }
};
MODULE_DEVICE_TABLE(of, qbr_of_match);

static struct platform_driver qbr_driver = {
	.probe = qbr_probe,
	.remove_new = qbr_remove,
	.driver = {
		.name = "qbr",
		.of_match_table = qbr_of_match,
	},
};
module_platform_driver(qbr_driver);

MODULE_LICENSE("GPL");
