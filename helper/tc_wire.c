/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - the wire: a pair of tc ingress redirects between two devices
 *
 * Theory of operation
 *
 * A wire between a tap and a partner is two filters, one on each device's
 * ingress hook:
 *
 *	partner ingress: u32 match-all, protocol all -> mirred egress redirect
 *			 to tap, STOLEN
 *	tap ingress:	 the same, redirecting to the partner
 *
 * Every frame that arrives on one device leaves through the other,
 * untouched: 802.1D group addresses (STP, LACP, LLDP, EAPOL, PAUSE), VLAN and
 * QinQ tags, jumbo frames. This is what a veth pair would do, and what a
 * Linux bridge does not.
 *
 * The kernel holds all the state. tcwire recognises its filters as the
 * filter kind defines them (tc_filter.c: priority TCW_FILTER_PRIO, chain 0
 * of the ingress hook, a u32 key node with a mirred redirect; the wire
 * model's scan finds them, wire_model.c), so no state file is
 * needed and a crashed run leaves nothing a later run cannot see. Only
 * tcwire's own filters are ever removed, one by one by their handle; an
 * ingress qdisc is removed only by the run that created it, and only while
 * no filter of anybody's is attached to it. When the tap goes away (qemu exited, the fd closed), the kernel
 * deletes the tap with its own qdisc and filter; the partner's filter stays,
 * with a target ifindex of 0. That is a stale wire: tc_wire_clear_stale()
 * removes it before wiring anew, so restarts never stack duplicates.
 *
 * Two helpers must never wire one partner at once: the check for an
 * existing wire and the replacement of a stale one are not atomic in the
 * kernel. The wire lock (wire_lock.c) serialises them per partner.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/pkt_sched.h>

#include <netlink/route/action.h>
#include <netlink/route/classifier.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>

#include "client/ifname.h"
#include "tc_wire.h"
#include "wire/wire_model.h"

/*
 * Remove the one tcwire filter @handle from @ifindex's ingress hook
 * #syscalls sendmsg recvmsg
 */
static int redirect_remove(struct tcw_nl *nl, int ifindex, uint32_t handle)
{
	struct rtnl_cls *cls = rtnl_cls_alloc();
	int rc;

	if (!cls)
		return -ENOMEM;
	tcw_filter_init(cls, ifindex);
	rtnl_tc_set_handle(TC_CAST(cls), handle);
	rc = tcw_nl_call(nl, rtnl_cls_delete(nl->sk, cls, 0));
	rtnl_cls_put(cls);
	return rc;
}

/*
 * Remove the u32 instance at tcwire's priority from @ifindex if it is
 * empty: no key node, no table of anybody's. The kernel keeps an instance
 * whose last node we deleted while other u32 filters share the qdisc.
 * #syscalls sendmsg recvmsg
 */
static void u32_instance_remove_if_empty(struct tcw_nl *nl, int ifindex)
{
	struct tcw_ingress_scan scan;
	struct rtnl_cls *cls;

	if (tcw_ingress_scan(nl, ifindex, &scan) < 0 || !scan.root_htid ||
	    scan.root_nodes || scan.foreign)
		return;
	cls = rtnl_cls_alloc();
	if (!cls)
		return;
	tcw_filter_init(cls, ifindex);
	tcw_nl_call(nl, rtnl_cls_delete(nl->sk, cls, 0));
	rtnl_cls_put(cls);
}

/*
 * Add the match-all redirect filter on @from's ingress towards @to
 * #syscalls sendmsg recvmsg
 */
static int redirect_add(struct tcw_nl *nl, int from, int to)
{
	struct rtnl_cls *cls = rtnl_cls_alloc();
	struct rtnl_act *act = rtnl_act_alloc();
	int rc = -ENOMEM;

	if (!cls || !act)
		goto out;
	tcw_filter_init(cls, from);
	rc = tcw_filter_set_redirect(cls, act, to);
	if (rc)
		goto out;
	rc = tcw_nl_call(nl, rtnl_cls_add(nl->sk, cls,
					  NLM_F_CREATE | NLM_F_EXCL));
out:
	if (act)
		rtnl_act_put(act);
	if (cls)
		rtnl_cls_put(cls);
	return rc;
}

/*
 * Add (create = true) or delete the ingress qdisc of @ifindex
 * #syscalls sendmsg recvmsg
 */
static int ingress_qdisc_change(struct tcw_nl *nl, int ifindex, bool create)
{
	struct rtnl_qdisc *q = rtnl_qdisc_alloc();
	int rc;

	if (!q)
		return -ENOMEM;
	rtnl_tc_set_ifindex(TC_CAST(q), ifindex);
	rtnl_tc_set_parent(TC_CAST(q), TC_H_INGRESS);
	rtnl_tc_set_handle(TC_CAST(q), TC_H_MAKE(TC_H_INGRESS, 0));
	rtnl_tc_set_kind(TC_CAST(q), "ingress");
	if (create)
		rc = tcw_nl_call(nl, rtnl_qdisc_add(nl->sk, q,
						    NLM_F_CREATE | NLM_F_EXCL));
	else
		rc = tcw_nl_call(nl, rtnl_qdisc_delete(nl->sk, q));
	rtnl_qdisc_put(q);
	return rc;
}

/* Which of @a and @b no longer exists, if one of them vanished */
static const struct tc_wire_end *wire_end_gone(struct tcw_nl *nl,
						 const struct tc_wire_end *a,
						 const struct tc_wire_end *b)
{
	const struct tc_wire_end *ends[2] = { a, b };
	int i;

	for (i = 0; i < 2; i++) {
		struct rtnl_link *link = NULL;
		int rc = tcw_link_get_by_index(nl, ends[i]->ifindex, &link);

		if (rc == -ENODEV)
			return ends[i];
		if (rc == 0)
			rtnl_link_put(link);
	}
	return NULL;
}

/* Give @end an ingress hook and the redirect to @to; records what it did */
static int wire_one_direction(struct tcw_nl *nl, struct tc_wire_end *end,
			      const struct tc_wire_end *to,
			      struct tcw_err *err)
{
	int rc;

	rc = ingress_qdisc_change(nl, end->ifindex, true);
	if (rc == 0)
		end->qdisc_created = true;
	else if (rc != -EEXIST)	/* an ingress or clsact qdisc is there */
		return tcw_nl_fail(nl, err, rc, "%s: cannot add ingress qdisc",
				   end->name);

	rc = redirect_add(nl, end->ifindex, to->ifindex);
	if (rc == -ENODEV || rc == -EINVAL) {
		const struct tc_wire_end *gone = wire_end_gone(nl, end, to);

		if (gone)
			return tcw_err_set(err, ENODEV,
					   "%s: disappeared while the helper was wiring it",
					   gone->name);
	}
	if (rc == -EEXIST)
		return tcw_err_set(err, EADDRINUSE,
				   "%s: tc filter priority %d is already taken on its ingress hook",
				   end->name, TCW_FILTER_PRIO);
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "%s: cannot add redirect to %s",
				   end->name, to->name);
	end->filter_added = true;
	return 0;
}

