// SPDX-License-Identifier: GPL-2.0
/*
 * plq: plq_hw.h is found through the -I of the folder's Makefile.
 */

#include <linux/intel-svm.h>
#include <linux/iommu.h>

#include <plq_hw.h>

static struct iommu_sva *plq_bind(struct plq_hw *hw)
{
	hw->pasid_flags = SVM_FLAG_SUPERVISOR_MODE;
	return iommu_sva_bind_device(hw->dev, NULL, &hw->pasid_flags);
}

int plq_start(struct plq_hw *hw)
{
	return PTR_ERR_OR_ZERO(plq_bind(hw));
}
