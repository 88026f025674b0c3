// SPDX-License-Identifier: GPL-2.0
/*
 * kq: struct kq_dev is declared in include/linux/kq.h.
 */

#include <linux/iommu.h>
#include <linux/kq.h>

int kq_bind(struct kq_dev *kq, struct mm_struct *mm)
{
	kq->bind_flags = mm ? 0 : IOMMU_SVA_BIND_SUPERVISOR;
	kq->sva = iommu_sva_bind_device(kq->dev, mm, kq->bind_flags);
	return PTR_ERR_OR_ZERO(kq->sva);
}
