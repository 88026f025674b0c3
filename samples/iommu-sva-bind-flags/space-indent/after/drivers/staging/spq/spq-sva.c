// SPDX-License-Identifier: GPL-2.0
/*
 * spq: a staging IOMMU driver still indented with four spaces
 * (sample tree).
 */

#include <linux/err.h>
#include <linux/iommu.h>

struct spq_master {
    bool sva_enabled;
};

struct iommu_sva *spq_new_bond(struct device *dev, struct mm_struct *mm);

static struct iommu_sva *
spq_sva_bind(struct device *dev, struct mm_struct *mm, unsigned int flags)
{
    struct spq_master *master = dev_iommu_priv_get(dev);

    if (flags)
        return ERR_PTR(-EINVAL);

    if (!master || !master->sva_enabled)
        return ERR_PTR(-ENODEV);
    return spq_new_bond(dev, mm);
}

static const struct iommu_ops spq_ops = {
    .sva_bind = spq_sva_bind,
};
