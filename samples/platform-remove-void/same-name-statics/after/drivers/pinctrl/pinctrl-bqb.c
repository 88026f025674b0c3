// SPDX-License-Identifier: GPL-2.0
/*
 * bqb: a pin controller whose static chip_remove reports a failure to
 * release its pins (sample tree).
 */

#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

struct bqb_pinctrl {
	void __iomem *base;
};

static int chip_probe(struct platform_device *pdev)
{
	struct bqb_pinctrl *pc;

	pc = devm_kzalloc(&pdev->dev, sizeof(*pc), GFP_KERNEL);
	if (!pc)
		return -ENOMEM;

	platform_set_drvdata(pdev, pc);
	return 0;
}

static int chip_remove(struct platform_device *pdev)
{
	struct bqb_pinctrl *pc = platform_get_drvdata(pdev);

	if (readl(pc->base))
		return -EIO;

	return 0;
}

static struct platform_driver bqb_pinctrl_driver = {
	.probe = chip_probe,
	.remove = chip_remove,
	.driver = {
		.name = "pinctrl-bqb",
	},
};
module_platform_driver(bqb_pinctrl_driver);

MODULE_LICENSE("GPL");
