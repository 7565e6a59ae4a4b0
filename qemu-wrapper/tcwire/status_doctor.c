/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire doctor - each problem, its likely cause, and the command that fixes it
 *
 * Every finding of status_classify.c becomes two lines:
 *
 *	eth2: the VM that used eth2 is gone; its redirect points to a deleted device
 *	  fix: the next wiring replaces it, or remove it: tc filter del dev eth2 ingress pref 29795
 *
 * The commands are the ones a user types in that namespace; for another
 * namespace (--all) they start with its enter prefix ("ip netns exec r1").
 */
#include <inttypes.h>

#include "status_classify.h"
#include "status_doctor.h"
#include "status_escape.h"
#include "wire/wire_model.h"

/* What to print for one finding: the diagnosis and the fix */
struct advice {
	GString *what;
	GString *fix;
	const char *enter;	/* "ip netns exec r1 " or "" */
	GPtrArray *quoted;	/* what Q() made, freed with the advice */
	char cmd[512];		/* a tc command (wire/tc_filter.h) */
};

/*
 * @name as one shell word (status_escape.c): every name in a fix command
 * goes through here, so that a partner named "x;id" is not a command
 */
static const char *Q(struct advice *a, const char *name)
{
	char *q = tcws_shell_quote(name);

	g_ptr_array_add(a->quoted, q);
	return q;
}

/* The redirect command that makes the direction @from -> @to */
static void redirect_cmd(struct advice *a, const struct tcws_link *from,
			 const struct tcws_link *to)
{
	if (!from->ingress_hook)
		g_string_append_printf(a->fix, "%stc qdisc add dev %s ingress && ",
				       a->enter, Q(a, from->name));
	g_string_append_printf(a->fix,
			       "%s%s", a->enter,
			       tcw_filter_print_add(a->cmd, sizeof(a->cmd),
						    Q(a, from->name),
						    Q(a, to->name)));
}

/* Findings about the redirects themselves; false if @f is not one */
static bool advise_redirects(const struct tcws_wire *w, enum tcws_finding f,
			     struct advice *a)
{
	const struct tcws_link *p = w->partner, *t = w->tap;
	const struct tcws_link *l;

	switch (f) {
	case TCWS_F_FOREIGN:
		l = p && p->foreign ? p : t;
		g_string_printf(a->what, "%s: a filter that is not tcwire's sits at tcwire's priority %d on the ingress hook; %s cannot be wired until it is gone",
				l->name, TCW_FILTER_PRIO, l->name);
		g_string_printf(a->fix, "look at it with %s%s, ", a->enter,
				tcw_filter_print_show(a->cmd, sizeof(a->cmd),
						      Q(a, l->name)));
		g_string_append_printf(a->fix, "remove it with %s%s", a->enter,
				       tcw_filter_print_del(a->cmd, sizeof(a->cmd),
							    Q(a, l->name)));
		return true;
	case TCWS_F_TAP_GONE:
		g_string_printf(a->what, "%s: the VM that used %s is gone; its redirect points to a deleted device",
				p->name, p->name);
		g_string_printf(a->fix, "the next wiring replaces it, or remove it: %s%s",
				a->enter, tcw_filter_print_del(a->cmd, sizeof(a->cmd),
							       Q(a, p->name)));
		return true;
	case TCWS_F_PARTNER_GONE:
		g_string_printf(a->what, "%s: the interface it was wired to was deleted (a recreated link is a new device); the VM on %s is cut off",
				t->name, t->name);
		g_string_printf(a->fix, "restart the VM so that it is wired to the new interface, or remove the redirect: %s%s",
				a->enter, tcw_filter_print_del(a->cmd, sizeof(a->cmd),
							       Q(a, t->name)));
		return true;
	case TCWS_F_ORPHAN:
		g_string_printf(a->what, "%s: a persistent tap that no process holds%s%s; the next wiring of its partner deletes it",
				t->name, p ? ", still wired to " : "", p ? p->name : "");
		g_string_printf(a->fix, "%sip link del %s", a->enter, Q(a, t->name));
		return true;
	case TCWS_F_NO_TO_VM:
		g_string_printf(a->what, "%s -> %s: redirect missing: frames arriving on %s never reach the VM",
				p->name, t->name, p->name);
		redirect_cmd(a, p, t);
		return true;
	case TCWS_F_NO_FROM_VM:
		g_string_printf(a->what, "%s -> %s: redirect missing: frames the VM sends never leave through %s",
				t->name, p->name, p->name);
		redirect_cmd(a, t, p);
		return true;
	case TCWS_F_UNWIRED:
		g_string_printf(a->what, "%s: a tcwire tap with no redirect and no bridge: its VM is not connected to anything",
				t->name);
		/* no "ip link del": a tap that its VM still holds must not
		 * lose its device under the fd (tcw_tap_orphaned()) */
		g_string_printf(a->fix, "restart the VM, which gets a wired tap");
		return true;
	default:
		return false;
	}
}

