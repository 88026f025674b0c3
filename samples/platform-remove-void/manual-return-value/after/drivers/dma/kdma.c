// SPDX-License-Identifier: GPL-2.0
/*
 * kdma: a DMA engine whose remove passes on the result of stopping the
 * hardware (sample tree).
 */

#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#define KDMA_CTRL	0x00
#define KDMA_STATUS	0x04
#define KDMA_IDLE	BIT(0)

struct kdma {
	void __iomem *base;
};

static int kdma_hw_stop(struct kdma *kd)
{
	u32 val;

	writel(0, kd->base + KDMA_CTRL);
	return readl_poll_timeout(kd->base + KDMA_STATUS, val,
				  val & KDMA_IDLE, 10, 1000);
}

static int kdma_probe(struct platform_device *pdev)
{
	struct kdma *kd;

	kd = devm_kzalloc(&pdev->dev, sizeof(*kd), GFP_KERNEL);
	if (!kd)
		return -ENOMEM;

	kd->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(kd->base))
		return PTR_ERR(kd->base);

	platform_set_drvdata(pdev, kd);
	return 0;
}

static int kdma_remove(struct platform_device *pdev)
{
	struct kdma *kd = platform_get_drvdata(pdev);
	int ret;

	ret = kdma_hw_stop(kd);
	if (ret)
		dev_err(&pdev->dev, "engine did not stop: %d\n", ret);

	return ret;
}

static struct platform_driver kdma_driver = {
	.probe = kdma_probe,
	.remove = kdma_remove,
	.driver = {
		.name = "kdma",
	},
};
module_platform_driver(kdma_driver);

MODULE_LICENSE("GPL");
