// SPDX-License-Identifier: GPL-2.0
/*
 * nvmx: a storage controller that DMAs to kernel buffers through a
 * supervisor PASID (sample tree).
 */

#include <linux/iommu.h>

struct nvmx_ctrl {
	struct device *dev;
	struct iommu_sva *sva;
};

int nvmx_bind_kernel(struct nvmx_ctrl *ctrl)
{
	struct iommu_sva *sva;

	sva = iommu_sva_bind_device(ctrl->dev, NULL, IOMMU_SVA_BIND_SUPERVISOR);
	if (IS_ERR(sva))
		return PTR_ERR(sva);

	ctrl->sva = sva;
	return 0;
}
