// SPDX-License-Identifier: GPL-2.0
/*
 * docq: talks about the SVA bind API without calling it (sample tree).
 *
 * Unlike iommu_sva_bind_device(dev, mm, NULL), docq binds nothing itself:
 * its parent driver does, through ->sva_bind(), and may one day ask for
 * SVM_FLAG_SUPERVISOR_MODE.
 */

#include <linux/device.h>

static const char * const docq_msgs[] = {
	"iommu_sva_bind_device() failed",
	"sva_bind callback missing",
	"SVM_FLAG_SUPERVISOR_MODE refused",
};

void docq_report(struct device *dev, int why)
{
	/* iommu_sva_bind_device() is the parent's business */
	dev_err(dev, "%s\n", docq_msgs[why]); // see sva_bind in iommu_ops
}
