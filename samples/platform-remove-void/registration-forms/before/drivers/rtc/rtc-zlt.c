// SPDX-License-Identifier: GPL-2.0-only
/*
 * zlt: a battery-backed RTC whose remove lives in .exit.text (sample tree).
 */

#include <linux/init.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#define ZLT_IRQ_EN	0x10

struct zlt_rtc {
	void __iomem	*base;
	int		irq;
};

static int __init zlt_rtc_probe(struct platform_device *pdev)
{
	struct zlt_rtc *rtc;

	rtc = devm_kzalloc(&pdev->dev, sizeof(*rtc), GFP_KERNEL);
	if (!rtc)
		return -ENOMEM;

	rtc->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(rtc->base))
		return PTR_ERR(rtc->base);

	platform_set_drvdata(pdev, rtc);
	return 0;
}

static int __exit zlt_rtc_remove(struct platform_device *pdev)
{
	struct zlt_rtc *rtc = platform_get_drvdata(pdev);

	/* Alarms stay armed across a reboot; only the interrupt goes. */
	writel(0, rtc->base + ZLT_IRQ_EN);

	return 0;
}

static struct platform_driver zlt_rtc_driver = {
	.remove		= __exit_p(zlt_rtc_remove),
	.driver		= {
		.name	= "rtc-zlt",
	},
};

module_platform_driver_probe(zlt_rtc_driver, zlt_rtc_probe);

MODULE_DESCRIPTION("zlt RTC driver (sample)");
MODULE_LICENSE("GPL");
