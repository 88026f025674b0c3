/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fkq: pluggable bind back-ends, typed after the old SVA bind API
 * (sample tree).
 */

#ifndef _FKQ_H
#define _FKQ_H

#include <linux/iommu.h>

typedef struct iommu_sva *(*fkq_bind_fn)(struct device *dev,
					 struct mm_struct *mm, void *drvdata);

struct fkq_backend {
	const char *name;
	struct iommu_sva *(*bind)(struct device *, struct mm_struct *, void *);
	void (*unbind)(struct iommu_sva *handle);
};

int fkq_register_backend(const struct fkq_backend *be, fkq_bind_fn fallback);

#endif /* _FKQ_H */
