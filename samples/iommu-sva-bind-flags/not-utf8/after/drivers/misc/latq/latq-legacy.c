// SPDX-License-Identifier: GPL-2.0
/*
 * latq: a legacy queue whose source is still Latin-1 (sample tree).
 */

#include <linux/iommu.h>
#include <linux/sched.h>

struct latq {
	struct device *dev;
	struct iommu_sva *sva;
};

/* Written by René, kept as it was */
int latq_bind(struct latq *lq)
{
	lq->sva = iommu_sva_bind_device(lq->dev, current->mm, NULL);
	return PTR_ERR_OR_ZERO(lq->sva);
}
