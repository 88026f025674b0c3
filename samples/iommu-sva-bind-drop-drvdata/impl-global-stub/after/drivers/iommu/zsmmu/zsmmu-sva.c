// SPDX-License-Identifier: GPL-2.0
/*
 * Shared virtual addressing for the made-up zsmmu.
 */

#include <linux/mutex.h>

#include "zsmmu.h"

static DEFINE_MUTEX(zsmmu_sva_lock);

static struct iommu_sva *__zsmmu_sva_bind(struct device *dev,
					   struct mm_struct *mm);

struct iommu_sva *
zsmmu_sva_bind(struct device *dev, struct mm_struct *mm)
{
	struct iommu_sva *handle;

	if (!zsmmu_sva_supported(dev))
		return ERR_PTR(-EINVAL);

	mutex_lock(&zsmmu_sva_lock);
	handle = __zsmmu_sva_bind(dev, mm);
	mutex_unlock(&zsmmu_sva_lock);
	return handle;
}
