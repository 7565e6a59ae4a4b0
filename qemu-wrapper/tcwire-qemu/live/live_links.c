/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - keeping the VM's NICs true to the container's links
 *
 * Theory of operation. After qemu started, two things can change under
 * the VM: the container's links (a far end goes down, a peer container is
 * redeployed and its veth recreated, a link is added to the running lab)
 * and, as a consequence, what the VM's NICs should look like. This file
 * holds the policy; link_monitor.c reports the links, qmp.c talks to qemu,
 * hotplug.c adds NICs, rewire.c re-wires a tap to a recreated partner.
 *
 * It is level-triggered: any link event schedules one reconcile pass (an
 * idle source, so a burst of events is handled once), and the pass
 * compares every NIC with the link table as it stands:
 *  - a wired NIC whose partner ifindex is no longer in the table under the
 *    partner's name has lost its partner (deleted, renamed or moved away);
 *  - a wired NIC without partner whose name exists again (a new ifindex)
 *    gets its tap re-wired to it through the helper; so does a slot (a
 *    tap reserved at boot for an interface that was missing) when that
 *    interface appears: no guest hot-plug, so this works with every guest;
 *  - a position whose interface exists but that has no tap (a placeholder,
 *    or a position beyond the slots) gets one hot-added;
 *  - then the NIC's link should be up exactly when it is wired to a
 *    partner that is up with carrier (link_monitor_is_up()); placeholders are
 *    always down. qemu is told with set_link when that differs from what
 *    it was told last.
 * A NIC whose hot-add or re-wire failed remembers the partner ifindex, so
 * that a broken partner is not retried on every event; a new ifindex (the
 * partner created again) is tried again.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "live/hotplug.h"
#include "iface_wait.h"
#include "live/live_links.h"
#include "log.h"
#include "live/partner_rewire.h"
#include "supervisor.h"

/* What a set_link reply is logged with, and whom it concerns */
struct set_link_note {
	char *line;
	struct nic_slot *s;
	bool up;
};

/*
 * set_link reply: one line saying what the guest now sees. On an error
 * (qemu refused, or did not answer in time) the NIC's link is not known:
 * the next reconcile pass sends it again.
 */
static void on_set_link(JsonNode *ret, const char *error, void *ctx)
{
	struct set_link_note *n = ctx;

	if (error) {
		log_msg("%s: set_link failed: %s", n->line, error);
		if (n->s->link_up == n->up)
			n->s->link_up = !n->up;
	} else {
		log_msg("%s", n->line);
	}
	g_free(n->line);
	g_free(n);
}

/**
 * partner_name() - The partner NIC @s stands for
 * @lv:		State
 * @s:		NIC
 * @name:	Result, IFNAMSIZ bytes
 *
 * The one wired at boot, else ethK (PREFIX<K>) for position K, or the K-th
 * name of --interfaces.
 *
 * Return: false if position K stands for no interface
 */
static bool partner_name(const struct live_links *lv,
			     const struct nic_slot *s, char *name)
{
	const struct wrapper_options *o = lv->o;

	if (s->partner[0])
		g_strlcpy(name, s->partner, IFNAMSIZ);
	else if (o->interfaces && s->position <= g_strv_length(o->interfaces))
		g_strlcpy(name, o->interfaces[s->position - 1], IFNAMSIZ);
	else if (!o->interfaces)
		g_snprintf(name, IFNAMSIZ, "%s%u", o->prefix, s->position);
	else
		return false;
	return true;
}

/* The NIC position interface @name stands for, 0 for none */
static unsigned int position_of(const struct live_links *lv, const char *name)
{
	const struct wrapper_options *o = lv->o;
	unsigned int k;

	if (!o->interfaces)
		return iface_suffix(name, o->prefix);
	for (k = 0; o->interfaces[k]; k++)
		if (!strcmp(o->interfaces[k], name))
			return k + 1;
	return 0;
}

/* From <linux/if.h>, which cannot be included next to <net/if.h> */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000
#endif
#define OPER_NOTPRESENT	3	/* IF_OPER_NOTPRESENT */
#define OPER_TESTING	4	/* IF_OPER_TESTING */
#define OPER_DORMANT	5	/* IF_OPER_DORMANT */

/*
 * The policy's one rule for "this partner carries frames": administratively
 * up and with carrier (IFF_LOWER_UP, which the kernel reads live when it
 * builds the message). The operstate is updated later, by the link watch
 * work: right after a partner is set up a message may say "carrier,
 * operstate down" for a moment, so operstate only vetoes with the states a
 * carrier does not explain (dormant, testing, not present).
 */
