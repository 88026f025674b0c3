/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dsax: driver-wide definitions (demo tree).
 */

#ifndef _DSAX_H_
#define _DSAX_H_

#include <linux/pci.h>

struct dsax_device {
	struct pci_dev *pdev;
	struct iommu_sva *sva;
	u32 pasid;
};

#endif /* _DSAX_H_ */
