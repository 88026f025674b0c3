/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VTL IOMMU driver: shared definitions (demo tree).
 */

#ifndef _VTL_IOMMU_H
#define _VTL_IOMMU_H

#include <linux/iommu.h>
#include <linux/mutex.h>

struct vtl_iommu {
	void __iomem *reg;
	u64 ecap;
};

#define VTL_ECAP_SRS	BIT_ULL(31)

struct vtl_iommu *vtl_device_to_iommu(struct device *dev);

#ifdef CONFIG_VTL_SVM
extern struct mutex vtl_pasid_mutex;
struct iommu_sva *vtl_svm_bind(struct device *dev, struct mm_struct *mm,
			       unsigned int flags);
void vtl_svm_unbind(struct iommu_sva *handle);
u32 vtl_svm_get_pasid(struct iommu_sva *handle);
#endif

#endif /* _VTL_IOMMU_H */
