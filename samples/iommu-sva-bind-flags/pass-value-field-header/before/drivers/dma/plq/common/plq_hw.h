/* SPDX-License-Identifier: GPL-2.0 */
/* plq: hardware context, shared with the firmware tools (sample tree). */
#ifndef _PLQ_HW_H
#define _PLQ_HW_H

struct plq_hw {
	struct device *dev;
	unsigned long pasid_flags;
};

#endif /* _PLQ_HW_H */
