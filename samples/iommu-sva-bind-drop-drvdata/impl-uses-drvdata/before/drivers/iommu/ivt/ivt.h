/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IVT_H
#define _IVT_H

#include <linux/iommu.h>

struct iommu_sva *ivt_svm_bind(struct device *dev, struct mm_struct *mm,
			       void *drvdata);

#endif /* _IVT_H */
