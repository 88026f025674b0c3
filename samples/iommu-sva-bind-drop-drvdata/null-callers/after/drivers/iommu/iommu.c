// SPDX-License-Identifier: GPL-2.0-only
/*
 * A made-up IOMMU core, reduced to the SVA bind entry point.
 */

#include <linux/iommu.h>
#include <linux/export.h>

/**
 * iommu_sva_bind_device() - Bind a process address space to a device
 * @dev: the device
 * @mm: the mm to bind, caller must hold a reference to it
 *
 * On error, returns an ERR_PTR value.
 */
struct iommu_sva *
iommu_sva_bind_device(struct device *dev, struct mm_struct *mm)
{
	const struct iommu_ops *ops = dev_iommu_ops(dev);

	if (!ops->sva_bind)
		return ERR_PTR(-ENODEV);

	return ops->sva_bind(dev, mm);
}
EXPORT_SYMBOL_GPL(iommu_sva_bind_device);
