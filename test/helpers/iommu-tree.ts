// A two-file tree for the flagship: the core header and one caller.
export const HEADER = `#ifndef _LINUX_IOMMU_H
#define _LINUX_IOMMU_H

#define IOMMU_PASID_INVALID\t(-1U)

#ifdef CONFIG_IOMMU_API
struct iommu_sva *iommu_sva_bind_device(struct device *dev,
\t\t\t\t\tstruct mm_struct *mm,
\t\t\t\t\tvoid *drvdata);
#endif /* CONFIG_IOMMU_API */

#endif /* _LINUX_IOMMU_H */
`;

export const CALLER = `// SPDX-License-Identifier: GPL-2.0
#include <linux/iommu.h>

static int demo_open(struct device *dev)
{
\tstruct iommu_sva *sva;

\tsva = iommu_sva_bind_device(dev, current->mm, NULL);
\treturn IS_ERR(sva) ? PTR_ERR(sva) : 0;
}
`;
