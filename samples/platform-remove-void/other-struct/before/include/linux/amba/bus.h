/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A reduced AMBA bus API for kmigrate's sample trees: its driver struct
 * also has a .remove member, of another type.
 */

#ifndef ASMARM_AMBA_H
#define ASMARM_AMBA_H

#include <linux/device.h>

struct amba_id;

struct amba_device {
	struct device dev;
	unsigned int periphid;
};

struct amba_driver {
	struct device_driver drv;
	int (*probe)(struct amba_device *, const struct amba_id *);
	int (*remove)(struct amba_device *);
	void (*shutdown)(struct amba_device *);
};

int amba_driver_register(struct amba_driver *drv);
void amba_driver_unregister(struct amba_driver *drv);

#endif /* ASMARM_AMBA_H */
