/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - hot-adding a NIC for an interface that appeared late
 */
#ifndef TCWIRE_HOTPLUG_H
#define TCWIRE_HOTPLUG_H

#include "live/live_state.h"

/* How long the guest has to release a placeholder NIC (device_del) */
#define HOTPLUG_UNPLUG_TIMEOUT_S	60

/**
 * hotplug_nic() - Give position @s a wired NIC for partner @l
 * @lv:		State
 * @s:		NIC position without tap: a placeholder, or not in the VM
 * @l:		The partner that appeared
 *
 * Starts the helper for a tap and returns (the NIC is busy from now on);
 * once the helper has exited with the tap, over QMP, one step after the
 * other: device_del of the placeholder and
 * its DEVICE_DELETED event, netdev_del of its hubport; getfd (the tap fd
 * by SCM_RIGHTS) per queue; netdev_add of the tap; device_add at the
 * position's bus, slot and MAC, exactly as the command line would have
 * put it (qemu_nic_device()). The NIC is busy until done; on failure one
 * line is logged, the tap is closed and @l's ifindex is not tried again.
 */
void hotplug_nic(struct live_links *lv, struct nic_slot *s,
		 const struct monitored_link *l);

/**
 * hotplug_on_event() - Feed a QMP event to the hot-adds waiting for one
 * @lv:		State
 * @event:	Event name
 * @data:	Event data, may be NULL
 */
void hotplug_on_event(struct live_links *lv, const char *event,
		      JsonObject *data);

/**
 * hotplug_cancel_all() - Forget hot-adds in progress (qemu is gone)
 * @lv:		State
 */
void hotplug_cancel_all(struct live_links *lv);

#endif
