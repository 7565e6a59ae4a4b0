/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - persistent wires: a root-made tap wired to its partner for a VM
 * that libvirt (qemu:///system) starts and stops on it (see
 * persistent_wire.c)
 */
#ifndef TCWIRE_PERSISTENT_WIRE_H
#define TCWIRE_PERSISTENT_WIRE_H

#include "client/error.h"
#include "wire/netlink.h"

/* The kernel's limit on a tap's queues (MAX_TAP_QUEUES) */
#define PERSISTENT_MAX_QUEUES	256

/* What persistent_wire() did */
enum persistent_result {
	PERSISTENT_CREATED,	/* the tap was made and wired */
	PERSISTENT_WIRED,	/* an existing tap was wired or repaired */
	PERSISTENT_UNCHANGED,	/* everything was already in place */
};

/**
 * persistent_wire_check() - Check a tap name and queue count from the user
 * @tap:	Tap name
 * @queues:	Queues, as libvirt's <driver queues='N'> (1 without it)
 * @err:	Filled on failure
 *
 * A valid interface name that is not in tcwire-helper's tcw<N> pattern
 * (those are the helper's, and the orphan rule applies to them), and 1 to
 * PERSISTENT_MAX_QUEUES queues.
 *
 * Return: 0 or -EINVAL
 */
int persistent_wire_check(const char *tap, unsigned int queues,
			  struct tcw_err *err);

/**
 * persistent_wire() - Make sure the tap exists and is wired to the partner
 * @nl:		rtnetlink socket
 * @tap:	Tap name (persistent_wire_check() passed)
 * @partner:	Partner name: an Ethernet device of this network namespace,
 *		not a tap, macvtap, ipvtap, bridge or loopback
 * @queues:	Queues the VM uses: the tap is multiqueue exactly when > 1
 * @result:	What was done
 * @err:	Filled on failure
 *
 * Creates the tap if missing (persistent, owned by nobody, so only
 * CAP_NET_ADMIN can attach to it), refuses an existing one whose
 * multiqueue flag does not match @queues, gives it the partner's MTU, the
 * mark TCW_PERSISTENT_ALIAS_PREFIX and IFF_UP, and wires both directions
 * under the wire locks of both devices, replacing stale wires and halves
 * of this one. A partner live-wired to another device is refused. Running
 * it again with everything in place changes nothing. On failure nothing it
 * did stays (a tap it created is deleted again).
 *
 * Return: 0 or negative errno
 */
int persistent_wire(struct tcw_nl *nl, const char *tap, const char *partner,
		    unsigned int queues, enum persistent_result *result,
		    struct tcw_err *err);

/**
 * persistent_unwire() - Remove a persistent wire and its tap
 * @nl:		rtnetlink socket
 * @tap:	Tap name
 * @err:	Filled on failure
 *
 * Only a tap carrying the mark of persistent_wire(), and only while no VM
 * holds it. The redirects towards it on its partner (the device its alias
 * names, and any device its own redirect leads to) are removed, then the
 * tap with its own filters.
 *
 * Return: 0 or negative errno
 */
int persistent_unwire(struct tcw_nl *nl, const char *tap, struct tcw_err *err);

#endif /* TCWIRE_PERSISTENT_WIRE_H */
