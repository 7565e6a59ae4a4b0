/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - every kind of finding, one record each
 *
 * A finding is one thing wrong with a wire (status_classify.c decides
 * which apply). Everything else about it is its row in findings[] below:
 * its JSON code, the state it gives the wire, its short note for the table
 * and JSON, and doctor's diagnosis and fix. Names in a fix go through
 * word() (shell quoting, status_escape.c); tc commands come from the one
 * definition of the filter (wire/tc_filter.h).
 */
#include <inttypes.h>

#include "status_escape.h"
#include "status_findings.h"
#include "wire/tc_filter.h"

/* @name as one shell word; freed with the advice */
static const char *word(struct finding_advice *a, const char *name)
{
	char *q = escape_shell_word(name);

	g_ptr_array_add(a->quoted, q);
	return q;
}

/* Append the command that makes the direction @from -> @to to the fix */
static void redirect_cmd(struct finding_advice *a, const struct status_link *from,
			 const struct status_link *to)
{
	if (!from->ingress_hook)
		g_string_append_printf(a->fix, "%stc qdisc add dev %s ingress && ",
				       a->enter, word(a, from->name));
	g_string_append_printf(a->fix, "%s%s", a->enter,
			       tcw_filter_print_add(a->cmd, sizeof(a->cmd),
						    word(a, from->name),
						    word(a, to->name)));
}

/* Set the fix to "PREFIX" + the command removing tcwire's filter of @l */
static void fix_filter_del(struct finding_advice *a, const char *prefix,
			   const struct status_link *l)
{
	g_string_printf(a->fix, "%s%s%s", prefix, a->enter,
			tcw_filter_print_del(a->cmd, sizeof(a->cmd),
					     word(a, l->name)));
}

/* Set the fix to "ip link set dev NAME up" */
static void fix_link_up(struct finding_advice *a, const char *name)
{
	g_string_printf(a->fix, "%sip link set dev %s up", a->enter,
			word(a, name));
}

/* The device carrying a foreign filter */
static const struct status_link *foreign_dev(const struct status_wire *w)
{
	return w->partner && w->partner->foreign ? w->partner : w->tap;
}

/* STATUS_F_FOREIGN */
static void note_foreign(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "a filter that is not tcwire's at priority %d",
			       TCW_FILTER_PRIO);
}

static void advise_foreign(const struct status_wire *w, struct finding_advice *a)
{
	const struct status_link *l = foreign_dev(w);

	g_string_printf(a->what, "%s: a filter that is not tcwire's sits at tcwire's priority %d on the ingress hook; %s cannot be wired until it is gone",
			l->name, TCW_FILTER_PRIO, l->name);
	g_string_printf(a->fix, "look at it with %s%s, ", a->enter,
			tcw_filter_print_show(a->cmd, sizeof(a->cmd),
					      word(a, l->name)));
	g_string_append_printf(a->fix, "remove it with %s%s", a->enter,
			       tcw_filter_print_del(a->cmd, sizeof(a->cmd),
						    word(a, l->name)));
}

/* STATUS_F_TAP_GONE */
static void advise_tap_gone(const struct status_wire *w, struct finding_advice *a)
{
	g_string_printf(a->what, "%s: the VM that used %s is gone; its redirect points to a deleted device",
			w->partner->name, w->partner->name);
	fix_filter_del(a, "the next wiring replaces it, or remove it: ",
		       w->partner);
}

/* STATUS_F_PARTNER_GONE */
static void advise_partner_gone(const struct status_wire *w,
				struct finding_advice *a)
{
	g_string_printf(a->what, "%s: the interface it was wired to was deleted (a recreated link is a new device); the VM on %s is cut off",
			w->tap->name, w->tap->name);
	fix_filter_del(a, "restart the VM so that it is wired to the new interface, or remove the redirect: ",
		       w->tap);
}

