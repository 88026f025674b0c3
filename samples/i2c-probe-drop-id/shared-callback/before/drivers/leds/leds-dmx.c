// SPDX-License-Identifier: GPL-2.0
/*
 * Two made-up LED controllers that differ only in their number of
 * channels, bound by two i2c drivers sharing one probe.
 */

#include <linux/i2c.h>
#include <linux/module.h>

struct dmx_leds {
	struct i2c_client *client;
	unsigned int channels;
};

static int dmx_probe(struct i2c_client *client,
		     const struct i2c_device_id *id)
{
	struct dmx_leds *leds;

	leds = devm_kzalloc(&client->dev, sizeof(*leds), GFP_KERNEL);
	if (!leds)
		return -ENOMEM;

	leds->client = client;
	leds->channels = id->driver_data;

	return 0;
}

static const struct i2c_device_id dmx4_id[] = {
	{ "dmx4", 4 },
	{ }
};

static const struct i2c_device_id dmx8_id[] = {
	{ "dmx8", 8 },
	{ }
};

static struct i2c_driver dmx4_driver = {
	.driver = {
		.name = "leds-dmx4",
	},
	.probe = dmx_probe,
	.id_table = dmx4_id,
};

static struct i2c_driver dmx8_driver = {
	.driver = {
		.name = "leds-dmx8",
	},
	.probe = dmx_probe,
	.id_table = dmx8_id,
};

static int __init dmx_init(void)
{
	int ret;

	ret = i2c_add_driver(&dmx4_driver);
	if (ret)
		return ret;

	return i2c_add_driver(&dmx8_driver);
}
module_init(dmx_init);

MODULE_LICENSE("GPL");
