// SPDX-License-Identifier: GPL-2.0
/*
 * hxc: one SPI controller sold in two revisions; each revision has its own
 * platform driver and both share the teardown (sample tree).
 */

#include <linux/init.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#define HXC_ENABLE	0x04

struct hxc {
	void __iomem *base;
	unsigned int rev;
};

static int hxc_probe_rev(struct platform_device *pdev, unsigned int rev)
{
	struct hxc *hxc;

	hxc = devm_kzalloc(&pdev->dev, sizeof(*hxc), GFP_KERNEL);
	if (!hxc)
		return -ENOMEM;

	hxc->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(hxc->base))
		return PTR_ERR(hxc->base);

	hxc->rev = rev;
	platform_set_drvdata(pdev, hxc);
	return 0;
}

static int hxc_v1_probe(struct platform_device *pdev)
{
	return hxc_probe_rev(pdev, 1);
}

static int hxc_v2_probe(struct platform_device *pdev)
{
	return hxc_probe_rev(pdev, 2);
}

static void hxc_remove(struct platform_device *pdev)
{
	struct hxc *hxc = platform_get_drvdata(pdev);

	writel(0, hxc->base + HXC_ENABLE);
}

static struct platform_driver hxc_v1_driver = {
	.probe = hxc_v1_probe,
	.remove_new = hxc_remove,
	.driver = {
		.name = "hxc-spi-v1",
	},
};

static struct platform_driver hxc_v2_driver = {
	.probe = hxc_v2_probe,
	.remove_new = hxc_remove,
	.driver = {
		.name = "hxc-spi-v2",
	},
};

static struct platform_driver * const hxc_drivers[] = {
	&hxc_v1_driver,
	&hxc_v2_driver,
};

static int __init hxc_init(void)
{
	return platform_register_drivers(hxc_drivers, ARRAY_SIZE(hxc_drivers));
}
module_init(hxc_init);

static void __exit hxc_exit(void)
{
	platform_unregister_drivers(hxc_drivers, ARRAY_SIZE(hxc_drivers));
}
module_exit(hxc_exit);

MODULE_LICENSE("GPL");
