// SPDX-License-Identifier: GPL-2.0
/*
 * qacc: a made-up accelerator that shares process address spaces.
 */

#include <linux/iommu.h>
#include <linux/sched.h>

struct qacc_dev {
	struct device *parent;
	struct iommu_sva *handle;
	struct iommu_sva *kernel_handle;
	struct iommu_sva *spare_handle;
};

/* qacc_bind() calls iommu_sva_bind_device() for the opening process. */
static int qacc_bind(struct qacc_dev *qacc)
{
	qacc->handle = iommu_sva_bind_device(qacc->parent, current->mm);
	if (IS_ERR(qacc->handle))
		return PTR_ERR(qacc->handle);

	qacc->spare_handle = iommu_sva_bind_device(qacc->parent,
						   current->mm);
	if (IS_ERR(qacc->spare_handle))
		return PTR_ERR(qacc->spare_handle);

	qacc->kernel_handle = iommu_sva_bind_device(qacc->parent, current->mm);
	return PTR_ERR_OR_ZERO(qacc->kernel_handle);
}
