// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmuy: an IOMMU without supervisor PASIDs whose bind starts with a
 * commented check (sample tree).
 */

#include <linux/err.h>
#include <linux/iommu.h>

struct smmuy_master {
	bool sva_enabled;
};

struct iommu_sva *smmuy_new_bond(struct device *dev, struct mm_struct *mm);

static struct iommu_sva *
smmuy_sva_bind(struct device *dev, struct mm_struct *mm, void *drvdata)
{
	struct smmuy_master *master = dev_iommu_priv_get(dev);

	/* Only masters that enabled SVA may share an address space */
	if (!master->sva_enabled)
		return ERR_PTR(-ENODEV);

	return smmuy_new_bond(dev, mm);
}

static const struct iommu_ops smmuy_ops = {
	.sva_bind	= smmuy_sva_bind,
};
