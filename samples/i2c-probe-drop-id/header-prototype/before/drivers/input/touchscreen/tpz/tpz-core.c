// SPDX-License-Identifier: GPL-2.0
/*
 * A made-up touch controller: the core.
 */

#include <linux/input.h>
#include <linux/module.h>

#include "tpz.h"

int tpz_probe(struct i2c_client *client, const struct i2c_device_id *id)
{
	struct tpz_ts *ts;

	ts = devm_kzalloc(&client->dev, sizeof(*ts), GFP_KERNEL);
	if (!ts)
		return -ENOMEM;

	ts->client = client;
	ts->max_x = 1024;
	ts->max_y = 768;
	i2c_set_clientdata(client, ts);

	return 0;
}

MODULE_LICENSE("GPL");