/* Findings about link state; false if @f is not one */
static bool advise_links(const struct tcws_wire *w, enum tcws_finding f,
			 struct advice *a)
{
	const struct tcws_link *p = w->partner, *t = w->tap;

	switch (f) {
	case TCWS_F_PARTNER_DOWN:
		g_string_printf(a->what, "%s is down: every frame the VM sends to it is dropped",
				p->name);
		g_string_printf(a->fix, "%sip link set dev %s up", a->enter, Q(a, p->name));
		return true;
	case TCWS_F_PARTNER_NO_CARRIER:
		g_string_printf(a->what, "%s has no carrier: its peer%s%s is down or gone, so frames from the VM are lost",
				p->name, p->peer_name[0] ? " " : "", p->peer_name);
		if (p->peer_name[0] && !p->peer_elsewhere)
			g_string_printf(a->fix, "%sip link set dev %s up", a->enter,
					Q(a, p->peer_name));
		else
			g_string_printf(a->fix, "bring the peer of %s up in its namespace (the other container): ip link set dev <peer> up",
					Q(a, p->name));
		return true;
	case TCWS_F_TAP_DOWN:
		g_string_printf(a->what, "%s is down: mirred drops every frame for the VM",
				t->name);
		g_string_printf(a->fix, "%sip link set dev %s up", a->enter, Q(a, t->name));
		return true;
	case TCWS_F_TAP_NO_CARRIER:
		g_string_printf(a->what, "%s has no carrier: no process has it open (the VM stopped, or detached its queues)",
				t->name);
		g_string_printf(a->fix, "restart the VM");
		return true;
	case TCWS_F_MTU_MISMATCH:
		g_string_printf(a->what, "%s has MTU %u but %s (the VM's NIC) has %u: longer frames are dropped",
				p->name, p->mtu, t->name, t->mtu);
		g_string_printf(a->fix, "%sip link set dev %s mtu %u and set the guest's MTU to match, or restart the VM (the helper copies %s's MTU)",
				a->enter, Q(a, t->name), p->mtu, Q(a, p->name));
		return true;
	case TCWS_F_PEER_MTU:
		g_string_printf(a->what, "%s has MTU %u, %s than its peer's %u: frames longer than %u are dropped",
				p->name, p->mtu, p->mtu < p->peer_mtu ? "smaller" : "larger",
				p->peer_mtu, MIN(p->mtu, p->peer_mtu));
		g_string_printf(a->fix, "%sip link set dev %s mtu %u (and the tap and the guest to match)",
				a->enter, Q(a, p->name), p->peer_mtu);
		return true;
	case TCWS_F_PARTNER_BRIDGED:
		g_string_printf(a->what, "%s is a port of %s: tcwire's redirect takes every frame before %s sees it",
				p->name, p->master_name, p->master_name);
		g_string_printf(a->fix, "%sip link set dev %s nomaster (or give the VM %s in bridge mode)",
				a->enter, Q(a, p->name), Q(a, p->master_name));
		return true;
	default:
		return false;
	}
}

