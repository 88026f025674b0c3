/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef __KPM_H__
#define __KPM_H__

enum kpm_model { KPM10, KPM20 };

struct kpm {
	enum kpm_model model;
};

const struct i2c_device_id *kpm_lookup_by_compatible(struct i2c_client *client);
int kpm_device_init(struct kpm *kpm, int irq);

#endif /* __KPM_H__ */
