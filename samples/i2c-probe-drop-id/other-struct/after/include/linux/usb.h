/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A reduced USB driver API for kmigrate's sample trees: its .probe also
 * takes a table entry as second argument, of another type.
 */
#ifndef __LINUX_USB_H
#define __LINUX_USB_H

#include <linux/device.h>

struct usb_device_id {
	unsigned short idVendor;
	unsigned short idProduct;
	unsigned long driver_info;
};

struct usb_interface {
	struct device dev;
};

struct usb_driver {
	const char *name;
	int (*probe)(struct usb_interface *intf,
		     const struct usb_device_id *id);
	void (*disconnect)(struct usb_interface *intf);
	const struct usb_device_id *id_table;
};

int usb_register(struct usb_driver *driver);
void usb_deregister(struct usb_driver *driver);

#endif /* __LINUX_USB_H */
