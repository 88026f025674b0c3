/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared virtual memory definitions of the VTL IOMMU (demo tree).
 */

#ifndef __INTEL_SVM_H__
#define __INTEL_SVM_H__

/* Order of the page request queue, in pages */
#define PRQ_ORDER	2

/*
 * SVM_FLAG_SUPERVISOR_MODE asks for a PASID that reaches kernel memory
 * only: the device sees the kernel's direct map and nothing else, and the
 * IOTLB is never flushed for changes to kernel mappings.
 */
#define SVM_FLAG_SUPERVISOR_MODE	BIT(0)

#endif /* __INTEL_SVM_H__ */
