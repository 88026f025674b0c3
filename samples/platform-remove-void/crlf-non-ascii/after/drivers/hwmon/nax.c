// SPDX-License-Identifier: GPL-2.0
/*
 * nax: a thermal sensor (sample tree).
 *
 * Copyright © 2024 Jürgen Müller-Løvås <jm@example.org>
 */

#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

struct nax {
	void __iomem *base;
	int temp_mc;
};

static int nax_probe(struct platform_device *pdev)
{
	struct nax *nax;

	nax = devm_kzalloc(&pdev->dev, sizeof(*nax), GFP_KERNEL);
	if (!nax)
		return -ENOMEM;

	platform_set_drvdata(pdev, nax);
	return 0;
}

/* Called on unbind — the sensor keeps its alarm threshold (≥ 85 °C). */
static void nax_remove(struct platform_device *pdev)
{
	struct nax *nax = platform_get_drvdata(pdev);

	/* Über 85 °C: leave the fan at full speed, don't touch the alarm. */
	if (nax->temp_mc >= 85000)
		return;

	writel(0, nax->base); /* ← stops the sampling clock */
}

static struct platform_driver nax_driver = {
	.probe = nax_probe,
	.remove_new = nax_remove,
	.driver = {
		.name = "nax-thermal",	/* « nax » */
	},
};
module_platform_driver(nax_driver);

MODULE_AUTHOR("Jürgen Müller-Løvås");
MODULE_LICENSE("GPL");
