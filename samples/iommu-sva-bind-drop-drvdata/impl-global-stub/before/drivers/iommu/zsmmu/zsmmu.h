/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZSMMU_H
#define _ZSMMU_H

#include <linux/iommu.h>

#ifdef CONFIG_ZSMMU_SVA
bool zsmmu_sva_supported(struct device *dev);
struct iommu_sva *zsmmu_sva_bind(struct device *dev, struct mm_struct *mm,
				 void *drvdata);
void zsmmu_sva_unbind(struct iommu_sva *handle);
#else /* CONFIG_ZSMMU_SVA */
static inline bool zsmmu_sva_supported(struct device *dev)
{
	return false;
}

static inline struct iommu_sva *
zsmmu_sva_bind(struct device *dev, struct mm_struct *mm, void *drvdata)
{
	return ERR_PTR(-ENODEV);
}

static inline void zsmmu_sva_unbind(struct iommu_sva *handle) {}
#endif /* CONFIG_ZSMMU_SVA */

#endif /* _ZSMMU_H */
