/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared virtual memory definitions of the VTL IOMMU (demo tree).
 */

#ifndef __INTEL_SVM_H__
#define __INTEL_SVM_H__

/* Order of the page request queue, in pages */
#define PRQ_ORDER	2

#endif /* __INTEL_SVM_H__ */
