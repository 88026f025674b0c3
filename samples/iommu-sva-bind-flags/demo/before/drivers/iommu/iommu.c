// SPDX-License-Identifier: GPL-2.0-only
/*
 * Core of the demo IOMMU layer: the SVA entry points drivers call.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/iommu.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(iommu_sva_lock);

/**
 * iommu_sva_bind_device() - Share a process address space with a device
 * @dev: the device
 * @mm: the address space; the caller holds a reference to it
 * @drvdata: opaque pointer for the IOMMU driver
 *
 * After a successful bind the device may issue DMA tagged with the PASID of
 * the bond and reach @mm through it. Undo with iommu_sva_unbind_device().
 *
 * Return: the bond, or an ERR_PTR() on failure.
 */
struct iommu_sva *
iommu_sva_bind_device(struct device *dev, struct mm_struct *mm, void *drvdata)
{
	const struct iommu_ops *ops = dev_iommu_ops(dev);
	struct iommu_sva *handle;

	if (!ops->sva_bind)
		return ERR_PTR(-ENODEV);

	mutex_lock(&iommu_sva_lock);
	handle = ops->sva_bind(dev, mm, drvdata);
	mutex_unlock(&iommu_sva_lock);

	return handle;
}
EXPORT_SYMBOL_GPL(iommu_sva_bind_device);

/**
 * iommu_sva_unbind_device() - Remove a bond
 * @handle: what iommu_sva_bind_device() returned
 */
void iommu_sva_unbind_device(struct iommu_sva *handle)
{
	const struct iommu_ops *ops = dev_iommu_ops(handle->dev);

	mutex_lock(&iommu_sva_lock);
	ops->sva_unbind(handle);
	mutex_unlock(&iommu_sva_lock);
}
EXPORT_SYMBOL_GPL(iommu_sva_unbind_device);
