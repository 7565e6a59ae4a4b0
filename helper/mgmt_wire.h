/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - management passthrough: the exceptions in front of a
 * wire (see mgmt_wire.c)
 */
#ifndef TCWIRE_MGMT_WIRE_H
#define TCWIRE_MGMT_WIRE_H

#include "client/error.h"
#include "client/port_blocks.h"
#include "wire/netlink.h"

/**
 * struct mgmt_spec - What a passthrough keeps in the container
 * @local:	TCP destination port blocks that stay local (IPv4 and IPv6)
 * @n_local:	Number of @local
 */
struct mgmt_spec {
	const struct tcw_port_block *local;
	unsigned int n_local;
};

/**
 * mgmt_exceptions_add() - Put the passthrough's exceptions on a partner
 * @nl:		rtnetlink socket
 * @ifindex:	The partner (eth0), with an ingress hook
 * @name:	Its name, for messages
 * @tap:	The VM's management tap, where ARP and ND are copied to
 * @spec:	The local ports
 * @err:	Filled on failure
 *
 * Call before the partner's redirect is added: u32 tries the nodes in the
 * order they were added in, so the exceptions come first.
 *
 * Return: 0 or negative errno; on failure the caller removes what was
 *	   added with mgmt_exceptions_remove()
 */
int mgmt_exceptions_add(struct tcw_nl *nl, int ifindex, const char *name,
			int tap, const struct mgmt_spec *spec,
			struct tcw_err *err);

/**
 * mgmt_exceptions_remove() - Remove every passthrough exception of a device
 * @nl:		rtnetlink socket
 * @ifindex:	Device
 *
 * Best effort; by handle, so nobody else's filter goes with them.
 */
void mgmt_exceptions_remove(struct tcw_nl *nl, int ifindex);

#endif /* TCWIRE_MGMT_WIRE_H */