static bool partner_carries(const struct monitored_link *l)
{
	return (l->flags & IFF_UP) && (l->flags & IFF_LOWER_UP) &&
	       l->operstate != OPER_DORMANT && l->operstate != OPER_TESTING &&
	       l->operstate != OPER_NOTPRESENT;
}

/* Why a wired partner's NIC should be down (or "up") */
static const char *partner_state(const struct monitored_link *l)
{
	if (!(l->flags & IFF_UP))
		return "administratively down";
	if (!partner_carries(l))
		return "no carrier";
	return "carrier";
}

/**
 * set_link() - Tell qemu a NIC's link state, log it on reply
 * @lv:		State
 * @s:		NIC in the VM
 * @up:		New state
 * @why:	Reason, for the log line ("no carrier", "deleted", ...)
 */
static void set_link(struct live_links *lv, struct nic_slot *s, bool up,
			 const char *why)
{
	struct set_link_note *n = g_new0(struct set_link_note, 1);
	g_autofree char *id = g_strdup_printf("tcwnic%u", s->position);
	char name[IFNAMSIZ] = "";

	partner_name(lv, s, name);
	n->line = g_strdup_printf("%s: %s: %s link %s", name[0] ? name : "-",
				  why, id, up ? "up" : "down");
	n->s = s;
	n->up = up;
	s->link_up = up;
	qmp_command(lv->qmp, "set_link",
		    qmp_args("name", 's', id, "up", 'b', (gboolean)up, NULL),
		    -1, on_set_link, n);
}

/* Why NIC @s's link is down when its partner does not carry frames */
static const char *down_reason(const struct nic_slot *s,
			       const struct monitored_link *l)
{
	switch (s->state) {
	case NIC_WIRED:
		return l ? partner_state(l) : "deleted";
	case NIC_SLOT:
		return "not there yet";
	case NIC_WAITING:
		return "deleted";
	default:
		return "placeholder";
	}
}

/*
 * The transitions a pass makes, in one place, from the link table as it
 * is now (@l: the interface with the NIC's partner name, or NULL):
 *  WIRED -> WAITING			its partner went (deleted, renamed, moved)
 *  SLOT, WAITING -> REWIRING		an interface has the name (rewire_nic())
 *  ABSENT, PLACEHOLDER -> HOTPLUGGING	likewise, without a tap (hotplug_nic())
 * REWIRING and HOTPLUGGING end where the helper's or qemu's answer says
 * (partner_rewire.c, hotplug.c). An ifindex whose re-wire or hot-add failed
 * is not tried again until the partner is created anew.
 */
static void nic_transition(struct live_links *lv, struct nic_slot *s,
			   const char *name, const struct monitored_link *l)
{
	bool fresh = l && l->ifindex != s->failed_ifindex;

	switch (s->state) {
	case NIC_WIRED:
		if (l && l->ifindex == s->partner_ifindex)
			break;
		s->state = NIC_WAITING;
		s->partner_ifindex = 0;
		log_msg("%s: deleted; tcwnic%u waits for it to be created again",
			name, s->position);
		if (fresh)
			rewire_nic(lv, s, l);
		break;
	case NIC_SLOT:
	case NIC_WAITING:
		if (fresh)
			rewire_nic(lv, s, l);
		break;
	case NIC_ABSENT:
	case NIC_PLACEHOLDER:
		if (fresh)
			hotplug_nic(lv, s, l);
		break;
	case NIC_REWIRING:
	case NIC_HOTPLUGGING:
		break;
	}
}

/* Bring NIC @s in line with its partner's link */
static void reconcile_nic(struct live_links *lv, struct nic_slot *s)
{
	const struct monitored_link *l = NULL;
	char name[IFNAMSIZ] = "";
	bool want;

	if (partner_name(lv, s, name))
		l = link_monitor_find(lv->links, name);
	nic_transition(lv, s, name, l);
	if (!nic_in_vm(s) || s->state == NIC_REWIRING)
		return;
	/* up exactly when wired to a partner that carries frames */
	want = s->state == NIC_WIRED && l && partner_carries(l);
	if (want != s->link_up)
		set_link(lv, s, want, want ? partner_state(l) :
			 down_reason(s, l));
}

/* link_monitor_foreach() callback: a late interface beyond the plan */
static void consider_link(const struct monitored_link *l, enum link_change what,
			  void *arg)
{
	struct live_links *lv = arg;
	unsigned int k = position_of(lv, l->name);

	if (k > lv->plan->n)
		reconcile_nic(lv, nic_plan_extend(lv->plan, k));
}

