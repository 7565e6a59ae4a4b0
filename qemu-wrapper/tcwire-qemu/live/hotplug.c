/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - hot-adding a NIC for an interface that appeared late
 *
 * Theory of operation. An interface ethK that appears after qemu started
 * gets the NIC it would have had at boot: same position, so the same bus
 * (tcwbrB), slot and MAC, because guest port numbering and MAC-based
 * configuration must not depend on when the link was made. The pci-bridges
 * take hot-plugged devices through ACPI (qemu's default for pc and q35),
 * so the guest's kernel sees the NIC appear.
 *
 * Hot-adds run one at a time, in the order their interfaces appeared: the
 * guest's ACPI hotplug handling loses a device_add to one slot that comes
 * while it still processes the eject of another (seen with Linux 6.1 on
 * qemu 7.2: the NIC never appears), so the next one starts only when the
 * previous one is done.
 *
 * A placeholder NIC holds the position when ethK was missing at boot. It
 * is removed first: device_del asks the guest to release it, and only the
 * DEVICE_DELETED event says it is gone (the guest may take a while, or
 * never answer: a timeout ends the attempt). Its hubport netdev goes too.
 * Then per tap queue a getfd hands the fd to qemu with SCM_RIGHTS on the
 * monitor socket, netdev_add makes a tap netdev of the named fd(s), and
 * device_add plugs the NIC. Each step starts from the previous one's
 * reply; the NIC is NIC_HOTPLUGGING (left alone by reconcile passes) until the last
 * reply. tcwire-qemu keeps its own copy of the tap fds: holding them is
 * what entitles it to a later re-wire (rewire.c).
 */
#include <string.h>

#include "client/helper_client.h"
#include "live/hotplug.h"
#include "log.h"
#include "mac.h"
#include "qemu_argv.h"

/* One hot-add in progress */
struct hotplug {
	struct live_links *lv;
	struct nic_slot *s;
	int ifindex;
	char name[IFNAMSIZ];
	char id[16];		/* tcwnicK */
	char netdev[16];	/* tcwnetK */
	size_t fds_given;	/* getfd done for fds[0..fds_given-1] */
	bool netdev_added;	/* netdev_add done: qemu holds the fds */
	bool placeholder;	/* a placeholder NIC is still in the VM */
	bool waiting_delete;	/* device_del sent, DEVICE_DELETED not seen */
	bool deleted;		/* DEVICE_DELETED seen */
	bool delete_acked;	/* device_del reply seen */
	guint timeout;
};

static void give_next_fd(struct hotplug *h);

static void hotplug_begin(struct hotplug *h);

/* The hot-add is over: forget it, start the next one waiting */
static void hotplug_free(struct hotplug *h)
{
	struct live_links *lv = h->lv;

	lv->hotplugs = g_list_remove(lv->hotplugs, h);
	if (h->timeout)
		g_source_remove(h->timeout);
	g_free(h);
	if (lv->hotplugs)
		hotplug_begin(lv->hotplugs->data);
}

static char *fd_name(unsigned int k, size_t q);

/*
 * Make qemu let go of the tap fds it got for @h: the netdev, once added,
 * holds them; before that, the fds named with getfd do. Replies are not
 * waited for: qemu closes the fds, and with ours gone the tap goes.
 */
static void hotplug_release_fds(struct hotplug *h)
{
	size_t q;

	if (h->netdev_added) {
		qmp_command(h->lv->qmp, "netdev_del",
			    qmp_args("id", 's', h->netdev, NULL), -1, NULL, NULL);
		return;
	}
	for (q = 0; q < h->fds_given; q++) {
		g_autofree char *name = fd_name(h->s->position, q);

		qmp_command(h->lv->qmp, "closefd",
			    qmp_args("fdname", 's', name, NULL), -1, NULL, NULL);
	}
}

/* Give up: log why, close the tap, do not retry this partner */
static void hotplug_fail(struct hotplug *h, const char *what,
			 const char *error)
{
	struct nic_slot *s = h->s;

	log_msg("%s: not hot-added: %s: %s", h->name, what, error);
	hotplug_release_fds(h);
	nic_slot_close_fds(s);
	s->partner[0] = '\0';
	s->failed_ifindex = h->ifindex;
	/* HOTPLUGGING -> what the VM has at the position now */
	s->state = h->placeholder ? NIC_PLACEHOLDER : NIC_ABSENT;
	hotplug_free(h);
}

/* device_add reply: the NIC is in the VM */
static void on_device_added(JsonNode *ret, const char *error, void *ctx)
{
	struct hotplug *h = ctx;
	struct nic_slot *s = h->s;
	char mac[18];

	if (error) {
		hotplug_fail(h, "device_add", error);
		return;
	}
	/* HOTPLUGGING -> WIRED */
	s->state = NIC_WIRED;
	s->link_up = true;		/* a new NIC starts with its link up */
	s->partner_ifindex = h->ifindex;
	log_msg("%s: hot-added as %s (mac %s, tcwbr%u slot %u)", h->name,
		 h->id, mac_format(s->mac, mac), s->bridge, s->pci_slot);
	live_links_schedule(h->lv);	/* its link follows the partner */
	hotplug_free(h);
}

/* netdev_add reply: plug the device */
static void on_netdev_added(JsonNode *ret, const char *error, void *ctx)
{
	struct hotplug *h = ctx;

	if (error) {
		hotplug_fail(h, "netdev_add", error);
		return;
	}
	h->netdev_added = true;
	qmp_command(h->lv->qmp, "device_add",
		    qemu_nic_device(h->s, &h->lv->o->nic), -1,
		    on_device_added, h);
}

/* The name qemu files tap fd @q of position @k under */
static char *fd_name(unsigned int k, size_t q)
{
	return g_strdup_printf("tcwfd%u.%zu", k, q);
}

/* Every fd is qemu's: make the tap netdev of them */
static void add_netdev(struct hotplug *h)
{
	const struct wrapper_options *o = h->lv->o;
	g_autoptr(GString) fds = g_string_new(NULL);
	JsonObject *args;
	size_t q;

	for (q = 0; q < h->s->n_fds; q++) {
		g_autofree char *name = fd_name(h->s->position, q);

		g_string_append_printf(fds, "%s%s", q ? ":" : "", name);
	}
	args = qmp_args("type", 's', "tap", "id", 's', h->netdev,
			h->s->n_fds > 1 ? "fds" : "fd", 's', fds->str, NULL);
	if (o->nic.vhost)
		json_object_set_boolean_member(args, "vhost", TRUE);
	qmp_command(h->lv->qmp, "netdev_add", args, -1, on_netdev_added, h);
}

/* getfd reply */
static void on_fd_given(JsonNode *ret, const char *error, void *ctx)
{
	struct hotplug *h = ctx;

	if (error) {
		hotplug_fail(h, "getfd", error);
		return;
	}
	h->fds_given++;
	give_next_fd(h);
}

/* Pass the next tap fd to qemu, or go on once all are there */
static void give_next_fd(struct hotplug *h)
{
	g_autofree char *name = NULL;

	if (h->fds_given == h->s->n_fds) {
		add_netdev(h);
		return;
	}
	name = fd_name(h->s->position, h->fds_given);
	qmp_command(h->lv->qmp, "getfd", qmp_args("fdname", 's', name, NULL),
		    h->s->fds[h->fds_given], on_fd_given, h);
}

/* netdev_del reply for the placeholder's hubport */
static void on_hubport_deleted(JsonNode *ret, const char *error, void *ctx)
{
	struct hotplug *h = ctx;

	if (error) {
		hotplug_fail(h, "netdev_del of the placeholder", error);
		return;
	}
	give_next_fd(h);
}

/* The placeholder is gone from the guest (reply and event both seen) */
static void placeholder_gone(struct hotplug *h)
{
	h->placeholder = false;
	h->s->link_up = false;
	qmp_command(h->lv->qmp, "netdev_del",
		    qmp_args("id", 's', h->netdev, NULL), -1,
		    on_hubport_deleted, h);
}

/* device_del reply: the guest was asked to release the placeholder */
static void on_unplug_requested(JsonNode *ret, const char *error, void *ctx)
{
	struct hotplug *h = ctx;

	if (error) {
		h->waiting_delete = false;
		hotplug_fail(h, "device_del of the placeholder", error);
		return;
	}
	h->delete_acked = true;
	if (h->deleted)		/* the event came first */
		placeholder_gone(h);
}

/* The guest never released the placeholder */
static gboolean on_unplug_timeout(gpointer arg)
{
	struct hotplug *h = arg;

	h->timeout = 0;
	h->waiting_delete = false;
	hotplug_fail(h, "placeholder", "the guest did not release it within "
		     G_STRINGIFY(HOTPLUG_UNPLUG_TIMEOUT_S) " s");
	return G_SOURCE_REMOVE;
}

/* See hotplug.h */
void hotplug_on_event(struct live_links *lv, const char *event,
		      JsonObject *data)
{
	const char *dev;
	GList *i;

	if (strcmp(event, "DEVICE_DELETED") || !data ||
	    !json_object_has_member(data, "device"))
		return;
	dev = json_object_get_string_member(data, "device");
	for (i = lv->hotplugs; i; i = i->next) {
		struct hotplug *h = i->data;

		if (!h->waiting_delete || !dev || strcmp(dev, h->id))
			continue;
		h->waiting_delete = false;
		h->deleted = true;
		if (h->timeout)
			g_source_remove(h->timeout);
		h->timeout = 0;
		if (h->delete_acked)
			placeholder_gone(h);
		return;
	}
}

/* A helper getting the tap of a hot-add */
struct tap_op {
	struct live_helper h;		/* first: live_links cancels by it */
	struct nic_slot *s;
	bool placeholder;		/* the position had a placeholder */
	int ifindex;
	unsigned int mtu;
	uint8_t mac[6];			/* the NIC's, once the tap is there */
	char name[IFNAMSIZ];
	struct tcw_helper_request req;
};

/* The tap is there: the QMP part, after the hot-adds before it */
static void hotplug_queue(struct live_links *lv, struct nic_slot *s,
			  bool placeholder, int ifindex, const char *name)
{
	struct hotplug *h = g_new0(struct hotplug, 1);

	h->lv = lv;
	h->s = s;
	h->placeholder = placeholder;
	h->ifindex = ifindex;
	g_strlcpy(h->name, name, sizeof(h->name));
	g_snprintf(h->id, sizeof(h->id), "tcwnic%u", s->position);
	g_snprintf(h->netdev, sizeof(h->netdev), "tcwnet%u", s->position);
	lv->hotplugs = g_list_append(lv->hotplugs, h);
	if (lv->hotplugs->data == h)	/* nothing else under way */
		hotplug_begin(h);
}

/* The helper has exited: take its tap into NIC @op->s, or give up */
static void on_tap_got(int status, void *ctx)
{
	struct tap_op *op = ctx;
	struct live_links *lv = op->h.lv;
	struct nic_slot *s = op->s;
	struct tcw_helper_reply reply;
	struct tcw_err err = { "" };

	live_links_helper_done(lv, &op->h);
	if (tcw_helper_collect(&op->h.call, status, &reply, &err)) {
		log_msg("%s: not hot-added: %s", op->name, err.msg);
		s->failed_ifindex = op->ifindex;
		s->state = op->placeholder ? NIC_PLACEHOLDER : NIC_ABSENT;
	} else {
		nic_slot_take_fds(s, reply.fds, reply.n);
		g_strlcpy(s->partner, op->name, sizeof(s->partner));
		s->mtu = op->mtu;
		memcpy(s->mac, op->mac, sizeof(s->mac));
		hotplug_queue(lv, s, op->placeholder, op->ifindex, op->name);
	}
	g_free(op);
}

/* See hotplug.h */
void hotplug_nic(struct live_links *lv, struct nic_slot *s,
		 const struct monitored_link *l)
{
	struct tap_op *op;
	struct tcw_err err = { "" };

	if (s->bridge > lv->plan->n_bridges) {
		log_msg("%s: not hot-added: position %u needs pci-bridge tcwbr%u, which the VM was started without (start it with --slots %u)",
			 l->name, s->position, s->bridge, s->position);
		s->failed_ifindex = l->ifindex;
		return;
	}
	op = g_new0(struct tap_op, 1);
	op->h.lv = lv;
	op->s = s;
	op->ifindex = l->ifindex;
	op->placeholder = s->state == NIC_PLACEHOLDER;
	op->mtu = l->mtu;
	memcpy(op->mac, s->mac, sizeof(op->mac));
	if (lv->o->partner_mac)
		mac_from_partner(op->mac, l);
	g_strlcpy(op->name, l->name, sizeof(op->name));
	op->req = (struct tcw_helper_request){
		.helper = lv->o->helper,
		.partner = op->name,
		.use_vnet = true,
		.queues = lv->o->nic.queues,
	};
	if (tcw_helper_start(&op->req, &op->h.call, &err)) {
		log_msg("%s: not hot-added: %s", l->name, err.msg);
		s->failed_ifindex = l->ifindex;
		g_free(op);
		return;
	}
	s->state = NIC_HOTPLUGGING;	/* ABSENT or PLACEHOLDER -> HOTPLUGGING */
	live_links_helper_started(lv, &op->h, on_tap_got);
}

/* The QMP part of hot-add @h: first remove the placeholder, if any */
static void hotplug_begin(struct hotplug *h)
{
	if (!h->placeholder) {
		give_next_fd(h);
		return;
	}
	h->waiting_delete = true;
	h->timeout = g_timeout_add_seconds(HOTPLUG_UNPLUG_TIMEOUT_S,
					   on_unplug_timeout, h);
	qmp_command(h->lv->qmp, "device_del",
		    qmp_args("id", 's', h->id, NULL), -1, on_unplug_requested,
		    h);
}

/* See hotplug.h */
void hotplug_cancel_all(struct live_links *lv)
{
	GList *all = lv->hotplugs, *i;

	lv->hotplugs = NULL;
	for (i = all; i; i = i->next) {
		struct hotplug *h = i->data;

		if (h->timeout)
			g_source_remove(h->timeout);
		nic_slot_close_fds(h->s);
		h->s->state = h->placeholder ? NIC_PLACEHOLDER : NIC_ABSENT;
		g_free(h);
	}
	g_list_free(all);
}
