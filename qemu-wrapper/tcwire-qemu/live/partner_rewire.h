/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - wiring a NIC's tap to its partner once it is there
 */
#ifndef TCWIRE_REWIRE_H
#define TCWIRE_REWIRE_H

#include "live/live_state.h"

/**
 * rewire_nic() - Start wiring NIC @s's existing tap to partner @l
 * @lv:		State
 * @s:		Wired NIC whose partner is gone (partner_ifindex 0): deleted,
 *		or a slot's interface not there at boot
 * @l:		The interface that now has the partner's name
 *
 * Starts tcwire-helper in its re-wire mode, handing it the tap fd as proof
 * that the tap is ours, and returns: @s is busy until the helper has
 * exited. Then @s->partner_ifindex is @l's and a line says so, or one line
 * says why not and @l's ifindex is not tried again; a reconcile pass
 * follows either way.
 */
void rewire_nic(struct live_links *lv, struct nic_slot *s,
		const struct monitored_link *l);

#endif
