// SPDX-License-Identifier: GPL-2.0
/*
 * sxe: a search engine offload that scans kernel memory (sample tree).
 */

#include <linux/device.h>
#include <linux/iommu.h>

struct sxe_dev {
	struct device *dev;
	struct iommu_sva *sva;
};

static int sxe_bind_kernel(struct sxe_dev *sxe)
{
	struct iommu_sva *sva;
	int flags;

	flags = IOMMU_SVA_BIND_SUPERVISOR;
	dev_dbg(sxe->dev, "binding a kernel PASID, flags %#x\n", flags);

	sva = iommu_sva_bind_device(sxe->dev, NULL, flags);
	if (IS_ERR(sva))
		return PTR_ERR(sva);

	sxe->sva = sva;
	return 0;
}
