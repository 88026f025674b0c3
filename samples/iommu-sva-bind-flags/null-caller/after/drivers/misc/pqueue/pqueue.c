// SPDX-License-Identifier: GPL-2.0
/*
 * pqueue: a user-space work queue device (sample tree).
 */

#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/sched.h>

struct pqueue {
	struct device *dev;
	struct iommu_sva *sva;
};

static int pqueue_bind_user(struct pqueue *pq)
{
	pq->sva = iommu_sva_bind_device(pq->dev, current->mm, 0);
	return PTR_ERR_OR_ZERO(pq->sva);
}

static int pqueue_bind_user_compat(struct pqueue *pq)
{
	pq->sva = iommu_sva_bind_device(pq->dev, current->mm, 0);
	return PTR_ERR_OR_ZERO(pq->sva);
}

static int pqueue_bind_user_split(struct pqueue *pq)
{
	pq->sva = iommu_sva_bind_device(pq->dev, current->mm,
					0);
	return PTR_ERR_OR_ZERO(pq->sva);
}

static int pqueue_bind_user_converted(struct pqueue *pq)
{
	pq->sva = iommu_sva_bind_device(pq->dev, current->mm, 0);
	return PTR_ERR_OR_ZERO(pq->sva);
}
