/* SPDX-License-Identifier: GPL-2.0 */
/* cryh: the context a crypto engine binds with (sample tree). */
#ifndef __CRYH_H
#define __CRYH_H

struct cryh_ctx {
	struct device *dev;
	unsigned int flags;
	struct iommu_sva *sva;
};

#endif /* __CRYH_H */
