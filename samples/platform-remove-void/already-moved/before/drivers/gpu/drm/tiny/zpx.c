// SPDX-License-Identifier: GPL-2.0
/*
 * zpx: a tiny display driver converted to .remove_new already (sample tree).
 */

#include <linux/module.h>
#include <linux/platform_device.h>

struct zpx {
	struct device *dev;
	bool enabled;
};

static int zpx_probe(struct platform_device *pdev)
{
	struct zpx *zpx;

	zpx = devm_kzalloc(&pdev->dev, sizeof(*zpx), GFP_KERNEL);
	if (!zpx)
		return -ENOMEM;

	zpx->dev = &pdev->dev;
	platform_set_drvdata(pdev, zpx);
	return 0;
}

static void zpx_remove(struct platform_device *pdev)
{
	struct zpx *zpx = platform_get_drvdata(pdev);

	if (!zpx->enabled)
		return;

	zpx->enabled = false;
}

static struct platform_driver zpx_driver = {
	.probe = zpx_probe,
	.remove_new = zpx_remove,
	.driver = {
		.name = "zpx-drm",
	},
};
module_platform_driver(zpx_driver);

MODULE_LICENSE("GPL");
