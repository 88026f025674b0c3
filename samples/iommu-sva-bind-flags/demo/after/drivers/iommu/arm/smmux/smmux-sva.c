// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMMUX: sharing process address spaces with devices (demo tree).
 */

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "smmux.h"

static DEFINE_MUTEX(smmux_sva_lock);

struct smmux_bond {
	struct iommu_sva sva;
	struct mm_struct *mm;
	u32 pasid;
};

bool smmux_sva_supported(struct smmux_master *master)
{
	return master && master->sva_enabled;
}

static struct iommu_sva *smmux_new_bond(struct device *dev, struct mm_struct *mm)
{
	struct smmux_bond *bond;

	if (!mm)
		return ERR_PTR(-EINVAL);

	bond = kzalloc(sizeof(*bond), GFP_KERNEL);
	if (!bond)
		return ERR_PTR(-ENOMEM);
	bond->sva.dev = dev;
	bond->mm = mm;
	return &bond->sva;
}

struct iommu_sva *
smmux_sva_bind(struct device *dev, struct mm_struct *mm, unsigned int flags)
{
	struct smmux_master *master = dev_iommu_priv_get(dev);
	struct iommu_sva *handle;

	if (flags)
		return ERR_PTR(-EINVAL);

	if (!smmux_sva_supported(master))
		return ERR_PTR(-ENODEV);

	mutex_lock(&smmux_sva_lock);
	handle = smmux_new_bond(dev, mm);
	mutex_unlock(&smmux_sva_lock);
	return handle;
}

void smmux_sva_unbind(struct iommu_sva *handle)
{
	mutex_lock(&smmux_sva_lock);
	kfree(container_of(handle, struct smmux_bond, sva));
	mutex_unlock(&smmux_sva_lock);
}

u32 smmux_sva_get_pasid(struct iommu_sva *handle)
{
	return container_of(handle, struct smmux_bond, sva)->pasid;
}
