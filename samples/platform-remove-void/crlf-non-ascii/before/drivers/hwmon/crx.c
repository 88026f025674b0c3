// SPDX-License-Identifier: GPL-2.0
/*
 * crx: a fan controller checked in with CRLF line endings (sample tree).
 */

#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

struct crx {
	void __iomem *base;
	bool running;
};

static int crx_probe(struct platform_device *pdev)
{
	struct crx *crx;

	crx = devm_kzalloc(&pdev->dev, sizeof(*crx), GFP_KERNEL);
	if (!crx)
		return -ENOMEM;

	platform_set_drvdata(pdev, crx);
	return 0;
}

static int crx_remove(struct platform_device *pdev)
{
	struct crx *crx = platform_get_drvdata(pdev);

	if (!crx->running)
		return 0;

	writel(0, crx->base);

	return 0;
}

static struct platform_driver crx_driver = {
	.probe		= crx_probe,
	.remove		= crx_remove,
	.driver		= {
		.name	= "crx-fan",
	},
};
module_platform_driver(crx_driver);

MODULE_LICENSE("GPL");
