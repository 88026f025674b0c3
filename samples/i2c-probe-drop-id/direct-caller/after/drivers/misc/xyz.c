// SPDX-License-Identifier: GPL-2.0
/*
 * A made-up fan controller; the extended model is the base one plus a
 * second bank of registers.
 */

#include <linux/i2c.h>
#include <linux/module.h>

static const struct i2c_device_id xyz_id[] = {
	{ "xyz1", 1 },
	{ }
};

static const struct i2c_device_id xyz_ext_id[] = {
	{ "xyz1e", 2 },
	{ }
};

static int xyz_probe(struct i2c_client *client,
		     const struct i2c_device_id *id)
{
	dev_info(&client->dev, "xyz model %lu\n", id->driver_data);

	return 0;
}

static int xyz_ext_probe(struct i2c_client *client)
{
	const struct i2c_device_id *id = i2c_client_get_device_id(client);
	int ret;

	ret = xyz_probe(client, id);
	if (ret)
		return ret;

	return xyz_init_bank2(client);
}

static struct i2c_driver xyz_driver = {
	.driver = {
		.name = "xyz",
	},
	.probe = xyz_probe,
	.id_table = xyz_id,
};

static struct i2c_driver xyz_ext_driver = {
	.driver = {
		.name = "xyz-ext",
	},
	.probe_new = xyz_ext_probe,
	.id_table = xyz_ext_id,
};

static int __init xyz_init(void)
{
	int ret;

	ret = i2c_add_driver(&xyz_driver);
	if (ret)
		return ret;

	return i2c_add_driver(&xyz_ext_driver);
}
module_init(xyz_init);

MODULE_LICENSE("GPL");
