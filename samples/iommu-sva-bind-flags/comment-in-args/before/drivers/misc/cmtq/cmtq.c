// SPDX-License-Identifier: GPL-2.0
/*
 * cmtq: bind calls with comments between their arguments (sample tree).
 */

#include <linux/iommu.h>
#include <linux/sched.h>

struct cmtq {
	struct device *dev;
	struct iommu_sva *sva;
};

int cmtq_bind(struct cmtq *cq)
{
	cq->sva = iommu_sva_bind_device(cq->dev, current->mm, /* no drvdata */ NULL);
	return PTR_ERR_OR_ZERO(cq->sva);
}

int cmtq_bind_after(struct cmtq *cq)
{
	cq->sva = iommu_sva_bind_device(cq->dev, current->mm, NULL /* none */);
	return PTR_ERR_OR_ZERO(cq->sva);
}

int cmtq_bind_split(struct cmtq *cq)
{
	cq->sva = iommu_sva_bind_device(cq->dev,
					current->mm,	/* the caller's mm */
					NULL);		/* no private data */
	return PTR_ERR_OR_ZERO(cq->sva);
}
