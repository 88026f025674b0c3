// SPDX-License-Identifier: GPL-2.0
/*
 * rxdma: receive rings in kernel memory reached through a supervisor
 * PASID (sample tree).
 */

#include <linux/iommu.h>

struct rxdma {
	struct device *dev;
	struct iommu_sva *sva;
	int nr_queues;
};

int rxdma_start_queue(struct rxdma *rx, int q);

static int rxdma_bind_kernel(struct rxdma *rx)
{
	int ret, count;
	struct iommu_sva *sva;

	count = rx->nr_queues;

	sva = iommu_sva_bind_device(rx->dev, NULL, IOMMU_SVA_BIND_SUPERVISOR);
	if (IS_ERR(sva))
		return PTR_ERR(sva);
	rx->sva = sva;

	for (ret = 0; count; count--)
		ret |= rxdma_start_queue(rx, count);
	return ret;
}

static int rxdma_bind_kernel_first(struct rxdma *rx)
{
	int err;

	rx->sva = iommu_sva_bind_device(rx->dev, NULL,
					IOMMU_SVA_BIND_SUPERVISOR);
	err = PTR_ERR_OR_ZERO(rx->sva);
	return err;
}

static int rxdma_bind_kernel_last(struct rxdma *rx)
{
	int err;

	rx->sva = iommu_sva_bind_device(rx->dev, NULL,
					IOMMU_SVA_BIND_SUPERVISOR);
	err = PTR_ERR_OR_ZERO(rx->sva);
	return err;
}
