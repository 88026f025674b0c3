// SPDX-License-Identifier: GPL-2.0
/*
 * tcmt: the dead local and its assignment carry comments on their own
 * lines (sample tree).
 */

#include <linux/iommu.h>

struct tcmt_dev {
	struct device *dev;
	struct iommu_sva *sva;
};

static int tcmt_bind_kernel(struct tcmt_dev *td)
{
	struct iommu_sva *sva;

	sva = iommu_sva_bind_device(td->dev, NULL, IOMMU_SVA_BIND_SUPERVISOR);
	if (IS_ERR(sva))
		return PTR_ERR(sva);

	td->sva = sva;
	return 0;
}

static int tcmt_bind_init(struct tcmt_dev *td)
{
	td->sva = iommu_sva_bind_device(td->dev, NULL,
					IOMMU_SVA_BIND_SUPERVISOR);
	return PTR_ERR_OR_ZERO(td->sva);
}
