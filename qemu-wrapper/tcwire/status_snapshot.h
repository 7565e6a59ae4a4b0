/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - a snapshot of one network namespace from rtnetlink dumps
 */
#ifndef TCWIRE_STATUS_SNAPSHOT_H
#define TCWIRE_STATUS_SNAPSHOT_H

#include "client/error.h"
#include "wire/netlink.h"
#include "status_model.h"

/**
 * struct snapshot_cost - The requests a snapshot took (for tests and
 *			       the benchmark)
 * @link_dumps:		RTM_GETLINK dumps (one, plus one per namespace
 *			that holds peers of wired veths)
 * @qdisc_dumps:	RTM_GETQDISC dumps (one)
 * @hook_scans:		Devices whose ingress hook was scanned
 */
struct snapshot_cost {
	unsigned int link_dumps;
	unsigned int qdisc_dumps;
	unsigned int hook_scans;
};

/**
 * snapshot_take() - Read the devices of @nl's network namespace
 * @nl:		rtnetlink socket opened in that namespace
 * @s:		Result; free with snapshot_free()
 * @cost:	If not NULL, what it took
 * @err:	Filled on failure
 *
 * One link dump and one qdisc dump for the whole namespace; then, only for
 * the devices that have an ingress or clsact qdisc, a scan of the ingress
 * hook by the wire model (the kernel dumps filters per device, never per
 * namespace). The veth peers of wired devices that live in another
 * namespace are looked up with one link dump of that namespace
 * (IFLA_TARGET_NETNSID), when the kernel allows it (it needs
 * CAP_NET_ADMIN there); otherwise their MTU stays unknown. Needs no
 * privileges.
 *
 * Return: 0 or negative errno
 */
int snapshot_take(struct tcw_nl *nl, struct status_snapshot *s,
		       struct snapshot_cost *cost, struct tcw_err *err);

/**
 * snapshot_free() - Free a snapshot; safe to repeat
 * @s:		Snapshot
 */
void snapshot_free(struct status_snapshot *s);

#endif /* TCWIRE_STATUS_SNAPSHOT_H */
