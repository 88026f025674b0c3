// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for IOMMU drivers implementing SVA (sample tree, 6.12 shape).
 */

#include <linux/iommu.h>

/**
 * iommu_sva_bind_device() - Bind a process address space to a device
 * @dev: the device
 * @mm: the mm to bind, caller must hold a reference to mm_users
 */
struct iommu_sva *iommu_sva_bind_device(struct device *dev, struct mm_struct *mm)
{
	return sva_domain_attach(dev, mm);
}
EXPORT_SYMBOL_GPL(iommu_sva_bind_device);