/* "Priority taken" refusal for @name */
static int priority_taken(struct tcw_err *err, const char *name)
{
	return tcw_err_set(err, EADDRINUSE,
			   "%s: tc filter priority %d is already taken on its ingress hook",
			   name, TCW_FILTER_PRIO);
}

/*
 * Where @r leads: 0 if to a live device (its name in @live), 1 if to a
 * tcwire tap nobody holds (deleted here), -ENODEV if nowhere, or another
 * negative errno
 */
static int redirect_target_check(struct tcw_nl *nl, const struct tcw_redirect *r,
				 char live[IFNAMSIZ])
{
	struct rtnl_link *target = NULL;
	int rc;

	if (r->target_ifindex <= 0)
		return -ENODEV;
	rc = tcw_link_get_by_index(nl, r->target_ifindex, &target);
	if (rc < 0)
		return rc;
	if (!tcw_tap_is_orphan(nl, target)) {
		snprintf(live, IFNAMSIZ, "%s", rtnl_link_get_name(target));
		rtnl_link_put(target);
		return 0;
	}
	rtnl_link_put(target);
	return 1;
}

/* See tc_wire.h */
int tc_wire_clear_stale(struct tcw_nl *nl, int ifindex, const char *name,
			int mine, struct tcw_err *err)
{
	struct tcw_ingress_scan scan;
	int state[TCW_SCAN_MAX];
	char live[IFNAMSIZ];
	unsigned int i;
	int rc;

	rc = tcw_ingress_scan(nl, ifindex, &scan);
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "%s: cannot list tc filters",
				   name);
	/* Live if any redirect leads to a live device: decide before removing */
	for (i = 0; i < scan.n; i++) {
		if (mine > 0 && scan.r[i].target_ifindex == mine) {
			state[i] = -ENODEV;	/* ours: replaced like a stale one */
			continue;
		}
		state[i] = redirect_target_check(nl, &scan.r[i], live);
		if (state[i] == 0)
			return tcw_err_set(err, EADDRINUSE,
					   "%s: already wired to %s", name, live);
		if (state[i] < 0 && state[i] != -ENODEV)
			return tcw_nl_fail(nl, err, state[i],
					   "%s: cannot look up the device it is wired to",
					   name);
	}
	if (scan.foreign || scan.overflow)
		return priority_taken(err, name);
	for (i = 0; i < scan.n; i++) {
		if (state[i] == 1) {	/* made persistent, nobody attached */
			rc = tcw_link_delete(nl, scan.r[i].target_ifindex);
			if (rc < 0 && rc != -ENODEV)
				return tcw_nl_fail(nl, err, rc,
						   "%s: cannot remove the orphaned tap it is wired to",
						   name);
		}
		rc = redirect_remove(nl, ifindex, scan.r[i].handle);
		if (rc < 0 && rc != -ENOENT)
			return tcw_nl_fail(nl, err, rc,
					   "%s: cannot remove stale wire", name);
	}
	return 0;
}

