// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SVA entry point, documented at length (sample tree).
 */

#include <linux/err.h>
#include <linux/export.h>
#include <linux/iommu.h>

/**
 * iommu_sva_bind_device() - Share a process address space with a device
 * @dev: the device
 * @mm: the address space; the caller holds a reference to it
 * @drvdata: opaque pointer that the core passes, unchanged, to the
 *           IOMMU driver's bind callback
 *
 * Return: the bond, or an ERR_PTR() on failure.
 */
struct iommu_sva *
iommu_sva_bind_device(struct device *dev, struct mm_struct *mm, void *drvdata)
{
	const struct iommu_ops *ops = dev_iommu_ops(dev);

	if (!ops->sva_bind)
		return ERR_PTR(-ENODEV);

	return ops->sva_bind(dev, mm, drvdata);
}
EXPORT_SYMBOL_GPL(iommu_sva_bind_device);
