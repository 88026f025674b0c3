// SPDX-License-Identifier: GPL-2.0
/*
 * aqa: a pin controller whose static chip_remove only returns 0. The
 * bqb driver next door has a static chip_remove of its own (sample tree).
 */

#include <linux/module.h>
#include <linux/platform_device.h>

struct aqa_pinctrl {
	struct device *dev;
	unsigned int npins;
};

static int chip_probe(struct platform_device *pdev)
{
	struct aqa_pinctrl *pc;

	pc = devm_kzalloc(&pdev->dev, sizeof(*pc), GFP_KERNEL);
	if (!pc)
		return -ENOMEM;

	platform_set_drvdata(pdev, pc);
	return 0;
}

static int chip_remove(struct platform_device *pdev)
{
	struct aqa_pinctrl *pc = platform_get_drvdata(pdev);

	pc->npins = 0;

	return 0;
}

static struct platform_driver aqa_pinctrl_driver = {
	.probe = chip_probe,
	.remove = chip_remove,
	.driver = {
		.name = "pinctrl-aqa",
	},
};
module_platform_driver(aqa_pinctrl_driver);

MODULE_LICENSE("GPL");
