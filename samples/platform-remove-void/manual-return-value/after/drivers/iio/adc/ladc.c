// SPDX-License-Identifier: GPL-2.0
/*
 * ladc: an ADC that refuses to go while a conversion runs (sample tree).
 */

#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

struct ladc {
	void __iomem *base;
	bool busy;
};

static int ladc_probe(struct platform_device *pdev)
{
	struct ladc *adc;

	adc = devm_kzalloc(&pdev->dev, sizeof(*adc), GFP_KERNEL);
	if (!adc)
		return -ENOMEM;

	platform_set_drvdata(pdev, adc);
	return 0;
}

static int ladc_remove(struct platform_device *pdev)
{
	struct ladc *adc = platform_get_drvdata(pdev);

	if (adc->busy) {
		dev_err(&pdev->dev, "conversion in progress\n");
		return -EBUSY;
	}

	writel(0, adc->base);

	return 0;
}

static struct platform_driver ladc_driver = {
	.probe = ladc_probe,
	.remove = ladc_remove,
	.driver = {
		.name = "ladc",
	},
};
module_platform_driver(ladc_driver);

MODULE_LICENSE("GPL");
