/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A reduced IOMMU API for the kmigrate demo tree: just enough of the
 * shared virtual addressing (SVA) interface to show the migration.
 */

#ifndef __LINUX_IOMMU_H
#define __LINUX_IOMMU_H

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/types.h>

#define IOMMU_READ	(1 << 0)
#define IOMMU_WRITE	(1 << 1)

#define IOMMU_PASID_INVALID	(-1U)

struct device;
struct mm_struct;

/**
 * struct iommu_sva - handle to a device-mm bond
 * @dev: the device that is bound
 */
struct iommu_sva {
	struct device *dev;
};

#ifdef CONFIG_IOMMU_API

/**
 * struct iommu_ops - what an IOMMU driver provides to the core
 * @capable: report whether the IOMMU has a capability
 * @probe_device: add a device to the driver's care
 * @sva_bind: bind a process address space to a device
 * @sva_unbind: undo what @sva_bind did
 * @sva_get_pasid: the PASID a bond uses
 * @pgsize_bitmap: the page sizes the driver can map
 */
struct iommu_ops {
	bool (*capable)(struct device *dev, int cap);
	int (*probe_device)(struct device *dev);
	struct iommu_sva *(*sva_bind)(struct device *dev, struct mm_struct *mm,
				      void *drvdata);
	void (*sva_unbind)(struct iommu_sva *handle);
	u32 (*sva_get_pasid)(struct iommu_sva *handle);
	unsigned long pgsize_bitmap;
};

const struct iommu_ops *dev_iommu_ops(struct device *dev);

struct iommu_sva *iommu_sva_bind_device(struct device *dev,
					struct mm_struct *mm,
					void *drvdata);
void iommu_sva_unbind_device(struct iommu_sva *handle);
u32 iommu_sva_get_pasid(struct iommu_sva *handle);

#else /* CONFIG_IOMMU_API */

static inline struct iommu_sva *
iommu_sva_bind_device(struct device *dev, struct mm_struct *mm, void *drvdata)
{
	return NULL;
}

static inline void iommu_sva_unbind_device(struct iommu_sva *handle)
{
}

static inline u32 iommu_sva_get_pasid(struct iommu_sva *handle)
{
	return IOMMU_PASID_INVALID;
}

#endif /* CONFIG_IOMMU_API */

#endif /* __LINUX_IOMMU_H */
