// SPDX-License-Identifier: GPL-2.0
/*
 * plx: a driver outside the paths the run is limited to (sample tree).
 */

#include <linux/intel-svm.h>
#include <linux/iommu.h>

struct iommu_sva *plx_bind_kernel(struct device *dev)
{
	int flags;

	flags = SVM_FLAG_SUPERVISOR_MODE;
	return iommu_sva_bind_device(dev, NULL, &flags);
}
