// SPDX-License-Identifier: GPL-2.0
/*
 * pmon: a power monitor on a memory-mapped bus (sample tree).
 */

#include <linux/clk.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

struct pmon {
	struct clk *clk;
	void __iomem *base;
};

static int pmon_probe(struct platform_device *pdev)
{
	struct pmon *pm;

	pm = devm_kzalloc(&pdev->dev, sizeof(*pm), GFP_KERNEL);
	if (!pm)
		return -ENOMEM;

	pm->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(pm->base))
		return PTR_ERR(pm->base);

	pm->clk = devm_clk_get_enabled(&pdev->dev, NULL);
	if (IS_ERR(pm->clk))
		return PTR_ERR(pm->clk);

	platform_set_drvdata(pdev, pm);
	return 0;
}

static int pmon_remove(struct platform_device *pdev)
{
	struct pmon *pm = platform_get_drvdata(pdev);

	writel(0, pm->base);

	return 0;
}

static struct platform_driver pmon_driver = {
	.probe = pmon_probe,
	.remove = pmon_remove,
	.driver = {
		.name = "pmon",
	},
};
module_platform_driver(pmon_driver);

MODULE_DESCRIPTION("pmon power monitor (sample)");
MODULE_LICENSE("GPL");
