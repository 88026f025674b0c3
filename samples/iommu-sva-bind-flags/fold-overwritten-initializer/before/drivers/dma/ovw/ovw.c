// SPDX-License-Identifier: GPL-2.0
/*
 * ovw: the flags local has an initializer that an unconditional
 * assignment overwrites before the call (sample tree).
 */

#include <linux/intel-svm.h>
#include <linux/iommu.h>

struct ovw_dev {
	struct device *dev;
	struct iommu_sva *sva;
};

static int ovw_bind_kernel(struct ovw_dev *od)
{
	struct iommu_sva *sva;
	int flags = 0;

	flags = SVM_FLAG_SUPERVISOR_MODE;

	sva = iommu_sva_bind_device(od->dev, NULL, &flags);
	if (IS_ERR(sva))
		return PTR_ERR(sva);

	od->sva = sva;
	return 0;
}
