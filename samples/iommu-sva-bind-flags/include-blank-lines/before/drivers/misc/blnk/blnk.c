// SPDX-License-Identifier: GPL-2.0
/*
 * blnk: includes the VT-d header in a group of its own (sample tree).
 */

#include <linux/iommu.h>

#include <linux/intel-svm.h>

#include "blnk.h"

int blnk_bind(struct blnk_dev *bd)
{
	int flags;

	flags = SVM_FLAG_SUPERVISOR_MODE;
	bd->sva = iommu_sva_bind_device(bd->dev, NULL, &flags);
	return PTR_ERR_OR_ZERO(bd->sva);
}