/* See tc_wire.h */
int tc_wire_remove_towards(struct tcw_nl *nl, int ifindex, const char *name,
			   int to, struct tcw_err *err)
{
	struct tcw_ingress_scan scan;
	unsigned int i;
	int rc, removed = 0;

	rc = tcw_ingress_scan(nl, ifindex, &scan);
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "%s: cannot list tc filters",
				   name);
	for (i = 0; i < scan.n; i++) {
		if (scan.r[i].target_ifindex != to)
			continue;
		rc = redirect_remove(nl, ifindex, scan.r[i].handle);
		if (rc < 0 && rc != -ENOENT)
			return tcw_nl_fail(nl, err, rc,
					   "%s: cannot remove its redirect", name);
		removed++;
	}
	if (removed)
		u32_instance_remove_if_empty(nl, ifindex);
	return removed;
}

/* See tc_wire.h */
int tc_wire_add(struct tcw_nl *nl, struct tc_wire *w, struct tcw_err *err)
{
	int rc;

	rc = wire_one_direction(nl, &w->tap, &w->partner, err);
	if (rc < 0)
		return rc;
	return wire_one_direction(nl, &w->partner, &w->tap, err);
}

/* See tc_wire.h */
int tc_wire_clear_ends(struct tcw_nl *nl, struct tc_wire *w, bool own_halves,
		       struct tcw_err *err)
{
	int rc;

	rc = tc_wire_clear_stale(nl, w->partner.ifindex, w->partner.name,
				 own_halves ? w->tap.ifindex : 0, err);
	if (rc == 0)
		rc = tc_wire_clear_stale(nl, w->tap.ifindex, w->tap.name,
					 own_halves ? w->partner.ifindex : 0,
					 err);
	return rc;
}

/* Whether @a's only tcwire redirect leads to @b */
static bool redirects_only_to(struct tcw_nl *nl, int a, int b)
{
	struct tcw_ingress_scan scan;

	return tcw_ingress_scan(nl, a, &scan) == 0 && scan.n == 1 &&
	       !scan.overflow && scan.r[0].target_ifindex == b;
}

/* See tc_wire.h */
bool tc_wire_present(struct tcw_nl *nl, const struct tc_wire *w)
{
	return redirects_only_to(nl, w->tap.ifindex, w->partner.ifindex) &&
	       redirects_only_to(nl, w->partner.ifindex, w->tap.ifindex);
}

/*
 * Undo one end: our filter towards @to first (by its handle), then the
 * qdisc if this run created it and nobody attached a filter to it since
 */
static void wire_end_undo(struct tcw_nl *nl, struct tc_wire_end *end,
			  const struct tc_wire_end *to)
{
	struct tcw_ingress_scan scan;
	unsigned int i;

	if (!end->filter_added && !end->qdisc_created)
		return;
	if (tcw_ingress_scan(nl, end->ifindex, &scan) < 0)
		return;
	for (i = 0; end->filter_added && i < scan.n; i++) {
		if (scan.r[i].target_ifindex != to->ifindex ||
		    redirect_remove(nl, end->ifindex, scan.r[i].handle) < 0)
			continue;
		end->filter_added = false;
		u32_instance_remove_if_empty(nl, end->ifindex);
	}
	if (end->qdisc_created && !end->filter_added &&
	    tcw_ingress_scan(nl, end->ifindex, &scan) == 0 && !scan.filters &&
	    ingress_qdisc_change(nl, end->ifindex, false) == 0)
		end->qdisc_created = false;
}

/* See tc_wire.h */
void tc_wire_undo(struct tcw_nl *nl, struct tc_wire *w)
{
	wire_end_undo(nl, &w->partner, &w->tap);
	wire_end_undo(nl, &w->tap, &w->partner);
}
