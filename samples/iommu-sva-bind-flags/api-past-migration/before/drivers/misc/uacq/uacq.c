// SPDX-License-Identifier: GPL-2.0
/*
 * uacq: a user queue bound to the opener's address space (sample tree).
 */

#include <linux/iommu.h>

struct uacq {
	struct device *parent;
	struct iommu_sva *handle;
};

static int uacq_bind_queue(struct uacq *q)
{
	q->handle = iommu_sva_bind_device(q->parent, current->mm);
	return PTR_ERR_OR_ZERO(q->handle);
}
