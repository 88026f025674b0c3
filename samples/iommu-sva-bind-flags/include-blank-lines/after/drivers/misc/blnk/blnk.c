// SPDX-License-Identifier: GPL-2.0
/*
 * blnk: includes the VT-d header in a group of its own (sample tree).
 */

#include <linux/iommu.h>

#include "blnk.h"

int blnk_bind(struct blnk_dev *bd)
{
	bd->sva = iommu_sva_bind_device(bd->dev, NULL,
					IOMMU_SVA_BIND_SUPERVISOR);
	return PTR_ERR_OR_ZERO(bd->sva);
}
