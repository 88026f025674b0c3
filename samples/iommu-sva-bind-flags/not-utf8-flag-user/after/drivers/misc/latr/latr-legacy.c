// SPDX-License-Identifier: GPL-2.0
/*
 * latr: legacy half of the driver, still Latin-1 (René).
 */

#include <linux/intel-svm.h>
#include <linux/iommu.h>

struct iommu_sva *latr_bind_kernel(struct device *dev)
{
	int flags;

	flags = SVM_FLAG_SUPERVISOR_MODE;
	return iommu_sva_bind_device(dev, NULL, &flags);
}
