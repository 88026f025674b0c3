// SPDX-License-Identifier: GPL-2.0
/*
 * dsax: a data streaming accelerator that can work on kernel memory through
 * a supervisor PASID (demo tree).
 */

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "dsax.h"

static int dsax_enable_system_pasid(struct dsax_device *dsax)
{
	unsigned int pasid;
	struct iommu_sva *sva;

	sva = iommu_sva_bind_device(&dsax->pdev->dev, NULL,
				    IOMMU_SVA_BIND_SUPERVISOR);
	if (IS_ERR(sva)) {
		dev_warn(&dsax->pdev->dev, "kernel PASID bind failed: %ld\n",
			 PTR_ERR(sva));
		return PTR_ERR(sva);
	}

	pasid = iommu_sva_get_pasid(sva);
	if (pasid == IOMMU_PASID_INVALID) {
		iommu_sva_unbind_device(sva);
		return -ENODEV;
	}

	dsax->sva = sva;
	dsax->pasid = pasid;
	return 0;
}

static void dsax_disable_system_pasid(struct dsax_device *dsax)
{
	iommu_sva_unbind_device(dsax->sva);
	dsax->sva = NULL;
	dsax->pasid = IOMMU_PASID_INVALID;
}

static int dsax_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct dsax_device *dsax;
	int rc;

	dsax = devm_kzalloc(&pdev->dev, sizeof(*dsax), GFP_KERNEL);
	if (!dsax)
		return -ENOMEM;
	dsax->pdev = pdev;

	rc = dsax_enable_system_pasid(dsax);
	if (rc)
		dev_info(&pdev->dev, "no kernel PASID: %d\n", rc);

	pci_set_drvdata(pdev, dsax);
	return 0;
}

static void dsax_remove(struct pci_dev *pdev)
{
	struct dsax_device *dsax = pci_get_drvdata(pdev);

	if (dsax->sva)
		dsax_disable_system_pasid(dsax);
}

static struct pci_driver dsax_pci_driver = {
	.name		= "dsax",
	.probe		= dsax_probe,
	.remove		= dsax_remove,
};
module_pci_driver(dsax_pci_driver);
MODULE_LICENSE("GPL");
