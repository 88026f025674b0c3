/* SPDX-License-Identifier: GPL-2.0 */
/* kq: a kernel queue shared by several drivers (sample tree). */
#ifndef _LINUX_KQ_H
#define _LINUX_KQ_H

#include <linux/types.h>

struct kq_dev {
	struct device *dev;
	u32 bind_flags;
	struct iommu_sva *sva;
};

#endif /* _LINUX_KQ_H */
