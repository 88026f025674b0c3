// SPDX-License-Identifier: GPL-2.0-only
/*
 * ivt: a made-up IOMMU that reads a private flag through drvdata.
 */

#include "ivt.h"

#define IVT_SVM_SUPERVISOR	0x1

static struct iommu_sva *ivt_bind_mm(struct device *dev, struct mm_struct *mm,
				     unsigned int flags);

struct iommu_sva *ivt_svm_bind(struct device *dev, struct mm_struct *mm,
			       void *drvdata)
{
	unsigned int flags = 0;

	if (drvdata)
		flags = *(unsigned int *)drvdata;

	if (flags & IVT_SVM_SUPERVISOR) {
		if (mm)
			return ERR_PTR(-EINVAL);
		mm = &init_mm;
	}

	return ivt_bind_mm(dev, mm, flags);
}
