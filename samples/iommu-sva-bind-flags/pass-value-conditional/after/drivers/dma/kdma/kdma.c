// SPDX-License-Identifier: GPL-2.0
/*
 * kdma: a DMA engine whose channels serve either a process or the kernel
 * (sample tree).
 */

#include <linux/iommu.h>
#include <linux/sched.h>

struct kdma_chan {
	struct device *dev;
	struct iommu_sva *sva;
};

static int kdma_chan_bind(struct kdma_chan *chan, bool kernel)
{
	struct mm_struct *mm = kernel ? NULL : current->mm;
	struct iommu_sva *sva;
	unsigned int flags = 0;

	if (kernel)
		flags = IOMMU_SVA_BIND_SUPERVISOR;

	sva = iommu_sva_bind_device(chan->dev, mm, flags);
	if (IS_ERR(sva))
		return PTR_ERR(sva);

	chan->sva = sva;
	return 0;
}
