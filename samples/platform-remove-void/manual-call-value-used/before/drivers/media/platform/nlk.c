// SPDX-License-Identifier: GPL-2.0
/*
 * nlk: a video capture block whose reset path reuses remove and checks
 * what it returns (sample tree).
 */

#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

struct nlk {
	void __iomem *base;
};

static int nlk_probe(struct platform_device *pdev)
{
	struct nlk *nlk;

	nlk = devm_kzalloc(&pdev->dev, sizeof(*nlk), GFP_KERNEL);
	if (!nlk)
		return -ENOMEM;

	platform_set_drvdata(pdev, nlk);
	return 0;
}

static int nlk_remove(struct platform_device *pdev)
{
	struct nlk *nlk = platform_get_drvdata(pdev);

	writel(0, nlk->base);

	return 0;
}

int nlk_reset(struct platform_device *pdev)
{
	int ret;

	ret = nlk_remove(pdev);
	if (ret)
		return ret;

	return nlk_probe(pdev);
}

static struct platform_driver nlk_driver = {
	.probe = nlk_probe,
	.remove = nlk_remove,
	.driver = {
		.name = "nlk-capture",
	},
};
module_platform_driver(nlk_driver);

MODULE_LICENSE("GPL");
