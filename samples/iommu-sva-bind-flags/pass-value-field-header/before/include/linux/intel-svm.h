/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VT-d style shared virtual memory definitions (sample tree).
 */

#ifndef __INTEL_SVM_H__
#define __INTEL_SVM_H__

#define SVM_REQ_PRIV	BIT(1)

/* SVM_FLAG_SUPERVISOR_MODE: kernel direct map only, no IOTLB flush for it */
#define SVM_FLAG_SUPERVISOR_MODE	BIT(0)

#endif /* __INTEL_SVM_H__ */
