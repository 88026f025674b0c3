/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A reduced IOMMU API in the shape of Linux 6.12 (sample tree): the SVA bind
 * takes the device and the mm only; there is no drvdata and no flags.
 */

#ifndef __LINUX_IOMMU_H
#define __LINUX_IOMMU_H

#include <linux/err.h>

struct device;
struct mm_struct;
struct iommu_sva;

#ifdef CONFIG_IOMMU_SVA
struct iommu_sva *iommu_sva_bind_device(struct device *dev,
					struct mm_struct *mm);
void iommu_sva_unbind_device(struct iommu_sva *handle);
#else
static inline struct iommu_sva *
iommu_sva_bind_device(struct device *dev, struct mm_struct *mm)
{
	return ERR_PTR(-ENODEV);
}

static inline void iommu_sva_unbind_device(struct iommu_sva *handle)
{
}
#endif /* CONFIG_IOMMU_SVA */

#endif /* __LINUX_IOMMU_H */
