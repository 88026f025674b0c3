/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qbr: a board controller split into a core and a driver file (sample tree).
 */

#ifndef __QBR_H
#define __QBR_H

#include <linux/platform_device.h>

struct qbr {
	struct device *dev;
	void __iomem *regs;
	int irq;
};

int qbr_probe(struct platform_device *pdev);
void qbr_remove(struct platform_device *pdev);

#endif /* __QBR_H */
