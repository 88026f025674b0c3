// SPDX-License-Identifier: GPL-2.0
/*
 * lbl: a PWM controller whose remove ends on a label; deleting the final
 * return 0 would leave the label ending the block (sample tree).
 */

#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

struct lbl_pwm {
	void __iomem *base;
	unsigned int nchannels;
};

static int lbl_pwm_probe(struct platform_device *pdev)
{
	struct lbl_pwm *lp;

	lp = devm_kzalloc(&pdev->dev, sizeof(*lp), GFP_KERNEL);
	if (!lp)
		return -ENOMEM;

	platform_set_drvdata(pdev, lp);
	return 0;
}

static int lbl_pwm_remove(struct platform_device *pdev)
{
	struct lbl_pwm *lp = platform_get_drvdata(pdev);
	unsigned int i;

	if (!lp->base)
		goto out;

	for (i = 0; i < lp->nchannels; i++)
		writel(0, lp->base + 4 * i);

out:
	return 0;
}

static struct platform_driver lbl_pwm_driver = {
	.probe = lbl_pwm_probe,
	.remove = lbl_pwm_remove,
	.driver = {
		.name = "pwm-lbl",
	},
};
module_platform_driver(lbl_pwm_driver);

MODULE_LICENSE("GPL");
