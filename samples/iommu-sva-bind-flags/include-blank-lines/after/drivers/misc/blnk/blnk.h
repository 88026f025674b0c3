/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _BLNK_H
#define _BLNK_H

struct blnk_dev {
	struct device *dev;
	struct iommu_sva *sva;
};

#endif /* _BLNK_H */
