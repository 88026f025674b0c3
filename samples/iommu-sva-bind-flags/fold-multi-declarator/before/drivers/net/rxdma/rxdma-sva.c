// SPDX-License-Identifier: GPL-2.0
/*
 * rxdma: receive rings in kernel memory reached through a supervisor
 * PASID (sample tree).
 */

#include <linux/intel-svm.h>
#include <linux/iommu.h>

struct rxdma {
	struct device *dev;
	struct iommu_sva *sva;
	int nr_queues;
};

int rxdma_start_queue(struct rxdma *rx, int q);

static int rxdma_bind_kernel(struct rxdma *rx)
{
	int ret, flags, count;
	struct iommu_sva *sva;

	flags = SVM_FLAG_SUPERVISOR_MODE;
	count = rx->nr_queues;

	sva = iommu_sva_bind_device(rx->dev, NULL, &flags);
	if (IS_ERR(sva))
		return PTR_ERR(sva);
	rx->sva = sva;

	for (ret = 0; count; count--)
		ret |= rxdma_start_queue(rx, count);
	return ret;
}

static int rxdma_bind_kernel_first(struct rxdma *rx)
{
	int flags, err;

	flags = SVM_FLAG_SUPERVISOR_MODE;
	rx->sva = iommu_sva_bind_device(rx->dev, NULL, &flags);
	err = PTR_ERR_OR_ZERO(rx->sva);
	return err;
}

static int rxdma_bind_kernel_last(struct rxdma *rx)
{
	int err, flags;

	flags = SVM_FLAG_SUPERVISOR_MODE;
	rx->sva = iommu_sva_bind_device(rx->dev, NULL, &flags);
	err = PTR_ERR_OR_ZERO(rx->sva);
	return err;
}