/* STATUS_F_ORPHAN: only a tap no fd holds (tcw_tap_orphaned()) */
static void advise_orphan(const struct status_wire *w, struct finding_advice *a)
{
	const struct status_link *p = w->partner;

	g_string_printf(a->what, "%s: a persistent tap that no process holds%s%s; the next wiring of its partner deletes it",
			w->tap->name, p ? ", still wired to " : "",
			p ? p->name : "");
	g_string_printf(a->fix, "%sip link del %s", a->enter,
			word(a, w->tap->name));
}

/* STATUS_F_NO_TO_VM */
static void note_no_to_vm(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "no redirect %s->%s", w->partner->name,
			       w->tap->name);
}

static void advise_no_to_vm(const struct status_wire *w, struct finding_advice *a)
{
	g_string_printf(a->what, "%s -> %s: redirect missing: frames arriving on %s never reach the VM",
			w->partner->name, w->tap->name, w->partner->name);
	redirect_cmd(a, w->partner, w->tap);
}

/* STATUS_F_NO_FROM_VM */
static void note_no_from_vm(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "no redirect %s->%s", w->tap->name,
			       w->partner->name);
}

static void advise_no_from_vm(const struct status_wire *w,
			      struct finding_advice *a)
{
	g_string_printf(a->what, "%s -> %s: redirect missing: frames the VM sends never leave through %s",
			w->tap->name, w->partner->name, w->partner->name);
	redirect_cmd(a, w->tap, w->partner);
}

/* STATUS_F_UNWIRED */
static void advise_unwired(const struct status_wire *w, struct finding_advice *a)
{
	g_string_printf(a->what, "%s: a tcwire tap with no redirect and no bridge: its VM is not connected to anything",
			w->tap->name);
	/* no "ip link del": a tap that its VM still holds must not lose its
	 * device under the fd (tcw_tap_orphaned()) */
	g_string_printf(a->fix, "restart the VM, which gets a wired tap");
}

/* STATUS_F_PARTNER_DOWN */
static void note_partner_down(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "%s is down", w->partner->name);
}

static void advise_partner_down(const struct status_wire *w,
				struct finding_advice *a)
{
	g_string_printf(a->what, "%s is down: every frame the VM sends to it is dropped",
			w->partner->name);
	fix_link_up(a, w->partner->name);
}

/* STATUS_F_PARTNER_NO_CARRIER */
static void note_partner_no_carrier(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "%s has no carrier", w->partner->name);
}

static void advise_partner_no_carrier(const struct status_wire *w,
				      struct finding_advice *a)
{
	const struct status_link *p = w->partner;

	g_string_printf(a->what, "%s has no carrier: its peer%s%s is down or gone, so frames from the VM are lost",
			p->name, p->peer_name[0] ? " " : "", p->peer_name);
	if (p->peer_name[0] && !p->peer_elsewhere)
		fix_link_up(a, p->peer_name);
	else
		g_string_printf(a->fix, "bring the peer of %s up in its namespace (the other container): ip link set dev <peer> up",
				word(a, p->name));
}

/* STATUS_F_TAP_DOWN */
static void note_tap_down(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "%s is down", w->tap->name);
}

static void advise_tap_down(const struct status_wire *w, struct finding_advice *a)
{
	g_string_printf(a->what, "%s is down: mirred drops every frame for the VM",
			w->tap->name);
	fix_link_up(a, w->tap->name);
}

/* STATUS_F_TAP_NO_CARRIER */
static void note_tap_no_carrier(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "%s has no carrier", w->tap->name);
}

static void advise_tap_no_carrier(const struct status_wire *w,
				  struct finding_advice *a)
{
	g_string_printf(a->what, "%s has no carrier: no process has it open (the VM stopped, or detached its queues)",
			w->tap->name);
	g_string_printf(a->fix, "restart the VM");
}

/* STATUS_F_MTU_MISMATCH */
static void note_mtu_mismatch(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "MTU %u on %s, %u on %s", w->partner->mtu,
			       w->partner->name, w->tap->mtu, w->tap->name);
}

static void advise_mtu_mismatch(const struct status_wire *w,
				struct finding_advice *a)
{
	const struct status_link *p = w->partner, *t = w->tap;

