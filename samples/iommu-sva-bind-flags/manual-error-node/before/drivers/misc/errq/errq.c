// SPDX-License-Identifier: GPL-2.0
/*
 * errq: an annotation macro that tree-sitter cannot parse sits inside the
 * argument list of one bind call (sample tree).
 */

#include <linux/iommu.h>
#include <linux/sched.h>

#define __errq_unused

struct errq {
	struct device *dev;
	struct iommu_sva *sva;
};

int errq_bind_odd(struct errq *eq)
{
	eq->sva = iommu_sva_bind_device(eq->dev, current->mm, NULL __errq_unused);
	return PTR_ERR_OR_ZERO(eq->sva);
}

int errq_bind_plain(struct errq *eq)
{
	eq->sva = iommu_sva_bind_device(eq->dev, current->mm, NULL);
	return PTR_ERR_OR_ZERO(eq->sva);
}
