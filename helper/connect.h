/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - connect a new tap to its partner, or undo all of it
 */
#ifndef TCWIRE_CONNECT_H
#define TCWIRE_CONNECT_H

#include <stdbool.h>

#include "error.h"
#include "netlink.h"
#include "tap_device.h"
#include "tc_wire.h"

/**
 * struct connection - A tap's connection to its partner, as far as it got
 * @partner_name:	Partner from --br
 * @partner_ifindex:	Partner's ifindex once found
 * @bridge_mode:	The partner is a Linux bridge: the tap is its port
 * @lock_fd:		Partner's wire lock, -1 when not held
 * @wire:		The mirred wire (not in bridge mode)
 * @partner_raised:	We brought the partner up (undo sets it down)
 */
struct connection {
	const char *partner_name;
	int partner_ifindex;
	bool bridge_mode;
	int lock_fd;
	struct tcw_wire wire;
	bool partner_raised;
};

/**
 * connect_partner_inspect() - Find the partner; refuse what cannot be a wire's end
 * @nl:		rtnetlink socket
 * @conn:	Connection with partner_name; partner_ifindex and bridge_mode
 *		are filled in
 * @mtu:	Result: the partner's MTU
 * @is_up:	Result: whether it is administratively up
 * @err:	Filled on failure
 *
 * Refused: a name that is not in this network namespace, an alternative
 * name (the ACL judged the name given), loopback, non-Ethernet devices,
 * taps, macvtaps and ipvtaps.
 *
 * Return: 0 or negative errno
 */
int connect_partner_inspect(struct tcw_nl *nl, struct connection *conn,
			    unsigned int *mtu, bool *is_up,
			    struct tcw_err *err);

/**
 * connect_partner_set_up() - Set the partner administratively up or down
 * @nl:		rtnetlink socket
 * @conn:	Connection with partner_ifindex
 * @up:		Up or down
 * @err:	Filled on failure, may be NULL
 *
 * Return: 0 or negative errno
 */
int connect_partner_set_up(struct tcw_nl *nl, struct connection *conn,
			   bool up, struct tcw_err *err);

/**
 * connect_tap_to_partner() - Create the tap and connect it to the partner
 * @nl:		rtnetlink socket
 * @conn:	Connection, partner_name set; records every step taken
 * @tap:	Tap with open fds (tap_open_queues())
 * @use_vnet:	Create the tap with a virtio-net header if possible
 * @err:	Filled on failure
 *
 * The partner must exist in our network namespace under exactly that name
 * (not an altname: the ACL judged the name) and be an Ethernet device
 * other than loopback and other than a tap, macvtap or ipvtap (another
 * VM's NIC: wiring it would hijack or loop that VM's traffic). A Linux bridge gets the
 * tap as a port, as qemu-bridge-helper does; any other device gets a
 * mirred wire (tc_wire.c), under the partner's wire lock, after a stale
 * wire from an earlier run has been removed. Tap MTU = partner MTU; tap
 * and partner end up administratively up.
 *
 * Return: 0 or negative errno; on failure the caller calls connect_undo()
 */
int connect_tap_to_partner(struct tcw_nl *nl, struct connection *conn,
			   struct tap_device *tap, bool use_vnet,
			   struct tcw_err *err);

/**
 * connect_undo() - Remove what connect_tap_to_partner() created
 * @nl:		rtnetlink socket
 * @conn:	Connection as left by connect_tap_to_partner()
 *
 * Removes our filters and qdiscs and restores the partner's down state.
 * The tap itself goes away when the caller closes its fds.
 */
void connect_undo(struct tcw_nl *nl, struct connection *conn);

/**
 * connect_release() - Release the wire lock after success or undo
 * @conn:	Connection
 */
void connect_release(struct connection *conn);

#endif /* TCWIRE_CONNECT_H */
