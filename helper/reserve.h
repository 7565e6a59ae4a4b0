/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - reserve mode: a tap for a partner that is not there yet
 */
#ifndef TCWIRE_RESERVE_H
#define TCWIRE_RESERVE_H

#include <stdbool.h>

#include "client/error.h"
#include "tap_device.h"
#include "wire/netlink.h"

/**
 * reserve_tap() - Create a tap for @partner, wired to nothing
 * @nl:		rtnetlink socket
 * @tap:	Tap with open fds (tap_open_queues())
 * @use_vnet:	Ask for a virtio-net header
 * @partner:	The partner it is for (checked by the ACL; need not exist)
 * @err:	Filled on failure
 *
 * The tap is made as for a wiring (owned by the caller, multiqueue, MAC
 * 0xFE..., up), with MTU 1500 and the alias "tcwire:PARTNER"; no filter,
 * no lock: the partner is not looked at. A later --rewire wires it.
 *
 * Return: 0 or negative errno
 */
int reserve_tap(struct tcw_nl *nl, struct tap_device *tap, bool use_vnet,
		const char *partner, struct tcw_err *err);

#endif /* TCWIRE_RESERVE_H */
