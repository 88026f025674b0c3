/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __LINUX_IOMMU_H
#define __LINUX_IOMMU_H

#include <linux/err.h>

struct device;
struct mm_struct;
struct iommu_sva;

/**
 * struct iommu_ops - iommu ops and capabilities
 * @sva_bind: Bind process address space to device
 * @sva_unbind: Unbind process address space from device
 */
struct iommu_ops {
	struct iommu_sva *(*sva_bind)(struct device *dev, struct mm_struct *mm);
	void (*sva_unbind)(struct iommu_sva *handle);
};

#ifdef CONFIG_IOMMU_API

const struct iommu_ops *dev_iommu_ops(struct device *dev);
struct iommu_sva *iommu_sva_bind_device(struct device *dev,
					struct mm_struct *mm);
void iommu_sva_unbind_device(struct iommu_sva *handle);

#else /* CONFIG_IOMMU_API */

static inline struct iommu_sva *
iommu_sva_bind_device(struct device *dev, struct mm_struct *mm)
{
	return ERR_PTR(-ENODEV);
}

static inline void iommu_sva_unbind_device(struct iommu_sva *handle)
{
}

#endif /* CONFIG_IOMMU_API */

#endif /* __LINUX_IOMMU_H */
