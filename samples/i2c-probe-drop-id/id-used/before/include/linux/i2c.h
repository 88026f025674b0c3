/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A reduced i2c API for kmigrate's sample trees. The core offers both
 * probe callbacks: .probe is handed the i2c_device_id entry the core
 * matched, .probe_new only the client.
 */

#ifndef _LINUX_I2C_H
#define _LINUX_I2C_H

#include <linux/device.h>

struct i2c_device_id {
	char name[20];
	unsigned long driver_data;
};

struct i2c_client {
	unsigned short addr;
	char name[20];
	struct device dev;
	int irq;
};

struct i2c_driver {
	int (*probe)(struct i2c_client *client, const struct i2c_device_id *id);
	void (*remove)(struct i2c_client *client);
	int (*probe_new)(struct i2c_client *client);
	struct device_driver driver;
	const struct i2c_device_id *id_table;
};

const struct i2c_device_id *i2c_match_id(const struct i2c_device_id *id,
					 const struct i2c_client *client);
const struct i2c_device_id *i2c_client_get_device_id(const struct i2c_client *client);

int i2c_add_driver(struct i2c_driver *driver);
void i2c_del_driver(struct i2c_driver *driver);

#define module_i2c_driver(__i2c_driver) \
	module_driver(__i2c_driver, i2c_add_driver, i2c_del_driver)

#endif /* _LINUX_I2C_H */
