// SPDX-License-Identifier: GPL-2.0
/*
 * crq: a driver whose source has DOS line endings (sample tree).
 */

#include <linux/iommu.h>

struct crq_dev {
	struct device *dev;
	struct iommu_sva *sva;
};

int crq_bind_kernel(struct crq_dev *cq)
{
	cq->sva = iommu_sva_bind_device(cq->dev, NULL,
					IOMMU_SVA_BIND_SUPERVISOR);
	return PTR_ERR_OR_ZERO(cq->sva);
}

int crq_bind_user(struct crq_dev *cq)
{
	cq->sva = iommu_sva_bind_device(cq->dev, current->mm, 0);
	return PTR_ERR_OR_ZERO(cq->sva);
}
