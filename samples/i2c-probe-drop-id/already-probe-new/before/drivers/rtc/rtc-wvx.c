// SPDX-License-Identifier: GPL-2.0
/*
 * A made-up real-time clock, already on the one-argument probe.
 */

#include <linux/i2c.h>
#include <linux/module.h>
#include <linux/rtc.h>

static int wvx_probe(struct i2c_client *client)
{
	const struct i2c_device_id *id = i2c_client_get_device_id(client);
	struct rtc_device *rtc;

	rtc = devm_rtc_allocate_device(&client->dev);
	if (IS_ERR(rtc))
		return PTR_ERR(rtc);

	rtc->range_max = id->driver_data;

	return devm_rtc_register_device(rtc);
}

static const struct i2c_device_id wvx_id[] = {
	{ "wvx2000", 2099 },
	{ }
};
MODULE_DEVICE_TABLE(i2c, wvx_id);

static struct i2c_driver wvx_driver = {
	.driver = {
		.name = "rtc-wvx",
	},
	.probe_new = wvx_probe,
	.id_table = wvx_id,
};
module_i2c_driver(wvx_driver);

MODULE_LICENSE("GPL");
