// SPDX-License-Identifier: GPL-2.0
/*
 * dsay: kernel and user PASIDs, already on the flags API (sample tree).
 */

#include <linux/iommu.h>
#include <linux/pci.h>

struct dsay_device {
	struct pci_dev *pdev;
	struct iommu_sva *sva;
};

static int dsay_enable_system_pasid(struct dsay_device *dsay)
{
	struct iommu_sva *sva;

	sva = iommu_sva_bind_device(&dsay->pdev->dev, NULL,
				    IOMMU_SVA_BIND_SUPERVISOR);
	if (IS_ERR(sva))
		return PTR_ERR(sva);

	dsay->sva = sva;
	return 0;
}

static int dsay_bind_mode(struct dsay_device *dsay, bool kernel)
{
	unsigned int flags = kernel ? IOMMU_SVA_BIND_SUPERVISOR : 0;

	dsay->sva = iommu_sva_bind_device(&dsay->pdev->dev,
					  kernel ? NULL : current->mm, flags);
	return PTR_ERR_OR_ZERO(dsay->sva);
}
