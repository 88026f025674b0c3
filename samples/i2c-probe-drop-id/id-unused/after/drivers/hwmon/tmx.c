// SPDX-License-Identifier: GPL-2.0
/*
 * tmx.c - a made-up temperature monitor on i2c
 */

#include <linux/i2c.h>
#include <linux/module.h>

struct tmx_data {
	struct i2c_client *client;
	int offset;
};

/**
 * tmx_probe - bind a TMX monitor
 * @client: the i2c client
 *
 * Return: 0 or a negative error code.
 */
static int tmx_probe(struct i2c_client *client)
{
	struct tmx_data *data;

	data = devm_kzalloc(&client->dev, sizeof(*data), GFP_KERNEL);
	if (!data)
		return -ENOMEM;

	data->client = client;
	i2c_set_clientdata(client, data);

	return 0;
}

static const struct i2c_device_id tmx_id[] = {
	{ "tmx10", 0 },
	{ }
};
MODULE_DEVICE_TABLE(i2c, tmx_id);

static struct i2c_driver tmx_driver = {
	.driver = {
		.name	= "tmx",
	},
	.probe_new	= tmx_probe,
	.id_table	= tmx_id,
};
module_i2c_driver(tmx_driver);

MODULE_LICENSE("GPL");
