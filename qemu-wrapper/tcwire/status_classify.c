/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - from the devices of a namespace to its wires and states
 *
 * Theory of operation
 *
 * The kernel knows nothing of "wires": it has devices with filters. A wire
 * is reassembled from the redirects tcwire put on ingress hooks:
 *
 *	partner --redirect--> tap	the "to VM" direction
 *	tap     --redirect--> partner	the "from VM" direction
 *
 * Every redirect adds its direction to the row of its (partner, tap) pair;
 * the side that is a tun device is the tap. A redirect whose target is
 * gone (the kernel reports target 0 once the device disappeared) makes a
 * row whose other end is missing: stale. Taps named tcw<N> or marked by
 * tcwire wire that no redirect involves get a row too: a bridge port
 * (bridge mode, the partner shown is the bridge), an orphan, or unwired.
 * A tap of tcwire wire whose VM is stopped is healthy: "stopped", not
 * down, and the frames it drops meanwhile are no queue drops. Devices with a foreign
 * filter at tcwire's priority get the finding on their row, or a row of
 * their own.
 *
 * Findings are independent bits; the state shown is the first that applies
 * in the order of enum status_state, so the worst problem names the wire.
 */
#define _GNU_SOURCE
#include <string.h>

#include <glib.h>

#include "client/ifname.h"
#include "status_classify.h"
#include "status_findings.h"
#include "wire/wire_model.h"

static const char *const state_names[STATUS_N_STATES] = {
	[STATUS_FOREIGN] = "foreign",
	[STATUS_STALE] = "stale",
	[STATUS_ORPHAN] = "orphan",
	[STATUS_ONE_WAY] = "one-way",
	[STATUS_UNWIRED] = "unwired",
	[STATUS_DOWN] = "down",
	[STATUS_MTU_MISMATCH] = "mtu-mismatch",
	[STATUS_WAITING] = "waiting",
	[STATUS_STOPPED] = "stopped",
	[STATUS_BRIDGE] = "bridge",
	[STATUS_OK] = "ok",
};

/* See status_classify.h */
const char *classify_state_name(enum status_state state)
{
	return state < STATUS_N_STATES ? state_names[state] : "?";
}

/* See status_classify.h */
const char *classify_finding_code(enum status_finding f)
{
	return finding_kind(f)->code;
}

/* See status_classify.h */
bool classify_link_is_tap(const struct status_link *l)
{
	return l && !strcmp(l->kind, "tun");
}

/* See status_classify.h */
const struct status_link *classify_link_by_ifindex(const struct status_snapshot *s,
					   int ifindex)
{
	size_t i;

	for (i = 0; ifindex > 0 && i < s->n; i++)
		if (s->links[i].ifindex == ifindex)
			return &s->links[i];
	return NULL;
}

/* See status_classify.h */
bool classify_wire_healthy(const struct status_wire *w)
{
	return !w->findings &&
	       (w->state == STATUS_OK || w->state == STATUS_BRIDGE ||
		w->state == STATUS_WAITING || w->state == STATUS_STOPPED);
}

/*
 * The row of the pair (@partner, @tap), appended if new. When neither end
 * is a tap, the pair is unordered: *@swapped tells the caller that the row
 * has the ends the other way round.
 */
static struct status_wire *row_of(GArray *rows, const struct status_link *partner,
				const struct status_link *tap, bool *swapped)
{
	struct status_wire w = { .partner = partner, .tap = tap };
	bool unordered = partner && tap && !classify_link_is_tap(tap) &&
			 !classify_link_is_tap(partner);
	guint i;

	*swapped = false;
	for (i = 0; i < rows->len; i++) {
		struct status_wire *r = &g_array_index(rows, struct status_wire, i);

		if (r->partner == partner && r->tap == tap)
			return r;
		if (unordered && r->partner == tap && r->tap == partner) {
			*swapped = true;
			return r;
		}
	}
	g_array_append_val(rows, w);
	return &g_array_index(rows, struct status_wire, rows->len - 1);
}

/* Add the redirect on @from (to its target) to its row */
static void add_redirect(GArray *rows, const struct status_snapshot *s,
			 const struct status_link *from)
{
	const struct status_link *to = classify_link_by_ifindex(s, from->target);
	bool from_is_tap = classify_link_is_tap(from) && !classify_link_is_tap(to);
	struct status_wire *r;
	bool swapped;

	if (from_is_tap)
		r = row_of(rows, to, from, &swapped);
	else
		r = row_of(rows, from, to, &swapped);
	if (!to)
		r->findings |= 1U << (from_is_tap ? STATUS_F_PARTNER_GONE :
				      STATUS_F_TAP_GONE);
	else if (from_is_tap != swapped)
		r->from_vm = true;
	else
		r->to_vm = true;
}

