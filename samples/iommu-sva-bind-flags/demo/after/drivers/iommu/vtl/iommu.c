// SPDX-License-Identifier: GPL-2.0-only
/*
 * VTL IOMMU driver: registration with the IOMMU core (demo tree).
 */

#include <linux/iommu.h>
#include <linux/sizes.h>

#include "vtl-iommu.h"

static bool vtl_iommu_capable(struct device *dev, int cap)
{
	return false;
}

static int vtl_iommu_probe_device(struct device *dev)
{
	return vtl_device_to_iommu(dev) ? 0 : -ENODEV;
}

const struct iommu_ops vtl_iommu_ops = {
	.capable		= vtl_iommu_capable,
	.probe_device		= vtl_iommu_probe_device,
#ifdef CONFIG_VTL_SVM
	.sva_bind		= vtl_svm_bind,
	.sva_unbind		= vtl_svm_unbind,
	.sva_get_pasid		= vtl_svm_get_pasid,
#endif
	.pgsize_bitmap		= SZ_4K,
};
