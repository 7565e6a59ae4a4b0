/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - the wiring: a new tap wired to its partner, or all of
 * it undone (see wiring.c for the words)
 */
#ifndef TCWIRE_WIRING_H
#define TCWIRE_WIRING_H

#include <stdbool.h>

#include "client/error.h"
#include "wire/netlink.h"
#include "tap_device.h"
#include "tc_wire.h"

/**
 * struct wiring - One partner's wiring, as far as it got
 * @partner_name:	Partner from --br
 * @partner_ifindex:	Partner's ifindex once found
 * @bridge_mode:	The partner is a Linux bridge: the tap is its port
 * @lock_fd:		Partner's wire lock, -1 when not held
 * @wire:		The wire (not in bridge mode)
 * @partner_raised:	We brought the partner up (undo sets it down)
 */
struct wiring {
	const char *partner_name;
	int partner_ifindex;
	bool bridge_mode;
	int lock_fd;
	struct tc_wire wire;
	bool partner_raised;
};

/**
 * wiring_init() - A wiring that has done nothing yet (no lock fd: -1)
 * @wiring:	Wiring to initialise where it is declared
 * @partner_name: Partner from --br
 */
void wiring_init(struct wiring *wiring, const char *partner_name);

/**
 * wiring_partner_inspect() - Find the partner; refuse what cannot be a wire's end
 * @nl:		rtnetlink socket
 * @wiring:	Wiring with partner_name; partner_ifindex and bridge_mode
 *		are filled in
 * @mtu:	Result: the partner's MTU
 * @is_up:	Result: whether it is administratively up
 * @err:	Filled on failure
 *
 * Refused: a name that is not in this network namespace, an alternative
 * name (the ACL judged the name given), loopback, non-Ethernet devices,
 * taps, macvtaps and ipvtaps. Also used by the re-wire mode (rewire.c).
 *
 * Return: 0 or negative errno
 */
int wiring_partner_inspect(struct tcw_nl *nl, struct wiring *wiring,
			   unsigned int *mtu, bool *is_up,
			   struct tcw_err *err);

/**
 * wiring_lock_with_tap() - Take the wire locks of an existing tap and of
 *			    the partner, and recheck the partner
 * @nl:		rtnetlink socket
 * @wiring:	Wiring with partner_ifindex; its lock_fd is set
 * @tap_ifindex: The tap
 * @tap_name:	Its name, for messages
 * @tap_lock:	Result: the tap's lock fd (the caller closes it)
 * @err:	Filled on failure
 *
 * The tap's lock first, then the partner's: every caller that holds both
 * takes them in this order. Used where a tap outlives one run: re-wire
 * mode (rewire.c) and persistent wires (persistent_wire.c); the caller
 * rechecks its tap under the locks.
 *
 * Return: 0 or negative errno (locks taken so far stay for the caller)
 */
int wiring_lock_with_tap(struct tcw_nl *nl, struct wiring *wiring,
			 int tap_ifindex, const char *tap_name, int *tap_lock,
			 struct tcw_err *err);

/**
 * wiring_partner_set_up() - Set the partner administratively up or down
 * @nl:		rtnetlink socket
 * @wiring:	Wiring with partner_ifindex
 * @up:		Up or down
 * @err:	Filled on failure, may be NULL
 *
 * Return: 0 or negative errno
 */
int wiring_partner_set_up(struct tcw_nl *nl, struct wiring *wiring, bool up,
			  struct tcw_err *err);

/**
 * wiring_create() - Create the tap and wire it to the partner
 * @nl:		rtnetlink socket
 * @wiring:	Wiring from wiring_init(); records every step taken
 * @tap:	Tap with open fds (tap_open_queues())
 * @use_vnet:	Create the tap with a virtio-net header if possible
 * @err:	Filled on failure
 *
 * The partner must exist in our network namespace under exactly that name
 * (not an altname: the ACL judged the name) and be an Ethernet device
 * other than loopback and other than a tap, macvtap or ipvtap (another
 * VM's NIC: wiring it would hijack or loop that VM's traffic). A Linux
 * bridge gets the tap as a port, as qemu-bridge-helper does, after its
 * orphaned tcwire ports were deleted; any other device gets a wire
 * (tc_wire.c), under the partner's wire lock, after stale wires from
 * earlier runs were cleared. Tap MTU = partner MTU; tap and partner end
 * up administratively up.
 *
 * Return: 0 or negative errno; on failure the caller calls wiring_undo()
 */
int wiring_create(struct tcw_nl *nl, struct wiring *wiring,
		  struct tap_device *tap, bool use_vnet, struct tcw_err *err);

/**
 * wiring_undo() - Remove what wiring_create() created
 * @nl:		rtnetlink socket
 * @wiring:	Wiring as left by wiring_create()
 *
 * Removes our filters and qdiscs and restores the partner's down state.
 * The tap itself goes away when the caller closes its fds.
 */
void wiring_undo(struct tcw_nl *nl, struct wiring *wiring);

/**
 * wiring_release() - Release the wire lock after success or undo
 * @wiring:	Wiring
 */
void wiring_release(struct wiring *wiring);

#endif /* TCWIRE_WIRING_H */
