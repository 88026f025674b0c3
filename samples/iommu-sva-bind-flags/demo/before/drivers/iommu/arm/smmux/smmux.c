// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMMUX: registration with the IOMMU core (demo tree).
 */

#include <linux/iommu.h>

#include "smmux.h"

static bool smmux_capable(struct device *dev, int cap)
{
	return false;
}

static int smmux_probe_device(struct device *dev)
{
	return 0;
}

static struct iommu_ops smmux_ops = {
	.capable		= smmux_capable,
	.probe_device		= smmux_probe_device,
	.sva_bind		= smmux_sva_bind,
	.sva_unbind		= smmux_sva_unbind,
	.sva_get_pasid		= smmux_sva_get_pasid,
	.pgsize_bitmap		= -1UL,
};
