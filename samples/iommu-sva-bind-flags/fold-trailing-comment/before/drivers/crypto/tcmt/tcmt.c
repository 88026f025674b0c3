// SPDX-License-Identifier: GPL-2.0
/*
 * tcmt: the dead local and its assignment carry comments on their own
 * lines (sample tree).
 */

#include <linux/intel-svm.h>
#include <linux/iommu.h>

struct tcmt_dev {
	struct device *dev;
	struct iommu_sva *sva;
};

static int tcmt_bind_kernel(struct tcmt_dev *td)
{
	struct iommu_sva *sva;
	int flags;	/* supervisor */

	flags = SVM_FLAG_SUPERVISOR_MODE;	/* kernel PASID */
	sva = iommu_sva_bind_device(td->dev, NULL, &flags);
	if (IS_ERR(sva))
		return PTR_ERR(sva);

	td->sva = sva;
	return 0;
}

static int tcmt_bind_init(struct tcmt_dev *td)
{
	unsigned int flags = SVM_FLAG_SUPERVISOR_MODE; // for init_mm

	td->sva = iommu_sva_bind_device(td->dev, NULL, &flags);
	return PTR_ERR_OR_ZERO(td->sva);
}
