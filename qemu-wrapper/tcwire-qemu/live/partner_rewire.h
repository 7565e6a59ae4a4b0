/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - re-wiring a NIC's tap to its recreated partner
 */
#ifndef TCWIRE_REWIRE_H
#define TCWIRE_REWIRE_H

#include "live/live_links.h"

/**
 * rewire_nic() - Wire NIC @s's existing tap to partner @l
 * @lv:		State
 * @s:		Wired NIC whose partner was deleted (partner_ifindex 0)
 * @l:		The interface that now has the partner's name
 *
 * Runs tcwire-helper in its re-wire mode, handing it the tap fd as proof
 * that the tap is ours; the VM, its NIC and the tap stay as they are. On
 * success @s->partner_ifindex is @l's; on failure one line is logged and
 * @l's ifindex is not tried again.
 *
 * Return: 0 or negative errno
 */
int rewire_nic(struct live_links *lv, struct nic_slot *s,
	       const struct monitored_link *l);

#endif
