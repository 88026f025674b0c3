// SPDX-License-Identifier: GPL-2.0
/*
 * A made-up DAC family; this is its i2c glue.
 */

#include <linux/i2c.h>
#include <linux/module.h>

#include "zdac.h"

static int zdac_i2c_probe(struct i2c_client *i2c)
{
	const struct i2c_device_id *did = i2c_client_get_device_id(i2c);

	return zdac_common_probe(&i2c->dev, did->driver_data, did->name);
}

static const struct i2c_device_id zdac_i2c_ids[] = {
	{ "zdac1", 1 },
	{ "zdac2", 2 },
	{ }
};
MODULE_DEVICE_TABLE(i2c, zdac_i2c_ids);

static struct i2c_driver zdac_i2c_driver = {
	.driver = {
		.name = "zdac",
	},
	.probe_new = zdac_i2c_probe,
	.id_table = zdac_i2c_ids,
};
module_i2c_driver(zdac_i2c_driver);

MODULE_LICENSE("GPL");
