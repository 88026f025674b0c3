// SPDX-License-Identifier: GPL-2.0
/*
 * cryx: a crypto accelerator context bound to kernel memory (sample tree).
 */

#include <linux/iommu.h>

struct cryx_ctx {
	struct device *dev;
	unsigned int flags;
	struct iommu_sva *sva;
};

int cryx_ctx_bind(struct cryx_ctx *ctx)
{
	ctx->flags = IOMMU_SVA_BIND_SUPERVISOR;
	ctx->sva = iommu_sva_bind_device(ctx->dev, NULL, ctx->flags);
	return PTR_ERR_OR_ZERO(ctx->sva);
}
