// SPDX-License-Identifier: GPL-2.0
/*
 * accelr: a user-space accelerator, already on the flags API (sample tree).
 */

#include <linux/iommu.h>
#include <linux/sched.h>

struct iommu_sva *accelr_bind(struct device *dev)
{
	return iommu_sva_bind_device(dev, current->mm, 0);
}
