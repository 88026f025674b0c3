// SPDX-License-Identifier: GPL-2.0
/*
 * A made-up USB TV stick and the i2c tuner on its board.
 */

#include <linux/i2c.h>
#include <linux/module.h>
#include <linux/usb.h>

static int qlk_tuner_probe(struct i2c_client *client,
			   const struct i2c_device_id *id)
{
	dev_info(&client->dev, "tuner at 0x%02x\n", client->addr);

	return 0;
}

static const struct i2c_device_id qlk_tuner_id[] = {
	{ "qlk-tuner", 0 },
	{ }
};

static struct i2c_driver qlk_tuner_driver = {
	.driver = {
		.name = "qlk-tuner",
	},
	.probe = qlk_tuner_probe,
	.id_table = qlk_tuner_id,
};

static int qlk_usb_probe(struct usb_interface *intf,
			 const struct usb_device_id *id)
{
	dev_info(&intf->dev, "model %lu\n", id->driver_info);

	return 0;
}

static void qlk_usb_disconnect(struct usb_interface *intf)
{
}

static const struct usb_device_id qlk_usb_id[] = {
	{ .idVendor = 0x1234, .idProduct = 0x5678, .driver_info = 1 },
	{ }
};

static struct usb_driver qlk_usb_driver = {
	.name = "qlk",
	.probe = qlk_usb_probe,
	.disconnect = qlk_usb_disconnect,
	.id_table = qlk_usb_id,
};

static int __init qlk_init(void)
{
	int ret;

	ret = i2c_add_driver(&qlk_tuner_driver);
	if (ret)
		return ret;

	return usb_register(&qlk_usb_driver);
}
module_init(qlk_init);

MODULE_LICENSE("GPL");
