// SPDX-License-Identifier: GPL-2.0-only
/*
 * pqx: an IOMMU without supervisor PASIDs, already on the flags API
 * (sample tree).
 */

#include <linux/err.h>
#include <linux/iommu.h>

static struct iommu_sva *pqx_sva_bind(struct device *dev,
				      struct mm_struct *mm,
				      unsigned int flags)
{
	if (flags)
		return ERR_PTR(-EINVAL);

	return ERR_PTR(-ENODEV);
}

static void pqx_sva_unbind(struct iommu_sva *handle)
{
}

static const struct iommu_ops pqx_ops = {
	.sva_bind	= pqx_sva_bind,
	.sva_unbind	= pqx_sva_unbind,
};
