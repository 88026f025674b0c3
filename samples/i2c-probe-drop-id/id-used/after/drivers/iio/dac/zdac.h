/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __ZDAC_H__
#define __ZDAC_H__

struct device;

int zdac_common_probe(struct device *dev, unsigned long model,
		      const char *name);

#endif /* __ZDAC_H__ */
