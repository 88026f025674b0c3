// SPDX-License-Identifier: GPL-2.0-only
/*
 * ivt: its iommu_ops.
 */

#include "ivt.h"

const struct iommu_ops ivt_iommu_ops = {
	.sva_bind	= ivt_svm_bind,
};
