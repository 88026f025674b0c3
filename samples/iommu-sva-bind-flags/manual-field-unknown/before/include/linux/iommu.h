/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A reduced IOMMU API for kmigrate's sample trees. The core is already
 * converted to explicit bind flags; the drivers of each sample are not.
 */

#ifndef __LINUX_IOMMU_H
#define __LINUX_IOMMU_H

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/types.h>

#define IOMMU_PASID_INVALID	(-1U)

/*
 * IOMMU_SVA_BIND_SUPERVISOR: the bond gives the device the kernel's static
 * 1:1 map and nothing else; kernel mappings get no automatic IOTLB flush.
 * Platform specific: an IOMMU driver may refuse it.
 */
#define IOMMU_SVA_BIND_SUPERVISOR	BIT(0)

struct device;
struct mm_struct;
struct iommu_sva;

#ifdef CONFIG_IOMMU_API

struct iommu_ops {
	int (*probe_device)(struct device *dev);
	struct iommu_sva *(*sva_bind)(struct device *dev, struct mm_struct *mm,
				      unsigned int flags);
	void (*sva_unbind)(struct iommu_sva *handle);
};

struct iommu_sva *iommu_sva_bind_device(struct device *dev,
					struct mm_struct *mm,
					unsigned int flags);
void iommu_sva_unbind_device(struct iommu_sva *handle);

#else /* CONFIG_IOMMU_API */

static inline struct iommu_sva *
iommu_sva_bind_device(struct device *dev, struct mm_struct *mm,
		      unsigned int flags)
{
	return NULL;
}

static inline void iommu_sva_unbind_device(struct iommu_sva *handle)
{
}

#endif /* CONFIG_IOMMU_API */

#endif /* __LINUX_IOMMU_H */
