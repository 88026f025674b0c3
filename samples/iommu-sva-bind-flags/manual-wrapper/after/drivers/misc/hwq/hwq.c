// SPDX-License-Identifier: GPL-2.0
/*
 * hwq: a hardware queue with its own bind wrapper (sample tree).
 */

#include <linux/iommu.h>
#include <linux/sched.h>

struct hwq {
	struct device *dev;
	struct iommu_sva *sva;
};

static struct iommu_sva *hwq_bind(struct device *dev, void *data)
{
	return iommu_sva_bind_device(dev, current->mm, data);
}

int hwq_open(struct hwq *q)
{
	q->sva = hwq_bind(q->dev, NULL);
	return PTR_ERR_OR_ZERO(q->sva);
}
