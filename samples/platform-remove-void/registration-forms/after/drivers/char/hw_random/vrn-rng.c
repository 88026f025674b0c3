// SPDX-License-Identifier: GPL-2.0
/*
 * vrn: a hardware random number generator registered by address, with
 * its initializer aligned on one tab (sample tree).
 */

#include <linux/hw_random.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

struct vrn_rng {
	struct hwrng rng;
	void __iomem *base;
};

static int vrn_rng_probe(struct platform_device *pdev)
{
	struct vrn_rng *vrn;

	vrn = devm_kzalloc(&pdev->dev, sizeof(*vrn), GFP_KERNEL);
	if (!vrn)
		return -ENOMEM;

	vrn->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(vrn->base))
		return PTR_ERR(vrn->base);

	vrn->rng.name = pdev->name;
	platform_set_drvdata(pdev, vrn);

	return hwrng_register(&vrn->rng);
}

static void vrn_rng_remove(struct platform_device *pdev)
{
	struct vrn_rng *vrn = platform_get_drvdata(pdev);

	hwrng_unregister(&vrn->rng);
}

static struct platform_driver vrn_rng_driver = {
	.probe	= &vrn_rng_probe,
	.remove_new = &vrn_rng_remove,
	.driver	= {
		.name = "vrn-rng",
	},
};
module_platform_driver(vrn_rng_driver);

MODULE_LICENSE("GPL");
