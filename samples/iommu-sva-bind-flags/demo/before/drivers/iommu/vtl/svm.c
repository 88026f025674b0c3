// SPDX-License-Identifier: GPL-2.0-only
/*
 * VTL IOMMU: shared virtual memory (demo tree).
 */

#include <linux/err.h>
#include <linux/intel-svm.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "vtl-iommu.h"

DEFINE_MUTEX(vtl_pasid_mutex);

struct vtl_svm {
	struct iommu_sva sva;
	struct mm_struct *mm;
	unsigned int flags;
	u32 pasid;
};

static int vtl_prq_size(void)
{
	return PAGE_SIZE << PRQ_ORDER;
}

static struct iommu_sva *vtl_svm_do_bind(struct device *dev,
					 struct mm_struct *mm,
					 unsigned int flags)
{
	struct vtl_svm *svm;

	svm = kzalloc(sizeof(*svm), GFP_KERNEL);
	if (!svm)
		return ERR_PTR(-ENOMEM);

	svm->sva.dev = dev;
	svm->flags = flags;
	svm->mm = (flags & SVM_FLAG_SUPERVISOR_MODE) ? &init_mm : mm;

	return &svm->sva;
}

struct iommu_sva *vtl_svm_bind(struct device *dev, struct mm_struct *mm,
			       void *drvdata)
{
	struct vtl_iommu *iommu = vtl_device_to_iommu(dev);
	struct iommu_sva *sva;
	unsigned int flags = 0;

	if (drvdata)
		flags = *(unsigned int *)drvdata;

	if (flags & SVM_FLAG_SUPERVISOR_MODE) {
		if (!(iommu->ecap & VTL_ECAP_SRS))
			return ERR_PTR(-EOPNOTSUPP);
		if (mm)
			return ERR_PTR(-EINVAL);
	}

	mutex_lock(&vtl_pasid_mutex);
	sva = vtl_svm_do_bind(dev, mm, flags);
	mutex_unlock(&vtl_pasid_mutex);

	return sva;
}

void vtl_svm_unbind(struct iommu_sva *handle)
{
	struct vtl_svm *svm = container_of(handle, struct vtl_svm, sva);

	mutex_lock(&vtl_pasid_mutex);
	kfree(svm);
	mutex_unlock(&vtl_pasid_mutex);
}

u32 vtl_svm_get_pasid(struct iommu_sva *handle)
{
	return container_of(handle, struct vtl_svm, sva)->pasid;
}