/* The reconcile pass */
static gboolean reconcile(gpointer arg)
{
	struct live_links *lv = arg;
	size_t i;

	lv->reconcile_source = 0;
	for (i = 0; i < lv->plan->n; i++)
		reconcile_nic(lv, &lv->plan->nics[i]);
	link_monitor_foreach(lv->links, consider_link, lv);
	return G_SOURCE_REMOVE;
}

/* See live_links.h */
void live_links_schedule(struct live_links *lv)
{
	if (!lv->reconcile_source)
		lv->reconcile_source = g_idle_add(reconcile, lv);
}

/* Link monitor callback: any change means a reconcile pass */
static void on_link_change(const struct monitored_link *l, enum link_change what,
			   void *arg)
{
	live_links_schedule(arg);
}

/* The netlink socket is readable */
static gboolean on_links_readable(gint fd, GIOCondition cond, gpointer arg)
{
	struct live_links *lv = arg;

	if (link_monitor_receive(lv->links) < 0) {
		log_msg("cannot read rtnetlink link events any more; links are no longer followed");
		lv->links_watch = 0;
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

/* The first reply: qemu's monitor is up, say what is being followed */
static void on_monitor_up(JsonNode *ret, const char *error, void *ctx)
{
	struct live_links *lv = ctx;
	g_autoptr(GString) wired = g_string_new(NULL);
	g_autoptr(GString) slots = g_string_new(NULL);
	size_t i;

	for (i = 0; i < lv->plan->n; i++) {
		const struct nic_slot *s = &lv->plan->nics[i];
		GString *list = s->state == NIC_SLOT ? slots : wired;

		if (s->n_fds)
			g_string_append_printf(list, "%s%s", list->len ? ", " : "",
					       s->partner);
	}
	if (error)
		return;
	log_msg("qemu is up; following %s%s%s", wired->len ? wired->str :
		"no link yet", slots->len ? "; slots waiting for " : "",
		slots->str);
}

/* QMP events: hot-adds wait for DEVICE_DELETED */
static void on_qmp_event(const char *event, JsonObject *data, void *arg)
{
	hotplug_on_event(arg, event, data);
}

/* See live_links.h */
void live_links_helper_started(struct live_links *lv, struct live_helper *h,
			       void (*done)(int status, void *op))
{
	lv->helpers = g_list_prepend(lv->helpers, h);
	supervisor_watch_child(lv->sup, h->call.pid, done, h);
}

/* See live_links.h */
void live_links_helper_done(struct live_links *lv, struct live_helper *h)
{
	lv->helpers = g_list_remove(lv->helpers, h);
}

/* Forget the helpers still running: close our ends, stop waiting */
static void helpers_cancel_all(struct live_links *lv)
{
	GList *i;

	for (i = lv->helpers; i; i = i->next) {
		struct live_helper *h = i->data;

		supervisor_forget_child(lv->sup, h->call.pid);
		if (h->call.sock >= 0)
			close(h->call.sock);
		g_free(h);
	}
	g_list_free(lv->helpers);
	lv->helpers = NULL;
}

/* See live_links.h */
void live_links_start(struct live_links *lv, struct nic_plan *plan,
		      const struct wrapper_options *o,
		      struct link_monitor *links, int qmp_fd,
		      struct supervisor *sup)
{
	size_t i;

	memset(lv, 0, sizeof(*lv));
	lv->sup = sup;
	lv->plan = plan;
	lv->o = o;
	lv->links = links;
	lv->qmp = qmp_new(qmp_fd, on_qmp_event, lv);
	qmp_command(lv->qmp, "query-status", NULL, -1, on_monitor_up, lv);
	for (i = 0; i < plan->n; i++)	/* qemu starts every NIC up */
		plan->nics[i].link_up = nic_in_vm(&plan->nics[i]);
	link_monitor_set_callback(links, on_link_change, lv);
	/* The helpers' own changes (partners set up) are queued: see them
	 * before the first pass, or it would flap those NICs */
	link_monitor_receive(links);
	lv->links_watch = g_unix_fd_add(link_monitor_fd(links), G_IO_IN,
					on_links_readable, lv);
	live_links_schedule(lv);
}

/* See live_links.h */
void live_links_stop(struct live_links *lv)
{
	if (lv->links_watch)
		g_source_remove(lv->links_watch);
	if (lv->reconcile_source)
		g_source_remove(lv->reconcile_source);
	lv->links_watch = lv->reconcile_source = 0;
	if (lv->links)
		link_monitor_set_callback(lv->links, NULL, NULL);
	qmp_free(lv->qmp);	/* replies still due fail the hot-adds first */
	lv->qmp = NULL;
	hotplug_cancel_all(lv);
	helpers_cancel_all(lv);
}
