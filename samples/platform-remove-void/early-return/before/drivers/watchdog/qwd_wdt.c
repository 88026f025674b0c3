// SPDX-License-Identifier: GPL-2.0
/*
 * qwd: a watchdog that may be left running across remove (sample tree).
 */

#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#define QWD_CTRL	0x00
#define QWD_CTRL_EN	BIT(0)

struct qwd {
	void __iomem *base;
	bool nowayout;
};

static int qwd_probe(struct platform_device *pdev)
{
	struct qwd *wd;

	wd = devm_kzalloc(&pdev->dev, sizeof(*wd), GFP_KERNEL);
	if (!wd)
		return -ENOMEM;

	wd->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(wd->base))
		return PTR_ERR(wd->base);

	platform_set_drvdata(pdev, wd);
	return 0;
}

static int qwd_remove(struct platform_device *pdev)
{
	struct qwd *wd = platform_get_drvdata(pdev);

	if (!wd)
		return 0;

	if (wd->nowayout) {
		dev_warn(&pdev->dev, "nowayout: leaving the watchdog running\n");
		return 0;
	}

	writel(0, wd->base + QWD_CTRL);

	return 0;
}

static struct platform_driver qwd_driver = {
	.probe = qwd_probe,
	.remove = qwd_remove,
	.driver = {
		.name = "qwd-wdt",
	},
};
module_platform_driver(qwd_driver);

MODULE_LICENSE("GPL");
