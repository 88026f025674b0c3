// SPDX-License-Identifier: GPL-2.0
/*
 * hfq: struct hfq_ctx comes from a header that is not in the tree (generated
 * at build time), so the type of its field cannot be seen (sample tree).
 */

#include <linux/intel-svm.h>
#include <linux/iommu.h>

#include "hfq_gen.h"

int hfq_bind_kernel(struct hfq_ctx *ctx)
{
	ctx->flags = SVM_FLAG_SUPERVISOR_MODE;
	ctx->sva = iommu_sva_bind_device(ctx->dev, NULL, &ctx->flags);
	return PTR_ERR_OR_ZERO(ctx->sva);
}

int hfq_bind_user(struct hfq_ctx *ctx, struct mm_struct *mm)
{
	ctx->sva = iommu_sva_bind_device(ctx->dev, mm, NULL);
	return PTR_ERR_OR_ZERO(ctx->sva);
}
