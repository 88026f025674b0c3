// SPDX-License-Identifier: GPL-2.0
/*
 * pstub: two devices with next to nothing to undo (sample tree).
 */

#include <linux/init.h>
#include <linux/module.h>
#include <linux/platform_device.h>

static int pstub_probe(struct platform_device *pdev)
{
	return 0;
}

static int pstub_remove(struct platform_device *pdev)
{
	return 0;
}

static int pstub_led_remove(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "removed\n");
	return 0;
}

static struct platform_driver pstub_driver = {
	.probe = pstub_probe,
	.remove = pstub_remove,
	.driver = {
		.name = "pstub",
	},
};

static struct platform_driver pstub_led_driver = {
	.probe = pstub_probe,
	.remove = pstub_led_remove,
	.driver = {
		.name = "pstub-led",
	},
};

static struct platform_driver * const pstub_drivers[] = {
	&pstub_driver,
	&pstub_led_driver,
};

static int __init pstub_init(void)
{
	return platform_register_drivers(pstub_drivers, ARRAY_SIZE(pstub_drivers));
}
module_init(pstub_init);

MODULE_LICENSE("GPL");