/* Whether @l appears in any row */
static bool in_a_row(GArray *rows, const struct status_link *l)
{
	guint i;

	for (i = 0; i < rows->len; i++) {
		struct status_wire *r = &g_array_index(rows, struct status_wire, i);

		if (r->partner == l || r->tap == l)
			return true;
	}
	return false;
}

/* Mark every row with @l on it as having a foreign filter, or add one */
static void add_foreign(GArray *rows, const struct status_link *l)
{
	bool swapped, found = false;
	guint i;

	for (i = 0; i < rows->len; i++) {
		struct status_wire *r = &g_array_index(rows, struct status_wire, i);

		if (r->partner == l || r->tap == l) {
			r->findings |= 1U << STATUS_F_FOREIGN;
			found = true;
		}
	}
	if (!found)
		row_of(rows, classify_link_is_tap(l) ? NULL : l,
		       classify_link_is_tap(l) ? l : NULL, &swapped)->findings |=
			1U << STATUS_F_FOREIGN;
}

/* Whether @t is a tcwire tap made persistent whose holders all let go */
static bool tap_is_orphan(const struct status_link *t)
{
	struct tcw_tun_state st = {
		.have_data = true,
		.persist = t && t->tun_persist,
		.queues = t ? t->tun_queues : STATUS_QUEUES_UNKNOWN,
		.disabled = t ? t->tun_disabled : STATUS_QUEUES_UNKNOWN,
	};

	return t && tcw_tap_orphaned(t->name, t->kind, t->persistent_wire, &st);
}

/*
 * Whether @t is a persistent wire's tap (tcwire wire) that no VM holds:
 * its libvirt domain is stopped. Multiqueue taps count their fds; a
 * single-queue tap has carrier exactly while an fd is attached.
 */
static bool tap_vm_stopped(const struct status_link *t)
{
	if (!t || !t->persistent_wire)
		return false;
	if (t->tun_queues != STATUS_QUEUES_UNKNOWN)
		return !t->tun_queues && (t->tun_disabled == STATUS_QUEUES_UNKNOWN ||
					  !t->tun_disabled);
	return !t->carrier;
}

/* Findings about the devices' state, MTUs and qdiscs */
static uint32_t device_findings(const struct status_wire *w)
{
	const struct status_link *p = w->partner, *t = w->tap;
	uint32_t f = 0;

	if (p && !p->up)
		f |= 1U << STATUS_F_PARTNER_DOWN;
	else if (p && !p->carrier)
		f |= 1U << STATUS_F_PARTNER_NO_CARRIER;
	/* Nobody holds an orphan: its link state does not matter. A stopped
	 * VM's persistent tap has no carrier, but must stay up: libvirt
	 * does not raise a tap it does not manage */
	if (t && !t->up && !tap_is_orphan(t))
		f |= 1U << STATUS_F_TAP_DOWN;
	else if (t && !t->carrier && !tap_is_orphan(t) && !tap_vm_stopped(t))
		f |= 1U << STATUS_F_TAP_NO_CARRIER;
	if (p && t && p->mtu != t->mtu)
		f |= 1U << STATUS_F_MTU_MISMATCH;
	if (p && !w->bridge && p->peer_mtu && p->peer_mtu != p->mtu)
		f |= 1U << STATUS_F_PEER_MTU;
	if (p && !w->bridge && p->master && w->to_vm)
		f |= 1U << STATUS_F_PARTNER_BRIDGED;
	if (t && t->qdisc_fq)
		f |= 1U << STATUS_F_TAP_FQ;
	else if (t && t->qdisc_drops)
		f |= 1U << STATUS_F_TAP_QDISC_DROPS;
	/* With its VM stopped, a persistent tap drops what comes: no queue */
	if (t && t->tx_dropped && !tap_vm_stopped(t))
		f |= 1U << STATUS_F_TAP_QUEUE_DROPS;
	return f;
}

