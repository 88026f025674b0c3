// SPDX-License-Identifier: GPL-2.0
/*
 * ambx: one interconnect probed as an AMBA device on some boards and as a
 * platform device on others. Only the platform driver's .remove is the
 * one that moves (sample tree).
 */

#include <linux/amba/bus.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/platform_device.h>

static void ambx_quiesce(struct device *dev)
{
	dev_dbg(dev, "quiesced\n");
}

static int ambx_amba_probe(struct amba_device *adev, const struct amba_id *id)
{
	return 0;
}

static int ambx_amba_remove(struct amba_device *adev)
{
	ambx_quiesce(&adev->dev);

	return 0;
}

static struct amba_driver ambx_amba_driver = {
	.drv = {
		.name = "ambx-amba",
	},
	.probe = ambx_amba_probe,
	.remove = ambx_amba_remove,
};

static int ambx_plat_probe(struct platform_device *pdev)
{
	return 0;
}

static void ambx_plat_remove(struct platform_device *pdev)
{
	ambx_quiesce(&pdev->dev);
}

static struct platform_driver ambx_plat_driver = {
	.probe = ambx_plat_probe,
	.remove_new = ambx_plat_remove,
	.driver = {
		.name = "ambx",
	},
};

static int __init ambx_init(void)
{
	int ret;

	ret = amba_driver_register(&ambx_amba_driver);
	if (ret)
		return ret;

	ret = platform_driver_register(&ambx_plat_driver);
	if (ret)
		amba_driver_unregister(&ambx_amba_driver);

	return ret;
}
module_init(ambx_init);

MODULE_LICENSE("GPL");