/* Findings about the tap's queues; false if @f is not one */
static bool advise_queues(const struct tcws_wire *w, enum tcws_finding f,
			  struct advice *a)
{
	const struct tcws_link *t = w->tap;

	switch (f) {
	case TCWS_F_TAP_FQ:
		g_string_printf(a->what, "%s has an fq qdisc: fq silently drops redirected frames whose timestamps lie beyond its horizon",
				t->name);
		g_string_printf(a->fix, "%stc qdisc replace dev %s root pfifo_fast",
				a->enter, Q(a, t->name));
		return true;
	case TCWS_F_TAP_QDISC_DROPS:
		g_string_printf(a->what, "%s: its %s qdisc dropped %" PRIu64 " frames on their way to the VM",
				t->name, t->qdisc, t->qdisc_drops);
		g_string_printf(a->fix, "if those drops are not wanted: %stc qdisc replace dev %s root pfifo_fast",
				a->enter, Q(a, t->name));
		return true;
	case TCWS_F_TAP_QUEUE_DROPS:
		g_string_printf(a->what, "%s: the VM did not read %" PRIu64 " frames in time (its tap queue was full)",
				t->name, t->tx_dropped);
		g_string_printf(a->fix, "give the VM more CPU, vhost-net (tcwire-qemu --vhost) or more queues (tcwire-qemu --queues N)");
		return true;
	default:
		return false;
	}
}

/* Print every finding of @w; returns how many */
static size_t doctor_wire(GString *out, const struct tcws_netns *ns,
			  const struct tcws_wire *w, bool all)
{
	g_autofree char *enter = ns->enter ? g_strdup_printf("%s ", ns->enter) :
					     g_strdup("");
	struct advice a = {
		.what = g_string_new(NULL),
		.fix = g_string_new(NULL),
		.enter = enter,
		.quoted = g_ptr_array_new_with_free_func(g_free),
	};
	size_t count = 0;
	int f;

	for (f = 0; f < TCWS_N_FINDINGS; f++) {
		enum tcws_finding e = (enum tcws_finding)f;

		if (!tcws_has(w, e))
			continue;
		g_string_truncate(a.fix, 0);
		if (!advise_redirects(w, e, &a) && !advise_links(w, e, &a) &&
		    !advise_queues(w, e, &a))
			continue;
		if (all)
			g_string_append_printf(out, "%s: ", ns->label ? ns->label : "-");
		g_string_append_printf(out, "%s\n  fix: %s\n", a.what->str, a.fix->str);
		count++;
	}
	g_string_free(a.what, TRUE);
	g_string_free(a.fix, TRUE);
	g_ptr_array_unref(a.quoted);
	return count;
}

/* See status_doctor.h */
size_t tcws_doctor(GString *out, const struct tcws_netns *ns, size_t n,
		   bool all)
{
	size_t i, j, wires = 0, bad_wires = 0, findings = 0;

	for (i = 0; i < n; i++) {
		if (ns[i].error) {
			g_string_append_printf(out, "%s: cannot be inspected: %s\n  fix: run tcwire doctor inside it\n",
					       ns[i].label ? ns[i].label : "this namespace",
					       ns[i].error_msg ? ns[i].error_msg : "");
			findings++;
			continue;
		}
		for (j = 0; j < ns[i].report.n; j++, wires++) {
			size_t k = doctor_wire(out, &ns[i], &ns[i].report.wires[j], all);

			findings += k;
			bad_wires += k > 0;
		}
	}
	if (!findings)
		g_string_append_printf(out, "all is well: %zu wire%s, no problem found\n",
				       wires, wires == 1 ? "" : "s");
	else
		g_string_append_printf(out, "%zu problem%s on %zu of %zu wire%s\n",
				       findings, findings == 1 ? "" : "s",
				       bad_wires, wires, wires == 1 ? "" : "s");
	return findings;
}