	g_string_printf(a->what, "%s has MTU %u but %s (the VM's NIC) has %u: longer frames are dropped",
			p->name, p->mtu, t->name, t->mtu);
	g_string_printf(a->fix, "%sip link set dev %s mtu %u and set the guest's MTU to match, or restart the VM (the helper copies %s's MTU)",
			a->enter, word(a, t->name), p->mtu, word(a, p->name));
}

/* STATUS_F_PEER_MTU */
static void note_peer_mtu(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "MTU %u on %s, %u on its peer",
			       w->partner->mtu, w->partner->name,
			       w->partner->peer_mtu);
}

static void advise_peer_mtu(const struct status_wire *w, struct finding_advice *a)
{
	const struct status_link *p = w->partner;

	g_string_printf(a->what, "%s has MTU %u, %s than its peer's %u: frames longer than %u are dropped",
			p->name, p->mtu, p->mtu < p->peer_mtu ? "smaller" : "larger",
			p->peer_mtu, MIN(p->mtu, p->peer_mtu));
	g_string_printf(a->fix, "%sip link set dev %s mtu %u (and the tap and the guest to match)",
			a->enter, word(a, p->name), p->peer_mtu);
}

/* STATUS_F_PARTNER_BRIDGED */
static void note_partner_bridged(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "%s is a port of %s", w->partner->name,
			       w->partner->master_name);
}

static void advise_partner_bridged(const struct status_wire *w,
				   struct finding_advice *a)
{
	const struct status_link *p = w->partner;

	g_string_printf(a->what, "%s is a port of %s: tcwire's redirect takes every frame before %s sees it",
			p->name, p->master_name, p->master_name);
	g_string_printf(a->fix, "%sip link set dev %s nomaster (or give the VM %s in bridge mode)",
			a->enter, word(a, p->name), word(a, p->master_name));
}

/* STATUS_F_TAP_FQ */
static void note_tap_fq(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "fq qdisc on %s", w->tap->name);
}

static void advise_tap_fq(const struct status_wire *w, struct finding_advice *a)
{
	g_string_printf(a->what, "%s has an fq qdisc: fq silently drops redirected frames whose timestamps lie beyond its horizon",
			w->tap->name);
	g_string_printf(a->fix, "%stc qdisc replace dev %s root pfifo_fast",
			a->enter, word(a, w->tap->name));
}

/* STATUS_F_TAP_QDISC_DROPS */
static void note_tap_qdisc_drops(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "%s qdisc dropped %" PRIu64, w->tap->qdisc,
			       w->tap->qdisc_drops);
}

static void advise_tap_qdisc_drops(const struct status_wire *w,
				   struct finding_advice *a)
{
	g_string_printf(a->what, "%s: its %s qdisc dropped %" PRIu64 " frames on their way to the VM",
			w->tap->name, w->tap->qdisc, w->tap->qdisc_drops);
	g_string_printf(a->fix, "if those drops are not wanted: %stc qdisc replace dev %s root pfifo_fast",
			a->enter, word(a, w->tap->name));
}

/* STATUS_F_TAP_QUEUE_DROPS */
static void note_tap_queue_drops(const struct status_wire *w, GString *out)
{
	g_string_append_printf(out, "VM did not read %" PRIu64 " frames",
			       w->tap->tx_dropped);
}

static void advise_tap_queue_drops(const struct status_wire *w,
				   struct finding_advice *a)
{
	g_string_printf(a->what, "%s: the VM did not read %" PRIu64 " frames in time (its tap queue was full)",
			w->tap->name, w->tap->tx_dropped);
	if (w->tap->persistent_wire) {	/* the counter keeps what it dropped */
		g_string_append(a->what, ", or they came while its VM was stopped");
		g_string_printf(a->fix, "give the VM more CPU, vhost-net (<driver name='vhost'/>) or more queues (<driver queues='N'/> and tcwire wire --queues N)");
		return;
	}
	g_string_printf(a->fix, "give the VM more CPU, vhost-net (tcwire-qemu --vhost) or more queues (tcwire-qemu --queues N)");
}

