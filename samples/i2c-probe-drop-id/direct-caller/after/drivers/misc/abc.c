// SPDX-License-Identifier: GPL-2.0
/*
 * A made-up ambient sensor, bound under its own name and under the name
 * old board files used for it.
 */

#include <linux/i2c.h>
#include <linux/module.h>

struct abc {
	struct i2c_client *client;
	unsigned long variant;
};

static const struct i2c_device_id abc_id[] = {
	{ "abc01", 1 },
	{ }
};
MODULE_DEVICE_TABLE(i2c, abc_id);

static const struct i2c_device_id abc_legacy_id[] = {
	{ "abc-old", 0 },
	{ }
};

static int abc_probe(struct i2c_client *client)
{
	const struct i2c_device_id *id = i2c_client_get_device_id(client);
	struct abc *abc;

	abc = devm_kzalloc(&client->dev, sizeof(*abc), GFP_KERNEL);
	if (!abc)
		return -ENOMEM;

	abc->client = client;
	abc->variant = id->driver_data;
	i2c_set_clientdata(client, abc);

	return 0;
}

static int abc_legacy_probe(struct i2c_client *client)
{
	dev_info(&client->dev, "bound through the legacy name\n");

	return abc_probe(client);
}

static struct i2c_driver abc_driver = {
	.driver = {
		.name = "abc",
	},
	.probe_new = abc_probe,
	.id_table = abc_id,
};

static struct i2c_driver abc_legacy_driver = {
	.driver = {
		.name = "abc-legacy",
	},
	.probe_new = abc_legacy_probe,
	.id_table = abc_legacy_id,
};

static int __init abc_init(void)
{
	int ret;

	ret = i2c_add_driver(&abc_driver);
	if (ret)
		return ret;

	return i2c_add_driver(&abc_legacy_driver);
}
module_init(abc_init);

MODULE_LICENSE("GPL");
