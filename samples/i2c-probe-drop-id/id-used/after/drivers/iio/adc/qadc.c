// SPDX-License-Identifier: GPL-2.0
/*
 * A made-up two-channel ADC on i2c.
 */

#include <linux/i2c.h>
#include <linux/iio/iio.h>
#include <linux/module.h>

enum qadc_model { QADC_8, QADC_12 };

struct qadc_state {
	struct i2c_client *client;
	enum qadc_model model;
};

static int qadc_probe(struct i2c_client *client)
{
	const struct i2c_device_id *id = i2c_client_get_device_id(client);
	struct iio_dev *indio_dev;
	struct qadc_state *st;

	indio_dev = devm_iio_device_alloc(&client->dev, sizeof(*st));
	if (!indio_dev)
		return -ENOMEM;

	st = iio_priv(indio_dev);
	st->client = client;
	st->model = id->driver_data;
	indio_dev->name = id->name;

	return devm_iio_device_register(&client->dev, indio_dev);
}

static const struct i2c_device_id qadc_id[] = {
	{ "qadc8", QADC_8 },
	{ "qadc12", QADC_12 },
	{ }
};
MODULE_DEVICE_TABLE(i2c, qadc_id);

static struct i2c_driver qadc_driver = {
	.driver = {
		.name = "qadc",
	},
	.probe_new = qadc_probe,
	.id_table = qadc_id,
};
module_i2c_driver(qadc_driver);

MODULE_LICENSE("GPL");
