// SPDX-License-Identifier: GPL-2.0
/*
 * latq: the part of the driver that is valid UTF-8 (sample tree).
 */

#include <linux/iommu.h>
#include <linux/sched.h>

struct iommu_sva *latq_bind_main(struct device *dev)
{
	return iommu_sva_bind_device(dev, current->mm, NULL);
}
