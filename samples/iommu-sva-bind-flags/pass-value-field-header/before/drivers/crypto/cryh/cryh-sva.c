// SPDX-License-Identifier: GPL-2.0
/*
 * cryh: struct cryh_ctx is declared in the driver's own header.
 */

#include <linux/intel-svm.h>
#include <linux/iommu.h>

#include "cryh.h"

int cryh_ctx_bind(struct cryh_ctx *ctx)
{
	ctx->flags = SVM_FLAG_SUPERVISOR_MODE;
	ctx->sva = iommu_sva_bind_device(ctx->dev, NULL, &ctx->flags);
	return PTR_ERR_OR_ZERO(ctx->sva);
}
