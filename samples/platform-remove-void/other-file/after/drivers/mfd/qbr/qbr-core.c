// SPDX-License-Identifier: GPL-2.0
/*
 * qbr core: bring-up and teardown shared by every qbr board (sample tree).
 */

#include <linux/interrupt.h>
#include <linux/io.h>
#include "qbr.h"

int qbr_probe(struct platform_device *pdev)
{
	struct qbr *qbr;

	qbr = devm_kzalloc(&pdev->dev, sizeof(*qbr), GFP_KERNEL);
	if (!qbr)
		return -ENOMEM;

	qbr->dev = &pdev->dev;
	qbr->irq = platform_get_irq(pdev, 0);
	if (qbr->irq < 0)
		return qbr->irq;

	platform_set_drvdata(pdev, qbr);
	return 0;
}

void qbr_remove(struct platform_device *pdev)
{
	struct qbr *qbr = platform_get_drvdata(pdev);

	disable_irq(qbr->irq);
	writel(0, qbr->regs);
}
