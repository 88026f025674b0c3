// SPDX-License-Identifier: GPL-2.0
/*
 * cryh: struct cryh_ctx is declared in the driver's own header.
 */

#include <linux/iommu.h>

#include "cryh.h"

int cryh_ctx_bind(struct cryh_ctx *ctx)
{
	ctx->flags = IOMMU_SVA_BIND_SUPERVISOR;
	ctx->sva = iommu_sva_bind_device(ctx->dev, NULL, ctx->flags);
	return PTR_ERR_OR_ZERO(ctx->sva);
}
