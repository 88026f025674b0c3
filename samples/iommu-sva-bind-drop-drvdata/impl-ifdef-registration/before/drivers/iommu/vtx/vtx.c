// SPDX-License-Identifier: GPL-2.0-only
/*
 * vtx: a made-up IOMMU whose SVA support is a configuration option.
 */

#include <linux/iommu.h>

static struct iommu_sva *vtx_user_bind(struct device *dev, struct mm_struct *mm);

#ifdef CONFIG_VTX_SVM
static struct iommu_sva *vtx_sva_bind(struct device *dev, struct mm_struct *mm,
				      void *drvdata)
{
	if (!mm)
		return ERR_PTR(-EINVAL);

	return vtx_user_bind(dev, mm);
}
#endif

static const struct iommu_ops vtx_iommu_ops = {
	.sva_unbind		= NULL,
#ifdef CONFIG_VTX_SVM
	.sva_bind		= vtx_sva_bind,
#endif
};
