// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * I2C glue of a made-up power management chip.
 */

#include <linux/i2c.h>
#include <linux/module.h>
#include <linux/of.h>

#include "kpm.h"

static const struct i2c_device_id kpm_i2c_id[] = {
	{ "kpm10", KPM10 },
	{ "kpm20", KPM20 },
	{ }
};
MODULE_DEVICE_TABLE(i2c, kpm_i2c_id);

static int kpm_i2c_probe(struct i2c_client *client,
			 const struct i2c_device_id *id)
{
	struct kpm *kpm;

	kpm = devm_kzalloc(&client->dev, sizeof(*kpm), GFP_KERNEL);
	if (!kpm)
		return -ENOMEM;

	/* Probed from the device tree: look the model up by compatible. */
	if (!id)
		id = kpm_lookup_by_compatible(client);
	if (!id)
		return -ENODEV;

	kpm->model = id->driver_data;

	return kpm_device_init(kpm, client->irq);
}

static struct i2c_driver kpm_i2c_driver = {
	.driver = {
		.name = "kpm",
	},
	.probe = kpm_i2c_probe,
	.id_table = kpm_i2c_id,
};
module_i2c_driver(kpm_i2c_driver);

MODULE_LICENSE("GPL");
