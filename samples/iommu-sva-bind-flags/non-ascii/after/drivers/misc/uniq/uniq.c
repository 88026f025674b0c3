// SPDX-License-Identifier: GPL-2.0
/*
 * uniq: Ünïcödé — déjà vu. A queue named by Zoë, tested by Łukasz 🐧
 * (sample tree).
 */

#include <linux/iommu.h>
#include <linux/sched.h>

static const char uniq_name[] = "naïve-q";	/* « naïve » */

struct uniq_dev {
	struct device *dev;
	struct iommu_sva *sva;
};

int uniq_bind(struct uniq_dev *ud)
{
	ud->sva = iommu_sva_bind_device(ud->dev, /* ü — 🐧 */ current->mm, 0);
	return PTR_ERR_OR_ZERO(ud->sva);
}

int uniq_bind_kernel(struct uniq_dev *ud)
{
	pr_debug("%s: « bind » — naïve\n", uniq_name); /* 𝔘𝔫𝔦 */
	ud->sva = iommu_sva_bind_device(ud->dev, NULL, 0); /* ça va */
	return PTR_ERR_OR_ZERO(ud->sva);
}
