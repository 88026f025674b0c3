// SPDX-License-Identifier: GPL-2.0
/*
 * A made-up touch controller: the i2c driver.
 */

#include <linux/i2c.h>
#include <linux/module.h>

#include "tpz.h"

static const struct i2c_device_id tpz_i2c_id[] = {
	{ "tpz100", 0 },
	{ }
};
MODULE_DEVICE_TABLE(i2c, tpz_i2c_id);

static struct i2c_driver tpz_i2c_driver = {
	.driver = {
		.name = "tpz",
	},
	.probe = tpz_probe,
	.id_table = tpz_i2c_id,
};
module_i2c_driver(tpz_i2c_driver);

MODULE_LICENSE("GPL");
