/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __INTEL_SVM_H__
#define __INTEL_SVM_H__

/*
 * The SVM_FLAG_SUPERVISOR_MODE flag requests a PASID which can be used only
 * for access to kernel addresses.
 */
#define SVM_FLAG_SUPERVISOR_MODE	BIT(0)

#endif /* __INTEL_SVM_H__ */
