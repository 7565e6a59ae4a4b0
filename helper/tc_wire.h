/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - the wire: a pair of tc ingress redirects between two devices
 */
#ifndef TCWIRE_TC_WIRE_H
#define TCWIRE_TC_WIRE_H

#include <stdbool.h>

#include "client/error.h"
#include "wire/netlink.h"
#include "wire/wire_model.h"

/**
 * struct tc_wire_end - One device of a wire and what this run created on it
 * @ifindex:		Device
 * @name:		Device name, for messages
 * @qdisc_created:	We added the ingress qdisc (so undo removes it)
 * @filter_added:	We added the redirect filter (so undo removes it)
 */
struct tc_wire_end {
	int ifindex;
	const char *name;
	bool qdisc_created;
	bool filter_added;
};

/**
 * struct tc_wire - Both directions of a wire between a tap and a partner
 * @tap:	The tap end
 * @partner:	The partner end (a container's ethN, a vxlan, ...)
 */
struct tc_wire {
	struct tc_wire_end tap;
	struct tc_wire_end partner;
};

/**
 * tc_wire_clear_stale() - Remove a partner's stale wires; refuse a live one
 * @nl:		rtnetlink socket
 * @ifindex:	Partner device
 * @name:	Partner name, for messages
 * @mine:	The other end of the wire about to be made, 0 if it is new: a
 *		redirect to it is this wire's own (a half left by libvirt's
 *		hot-unplug, say) and is replaced like a stale one
 * @err:	Filled on failure
 *
 * The partner is live-wired if any tcwire redirect on it (wire_model.h)
 * leads to a live device other than @mine; then nothing is touched. Otherwise every tcwire
 * redirect on it is removed by its handle: those to a device that no
 * longer exists (left behind when qemu exited) and those to a tcwire tap
 * that its last user made persistent and then let go of (the tap is
 * deleted too). Nobody else's filter is touched; one in tcwire's place
 * makes it fail.
 * Call it with the partner's wire lock held.
 *
 * Return: 0, -EADDRINUSE if wired to a live device ("already wired to X")
 *	   or tcwire's priority is taken by a foreign filter, or another
 *	   negative errno
 */
int tc_wire_clear_stale(struct tcw_nl *nl, int ifindex, const char *name,
			int mine, struct tcw_err *err);

/**
 * tc_wire_remove_towards() - Remove the tcwire redirects on a device that
 *			      lead to @to
 * @nl:		rtnetlink socket
 * @ifindex:	Device
 * @name:	Its name, for messages
 * @to:		Target ifindex
 * @err:	Filled on failure
 *
 * Each is removed by its handle; an emptied u32 instance at tcwire's
 * priority goes too. The qdisc stays. Call it with the device's wire lock
 * held.
 *
 * Return: number of redirects removed, or negative errno
 */
int tc_wire_remove_towards(struct tcw_nl *nl, int ifindex, const char *name,
			   int to, struct tcw_err *err);

/**
 * tc_wire_add() - Redirect all frames between a tap and a partner
 * @nl:		rtnetlink socket
 * @w:		Wire with tap/partner ifindex and names set; records what
 *		was created so tc_wire_undo() can remove exactly that
 * @err:	Filled on failure
 *
 * On each device: an ingress qdisc (an existing ingress or clsact qdisc is
 * reused) and a u32 match-all, protocol all filter with mirred egress
 * redirect (STOLEN) to the other device. The tap end is wired first: if we
 * die half-way, the tap vanishes with our fd and the partner is untouched.
 *
 * Return: 0 or negative errno; on failure the caller runs tc_wire_undo()
 */
int tc_wire_add(struct tcw_nl *nl, struct tc_wire *w, struct tcw_err *err);

/**
 * tc_wire_clear_ends() - Clear both ends of a wire about to be made of
 *			  stale wires
 * @nl:		rtnetlink socket
 * @w:		Wire with both ifindexes and names set
 * @own_halves:	A redirect already between the two ends is this wire's and
 *		is replaced (else it makes the other end "live-wired")
 * @err:	Filled on failure
 *
 * tc_wire_clear_stale() on the partner, then on the tap; a refusal comes
 * before any change. Call it with both wire locks held, then
 * tc_wire_add().
 *
 * Return: 0 or negative errno
 */
int tc_wire_clear_ends(struct tcw_nl *nl, struct tc_wire *w, bool own_halves,
		       struct tcw_err *err);

/**
 * tc_wire_present() - Whether the wire is complete: each end's only
 *		       tcwire redirect leads to the other end
 * @nl:		rtnetlink socket
 * @w:		Wire with both ifindexes set
 *
 * Return: true if both redirects are there and nothing else of tcwire's
 */
bool tc_wire_present(struct tcw_nl *nl, const struct tc_wire *w);

/**
 * tc_wire_undo() - Remove what tc_wire_add() created, best effort
 * @nl:		rtnetlink socket
 * @w:		Wire as left by tc_wire_add()
 */
void tc_wire_undo(struct tcw_nl *nl, struct tc_wire *w);

#endif /* TCWIRE_TC_WIRE_H */
