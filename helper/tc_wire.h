/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - the wire: a pair of tc ingress redirects between two devices
 */
#ifndef TCWIRE_TC_WIRE_H
#define TCWIRE_TC_WIRE_H

#include <stdbool.h>

#include "error.h"
#include "netlink.h"

/* tcwire owns this filter priority on the ingress hook of wired devices */
#define TCW_FILTER_PRIO		0x7463		/* 29795, "tc" in ASCII */

/**
 * struct tcw_redirect - What tcwire found on one device's ingress hook
 * @present:		A tcwire redirect filter exists on the device
 * @target_ifindex:	Where it sends frames; 0 when the target device is
 *			gone (the kernel reports 0 once it disappeared)
 * @foreign:		Somebody else's filter sits at TCW_FILTER_PRIO
 */
struct tcw_redirect {
	bool present;
	int target_ifindex;
	bool foreign;
};

/**
 * struct tcw_wire_end - One device of a wire and what this run created on it
 * @ifindex:		Device
 * @name:		Device name, for messages
 * @qdisc_created:	We added the ingress qdisc (so undo removes it)
 * @filter_added:	We added the redirect filter (so undo removes it)
 */
struct tcw_wire_end {
	int ifindex;
	const char *name;
	bool qdisc_created;
	bool filter_added;
};

/**
 * struct tcw_wire - Both directions of a wire between a tap and a partner
 * @tap:	The tap end
 * @partner:	The partner end (a container's ethN, a vxlan, ...)
 */
struct tcw_wire {
	struct tcw_wire_end tap;
	struct tcw_wire_end partner;
};

/**
 * tcw_redirect_find() - Look for tcwire's redirect filter on a device
 * @nl:		rtnetlink socket
 * @ifindex:	Device to inspect
 * @found:	Result
 *
 * Only a u32 filter at TCW_FILTER_PRIO with a mirred egress redirect counts;
 * anybody else's filters are ignored.
 *
 * Return: 0 or negative errno (with the kernel's text in @nl)
 */
int tcw_redirect_find(struct tcw_nl *nl, int ifindex,
		      struct tcw_redirect *found);

/**
 * tcw_partner_claim() - Make sure a partner carries no live tcwire wire
 * @nl:		rtnetlink socket
 * @ifindex:	Partner device
 * @name:	Partner name, for messages
 * @err:	Filled on failure
 *
 * A redirect to a device that no longer exists (left behind when qemu
 * exited) is removed, and so is one to a tcwire tap that its last user
 * made persistent and then let go of (the tap is deleted too). A redirect
 * to a live device is not touched.
 * Call it with the partner's wire lock held.
 *
 * Return: 0, -EADDRINUSE if wired to a live device ("already wired to X"),
 *	   or another negative errno
 */
int tcw_partner_claim(struct tcw_nl *nl, int ifindex, const char *name,
		      struct tcw_err *err);

/**
 * tcw_wire_connect() - Redirect all frames between a tap and a partner
 * @nl:		rtnetlink socket
 * @w:		Wire with tap/partner ifindex and names set; records what
 *		was created so tcw_wire_undo() can remove exactly that
 * @err:	Filled on failure
 *
 * On each device: an ingress qdisc (an existing ingress or clsact qdisc is
 * reused) and a u32 match-all, protocol all filter with mirred egress
 * redirect (STOLEN) to the other device. The tap end is wired first: if we
 * die half-way, the tap vanishes with our fd and the partner is untouched.
 *
 * Return: 0 or negative errno; on failure the caller runs tcw_wire_undo()
 */
int tcw_wire_connect(struct tcw_nl *nl, struct tcw_wire *w,
		     struct tcw_err *err);

/**
 * tcw_wire_undo() - Remove what tcw_wire_connect() created, best effort
 * @nl:		rtnetlink socket
 * @w:		Wire as left by tcw_wire_connect()
 */
void tcw_wire_undo(struct tcw_nl *nl, struct tcw_wire *w);

#endif /* TCWIRE_TC_WIRE_H */
