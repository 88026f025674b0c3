// SPDX-License-Identifier: GPL-2.0
/*
 * xdma: a made-up DMA engine that binds the kernel's address space.
 */

#include <linux/iommu.h>
#include <linux/intel-svm.h>

struct xdma_device {
	struct device *dev;
	struct iommu_sva *sva;
	void *bind_data;
};

static int xdma_enable_system_pasid(struct xdma_device *xdma)
{
	int flags;

	flags = SVM_FLAG_SUPERVISOR_MODE;

	xdma->sva = iommu_sva_bind_device(xdma->dev, NULL, &flags);
	if (IS_ERR(xdma->sva))
		return PTR_ERR(xdma->sva);

	return 0;
}

static int xdma_bind_private(struct xdma_device *xdma)
{
	xdma->sva = iommu_sva_bind_device(xdma->dev, current->mm,
					  xdma->bind_data);
	return PTR_ERR_OR_ZERO(xdma->sva);
}
