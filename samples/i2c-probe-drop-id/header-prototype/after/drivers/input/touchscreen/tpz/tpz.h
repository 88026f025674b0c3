/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A made-up touch controller: what its core and its bus glue share.
 */
#ifndef __TPZ_H__
#define __TPZ_H__

#include <linux/i2c.h>

struct tpz_ts {
	struct i2c_client *client;
	unsigned int max_x;
	unsigned int max_y;
};

int tpz_probe(struct i2c_client *client);

#endif /* __TPZ_H__ */
