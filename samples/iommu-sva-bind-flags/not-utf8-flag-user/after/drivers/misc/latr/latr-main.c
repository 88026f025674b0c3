// SPDX-License-Identifier: GPL-2.0
/*
 * latr: the UTF-8 half of the driver (sample tree).
 */

#include <linux/iommu.h>
#include <linux/sched.h>

struct iommu_sva *latr_bind_user(struct device *dev)
{
	return iommu_sva_bind_device(dev, current->mm, 0);
}
