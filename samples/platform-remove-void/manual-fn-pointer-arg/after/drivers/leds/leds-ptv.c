// SPDX-License-Identifier: GPL-2.0
/*
 * ptv: an LED controller that hands its remove callback to a helper as a
 * function pointer of the old type (sample tree).
 */

#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

typedef int (*ptv_teardown_t)(struct platform_device *pdev);

struct ptv {
	void __iomem *base;
	ptv_teardown_t teardown;
};

static int ptv_remove(struct platform_device *pdev)
{
	struct ptv *ptv = platform_get_drvdata(pdev);

	writel(0, ptv->base);

	return 0;
}

static int ptv_set_teardown(struct ptv *ptv, ptv_teardown_t fn)
{
	ptv->teardown = fn;
	return 0;
}

static int ptv_probe(struct platform_device *pdev)
{
	struct ptv *ptv;

	ptv = devm_kzalloc(&pdev->dev, sizeof(*ptv), GFP_KERNEL);
	if (!ptv)
		return -ENOMEM;

	platform_set_drvdata(pdev, ptv);
	return ptv_set_teardown(ptv, ptv_remove);
}

static struct platform_driver ptv_driver = {
	.probe = ptv_probe,
	.remove = ptv_remove,
	.driver = {
		.name = "leds-ptv",
	},
};
module_platform_driver(ptv_driver);

MODULE_LICENSE("GPL");
