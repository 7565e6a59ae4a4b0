/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - management passthrough: the exceptions in front of a
 * wire
 *
 * Theory of operation
 *
 * With a management passthrough the VM owns its container's management
 * address: the VM's management NIC is wired to eth0 like any data link,
 * and everything that arrives on eth0 goes to the VM, except
 *
 *  - TCP to the ports the container serves itself (its console ports,
 *    5000-5007 by default, --mgmt-local-tcp): they stay in the container;
 *  - ARP and ICMPv6 router/neighbour discovery: the VM gets a copy and the
 *    container keeps the frame, so both answer for the address and both
 *    resolve their neighbours. Both answer with the same MAC, because the
 *    VM's NIC takes eth0's (tcwire-qemu sets it; eth0 is never changed).
 *
 * What the VM sends leaves through eth0 (the tap's ordinary redirect).
 *
 * The exceptions are key nodes of the partner's tcwire u32 instance, in
 * front of its redirect (tc_filter.h shows them as tc(8) commands): one
 * priority, one instance, so the wire model sees the whole passthrough on
 * one hook and removing tcwire's priority removes all of it. u32 tries the
 * nodes of a table in the order of their node ids, which the kernel hands
 * out lowest free first; the partner's table is empty when a wiring starts
 * (stale wires are cleared, anything foreign is refused), so the nodes
 * added first, the exceptions, are tried first and the redirect last.
 *
 * Nothing classifies without gact, matchall or flower: a local exception
 * is a terminal node without an action (classification ends, "ok"), a
 * mirror is mirred egress mirror with "ok".
 *
 * The container's own traffic: what it sends leaves through eth0 as
 * before; what comes back goes to the VM unless it is ARP, ND or TCP to a
 * local port. So the container keeps serving its console ports (and
 * resolving the clients of those), but a connection it opens itself over
 * eth0 gets no answer. That is vrnetlab's passthrough too; the container
 * has nothing else to say on its management network once the VM owns it.
 */
#include <errno.h>

#include "mgmt_wire.h"
#include "tc_wire.h"
#include "wire/tc_filter.h"
#include "wire/wire_model.h"

/*
 * See mgmt_wire.h
 * #syscalls sendmsg recvmsg
 */
int mgmt_exceptions_add(struct tcw_nl *nl, int ifindex, const char *name,
			int tap, const struct mgmt_spec *spec,
			struct tcw_err *err)
{
	unsigned int i;
	int ipv6, what, rc;

	for (ipv6 = 0; ipv6 < 2; ipv6++)
		for (i = 0; i < spec->n_local; i++) {
			rc = tc_wire_node_add(nl, ifindex, &(struct tc_wire_node){
				.kind = TCW_NODE_MGMT_LOCAL,
				.block = &spec->local[i], .ipv6 = ipv6 });
			if (rc < 0)
				return tcw_nl_fail(nl, err, rc,
						   "%s: cannot add the passthrough's local ports",
						   name);
		}
	for (what = 0; what < TCW_MIRROR_KINDS; what++) {
		rc = tc_wire_node_add(nl, ifindex, &(struct tc_wire_node){
			.kind = TCW_NODE_MGMT_MIRROR, .mirror = what,
			.to = tap });
		if (rc < 0)
			return tcw_nl_fail(nl, err, rc,
					   "%s: cannot add the passthrough's ARP and ND copies",
					   name);
	}
	return 0;
}

/*
 * See mgmt_wire.h
 * #syscalls sendmsg recvmsg
 */
void mgmt_exceptions_remove(struct tcw_nl *nl, int ifindex)
{
	struct tcw_ingress_scan scan;
	unsigned int i;

	if (tcw_ingress_scan(nl, ifindex, &scan) < 0)
		return;
	for (i = 0; i < scan.n_mgmt; i++)
		tc_wire_node_remove(nl, ifindex, scan.mgmt[i].handle);
}
