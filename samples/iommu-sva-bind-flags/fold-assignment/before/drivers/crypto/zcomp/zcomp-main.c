// SPDX-License-Identifier: GPL-2.0
/*
 * zcomp: a compression engine that works on kernel buffers (sample tree).
 */

#include <linux/device.h>
#include <linux/intel-svm.h>
#include <linux/iommu.h>

struct zcomp_dev {
	struct device *dev;
	struct iommu_sva *sva;
};

static int zcomp_bind_kernel(struct zcomp_dev *zc)
{
	struct iommu_sva *sva;
	int flags;

	flags = SVM_FLAG_SUPERVISOR_MODE;

	sva = iommu_sva_bind_device(zc->dev, NULL, &flags);
	if (IS_ERR(sva))
		return PTR_ERR(sva);

	zc->sva = sva;
	return 0;
}

static int zcomp_rebind_kernel(struct zcomp_dev *zc)
{
	int flags;

	flags = SVM_FLAG_SUPERVISOR_MODE;
	zc->sva = iommu_sva_bind_device(zc->dev, NULL, &flags);

	return PTR_ERR_OR_ZERO(zc->sva);
}
