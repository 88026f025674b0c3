/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SMMUX: a stage-1 translation IOMMU (demo tree).
 */

#ifndef _SMMUX_H
#define _SMMUX_H

#include <linux/iommu.h>

struct smmux_master {
	struct device *dev;
	bool sva_enabled;
};

#ifdef CONFIG_SMMUX_SVA
bool smmux_sva_supported(struct smmux_master *master);
struct iommu_sva *smmux_sva_bind(struct device *dev, struct mm_struct *mm,
				 void *drvdata);
void smmux_sva_unbind(struct iommu_sva *handle);
u32 smmux_sva_get_pasid(struct iommu_sva *handle);
#else /* CONFIG_SMMUX_SVA */
static inline bool smmux_sva_supported(struct smmux_master *master)
{
	return false;
}

static inline struct iommu_sva *
smmux_sva_bind(struct device *dev, struct mm_struct *mm, void *drvdata)
{
	return NULL;
}

static inline void smmux_sva_unbind(struct iommu_sva *handle)
{
}

static inline u32 smmux_sva_get_pasid(struct iommu_sva *handle)
{
	return IOMMU_PASID_INVALID;
}
#endif /* CONFIG_SMMUX_SVA */

#endif /* _SMMUX_H */