/* The one table: a row per kind of finding, in enum order */
static const struct finding_kind findings[STATUS_N_FINDINGS] = {
	[STATUS_F_FOREIGN] = { "foreign-filter", STATUS_FOREIGN,
		NULL, note_foreign, advise_foreign },
	[STATUS_F_TAP_GONE] = { "tap-gone", STATUS_STALE,
		"redirect to a deleted device", NULL, advise_tap_gone },
	[STATUS_F_PARTNER_GONE] = { "partner-gone", STATUS_STALE,
		"redirect to a deleted device", NULL, advise_partner_gone },
	[STATUS_F_ORPHAN] = { "orphan-tap", STATUS_ORPHAN,
		"persistent tap, nobody holds it", NULL, advise_orphan },
	[STATUS_F_NO_TO_VM] = { "no-redirect-to-vm", STATUS_ONE_WAY,
		NULL, note_no_to_vm, advise_no_to_vm },
	[STATUS_F_NO_FROM_VM] = { "no-redirect-from-vm", STATUS_ONE_WAY,
		NULL, note_no_from_vm, advise_no_from_vm },
	[STATUS_F_UNWIRED] = { "unwired-tap", STATUS_UNWIRED,
		"tap without redirects", NULL, advise_unwired },
	[STATUS_F_PARTNER_DOWN] = { "partner-down", STATUS_DOWN,
		NULL, note_partner_down, advise_partner_down },
	[STATUS_F_PARTNER_NO_CARRIER] = { "partner-no-carrier", STATUS_DOWN,
		NULL, note_partner_no_carrier, advise_partner_no_carrier },
	[STATUS_F_TAP_DOWN] = { "tap-down", STATUS_DOWN,
		NULL, note_tap_down, advise_tap_down },
	[STATUS_F_TAP_NO_CARRIER] = { "tap-no-carrier", STATUS_DOWN,
		NULL, note_tap_no_carrier, advise_tap_no_carrier },
	[STATUS_F_MTU_MISMATCH] = { "mtu-mismatch", STATUS_MTU_MISMATCH,
		NULL, note_mtu_mismatch, advise_mtu_mismatch },
	[STATUS_F_PEER_MTU] = { "peer-mtu-mismatch", STATUS_MTU_MISMATCH,
		NULL, note_peer_mtu, advise_peer_mtu },
	[STATUS_F_PARTNER_BRIDGED] = { "partner-enslaved", STATUS_OK,
		NULL, note_partner_bridged, advise_partner_bridged },
	[STATUS_F_TAP_FQ] = { "tap-fq-qdisc", STATUS_OK,
		NULL, note_tap_fq, advise_tap_fq },
	[STATUS_F_TAP_QDISC_DROPS] = { "tap-qdisc-drops", STATUS_OK,
		NULL, note_tap_qdisc_drops, advise_tap_qdisc_drops },
	[STATUS_F_TAP_QUEUE_DROPS] = { "tap-queue-drops", STATUS_OK,
		NULL, note_tap_queue_drops, advise_tap_queue_drops },
};

/* See status_findings.h */
const struct finding_kind *finding_kind(enum status_finding f)
{
	static const struct finding_kind unknown = { "?", STATUS_OK, "",
							  NULL, NULL };

	return f < STATUS_N_FINDINGS && findings[f].code ? &findings[f] :
							 &unknown;
}

/* See status_findings.h */
void finding_note(const struct status_wire *w, enum status_finding f,
		       GString *out)
{
	const struct finding_kind *k = finding_kind(f);

	if (k->note_fn)
		k->note_fn(w, out);
	else
		g_string_append(out, k->note);
}

/* See status_findings.h */
void finding_advice_init(struct finding_advice *a, const char *enter)
{
	a->what = g_string_new(NULL);
	a->fix = g_string_new(NULL);
	a->enter = enter;
	a->quoted = g_ptr_array_new_with_free_func(g_free);
	a->cmd[0] = '\0';
}

/* See status_findings.h */
void finding_advice_clear(struct finding_advice *a)
{
	g_string_free(a->what, TRUE);
	g_string_free(a->fix, TRUE);
	g_ptr_array_unref(a->quoted);
}
