// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * accelq: a queue-based accelerator that works on user memory through SVA
 * (demo tree).
 */

#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/iommu.h>
#include <linux/sched.h>
#include <linux/slab.h>

struct accelq_device {
	struct device *parent;
	struct cdev cdev;
};

struct accelq_queue {
	struct accelq_device *aq;
	struct iommu_sva *handle;
	u32 pasid;
};

static int accelq_fops_open(struct inode *inode, struct file *filep)
{
	struct accelq_device *aq = container_of(inode->i_cdev,
						struct accelq_device, cdev);
	struct accelq_queue *q;
	struct iommu_sva *handle;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;

	handle = iommu_sva_bind_device(aq->parent, current->mm, NULL);
	if (IS_ERR(handle)) {
		kfree(q);
		return PTR_ERR(handle);
	}

	q->aq = aq;
	q->handle = handle;
	q->pasid = iommu_sva_get_pasid(handle);
	filep->private_data = q;
	return 0;
}

static int accelq_fops_release(struct inode *inode, struct file *filep)
{
	struct accelq_queue *q = filep->private_data;

	iommu_sva_unbind_device(q->handle);
	kfree(q);
	return 0;
}

static const struct file_operations accelq_fops = {
	.owner		= THIS_MODULE,
	.open		= accelq_fops_open,
	.release	= accelq_fops_release,
};
