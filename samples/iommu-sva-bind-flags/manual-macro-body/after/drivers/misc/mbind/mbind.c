// SPDX-License-Identifier: GPL-2.0
/*
 * mbind: binds through macros (sample tree).
 */

#include <linux/iommu.h>
#include <linux/sched.h>

#define demo_bind(d)	iommu_sva_bind_device(d, NULL, NULL)

#define mbind_user(q)							\
	iommu_sva_bind_device((q)->dev, current->mm, NULL)

struct mbind_queue {
	struct device *dev;
	struct iommu_sva *sva;
};

int mbind_open_kernel(struct mbind_queue *q)
{
	q->sva = demo_bind(q->dev);
	return PTR_ERR_OR_ZERO(q->sva);
}

int mbind_open_user(struct mbind_queue *q)
{
	q->sva = mbind_user(q);
	return PTR_ERR_OR_ZERO(q->sva);
}

int mbind_open_direct(struct mbind_queue *q)
{
	q->sva = iommu_sva_bind_device(q->dev, current->mm, 0);
	return PTR_ERR_OR_ZERO(q->sva);
}
