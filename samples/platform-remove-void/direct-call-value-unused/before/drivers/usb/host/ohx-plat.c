// SPDX-License-Identifier: GPL-2.0
/*
 * ohx: a USB host glue whose probe unwinds by calling its own remove and
 * ignoring what it returns (sample tree).
 */

#include <linux/clk.h>
#include <linux/module.h>
#include <linux/platform_device.h>

struct ohx {
	struct clk *clk;
	bool started;
};

static int ohx_start(struct ohx *ohx)
{
	ohx->started = true;
	return clk_prepare_enable(ohx->clk);
}

static int ohx_remove(struct platform_device *pdev)
{
	struct ohx *ohx = platform_get_drvdata(pdev);

	if (!ohx->started)
		return 0;

	clk_disable_unprepare(ohx->clk);
	ohx->started = false;

	return 0;
}

static int ohx_probe(struct platform_device *pdev)
{
	struct ohx *ohx;
	int ret;

	ohx = devm_kzalloc(&pdev->dev, sizeof(*ohx), GFP_KERNEL);
	if (!ohx)
		return -ENOMEM;

	ohx->clk = devm_clk_get(&pdev->dev, NULL);
	if (IS_ERR(ohx->clk))
		return PTR_ERR(ohx->clk);

	platform_set_drvdata(pdev, ohx);

	ret = ohx_start(ohx);
	if (ret) {
		ohx_remove(pdev);
		return ret;
	}

	return 0;
}

static struct platform_driver ohx_driver = {
	.probe = ohx_probe,
	.remove = ohx_remove,
	.driver = {
		.name = "ohx-plat",
	},
};
module_platform_driver(ohx_driver);

MODULE_LICENSE("GPL");
