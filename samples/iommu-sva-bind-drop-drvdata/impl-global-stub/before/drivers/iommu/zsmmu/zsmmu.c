// SPDX-License-Identifier: GPL-2.0
/*
 * The made-up zsmmu: its iommu_ops.
 */

#include "zsmmu.h"

static struct iommu_ops zsmmu_ops = {
	.sva_bind		= zsmmu_sva_bind,
	.sva_unbind		= zsmmu_sva_unbind,
};
