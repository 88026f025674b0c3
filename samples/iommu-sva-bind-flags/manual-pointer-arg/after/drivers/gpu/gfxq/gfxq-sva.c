// SPDX-License-Identifier: GPL-2.0
/*
 * gfxq: a graphics queue that hands its own data to the bind call
 * (sample tree).
 */

#include <linux/iommu.h>
#include <linux/sched.h>

struct gfxq_priv {
	u32 ctx_id;
	u32 prio;
};

struct gfxq_token {
	u32 id;
	u32 gen;
};

struct gfxq_file {
	struct device *dev;
	struct gfxq_priv *priv;
	struct gfxq_token token;
	void *cookie;
};

static struct iommu_sva *gfxq_bind(struct gfxq_file *gf)
{
	struct gfxq_priv *priv = gf->priv;

	return iommu_sva_bind_device(gf->dev, current->mm, priv);
}

static struct iommu_sva *gfxq_bind_token(struct gfxq_file *gf)
{
	return iommu_sva_bind_device(gf->dev, current->mm, &gf->token);
}

static struct iommu_sva *gfxq_bind_cookie(struct gfxq_file *gf)
{
	return iommu_sva_bind_device(gf->dev, current->mm, gf->cookie);
}