/* Findings of a row built from redirects and taps, then its state */
static void row_judge(const struct status_snapshot *s, struct status_wire *w)
{
	const struct status_link *master = w->tap ?
		classify_link_by_ifindex(s, w->tap->master) : NULL;
	int f;

	if (!w->partner && w->tap && !w->to_vm && !w->from_vm && master &&
	    !strcmp(master->kind, "bridge")) {
		w->bridge = master;
		w->partner = master;
	}
	if (tap_is_orphan(w->tap))
		w->findings |= 1U << STATUS_F_ORPHAN;
	if (w->partner && w->tap && !w->bridge) {
		if (!w->to_vm)
			w->findings |= 1U << STATUS_F_NO_TO_VM;
		if (!w->from_vm)
			w->findings |= 1U << STATUS_F_NO_FROM_VM;
	}
	if (!w->partner && w->tap && !w->findings)
		w->findings |= 1U << STATUS_F_UNWIRED;
	w->findings |= device_findings(w);

	/* the first state in enum order among the findings' (their records
	 * in status_findings.c), else bridge or ok */
	w->state = w->bridge ? STATUS_BRIDGE : STATUS_OK;
	for (f = 0; f < STATUS_N_FINDINGS; f++) {
		enum status_state st = finding_kind((enum status_finding)f)->state;

		if (status_has(w, (enum status_finding)f) && st < w->state)
			w->state = st;
	}
	if (w->state == STATUS_OK && tap_vm_stopped(w->tap))
		w->state = STATUS_STOPPED;
}

/* Order: by partner name as people count (eth2 before eth10), then tap */
static gint row_compare(gconstpointer a, gconstpointer b)
{
	const struct status_wire *x = a, *y = b;
	int c;

	if (!x->partner != !y->partner)
		return x->partner ? -1 : 1;
	if (x->partner && (c = strverscmp(x->partner->name, y->partner->name)))
		return c;
	if (!x->tap != !y->tap)
		return x->tap ? -1 : 1;
	return x->tap ? strverscmp(x->tap->name, y->tap->name) : 0;
}

/* See status_classify.h */
void classify_wires(const struct status_snapshot *s, struct status_report *r)
{
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct status_wire));
	bool swapped;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->links[i].wired)
			add_redirect(rows, s, &s->links[i]);
	for (i = 0; i < s->n; i++)
		if (s->links[i].foreign)
			add_foreign(rows, &s->links[i]);
	for (i = 0; i < s->n; i++) {
		const struct status_link *l = &s->links[i];

		if (classify_link_is_tap(l) && !in_a_row(rows, l) &&
		    (tcw_ifname_is_tcwire_tap(l->name) || l->persistent_wire))
			row_of(rows, NULL, l, &swapped);
	}
	for (i = 0; i < rows->len; i++)
		row_judge(s, &g_array_index(rows, struct status_wire, i));
	g_array_sort(rows, row_compare);
	r->n = rows->len;
	r->wires = (struct status_wire *)(void *)g_array_free(rows, FALSE);
}

/* See status_classify.h */
void classify_report_free(struct status_report *r)
{
	g_clear_pointer(&r->wires, g_free);
	r->n = 0;
}

/* See status_classify.h */
void classify_wire_flow(const struct status_wire *w, enum status_dir dir,
		    struct status_flow *f)
{
	const struct status_link *from = dir == STATUS_TO_VM ? w->partner : w->tap;
	const struct status_link *to = dir == STATUS_TO_VM ? w->tap : w->partner;

	memset(f, 0, sizeof(*f));
	f->present = dir == STATUS_TO_VM ? w->to_vm : w->from_vm;
	if (!f->present)
		return;
	f->act = from->act;
	f->qdisc_drops = to->qdisc_drops;
	if (dir == STATUS_TO_VM)
		f->dev_drops = to->tx_dropped;
	else
		f->dev_drops = from->rx_dropped + to->tx_dropped;
	f->drops = f->act.drops + f->act.overlimits + f->qdisc_drops +
		   f->dev_drops;
}

/* What a supervised tap waiting for its partner shows instead */
#define WAITING_FINDINGS	(1U << STATUS_F_PARTNER_GONE | \
				 1U << STATUS_F_UNWIRED)

/* See status_classify.h */
void classify_supervised(struct status_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct status_wire *w = &r->wires[i];

		if (!w->tap || !w->owner.supervised || !w->tap->for_partner[0] ||
		    !(w->findings & WAITING_FINDINGS) ||
		    (w->findings & ~WAITING_FINDINGS))
			continue;
		w->findings = 0;
		w->state = STATUS_WAITING;
	}
}
