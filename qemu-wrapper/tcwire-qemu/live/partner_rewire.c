/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - wiring a NIC's tap to its partner once it is there
 *
 * When a peer container is redeployed, the container's ethK is deleted and
 * created again with a new ifindex; when a slot's ethK appears, it is there
 * for the first time. Either way the tap, the NIC and the guest stay as
 * they are; only the two redirects must be made towards the new ethK. That
 * is the helper's job (it alone may change tc state): tcwire-qemu runs it
 * in re-wire mode and sends it the tap fd, which the helper checks (a
 * tcwire tap, in our network namespace) before it replaces the redirects.
 *
 * The helper runs without blocking the main loop: link events keep being
 * read meanwhile, the NIC is busy until the helper's exit status arrives
 * through the supervisor's reaper, and the next reconcile pass takes
 * whatever happened in between (the partner deleted again, say) from the
 * link table as it is then.
 */
#include "live/partner_rewire.h"
#include "log.h"
#include "supervisor.h"

/* One re-wire under way */
struct rewire_op {
	struct live_helper h;		/* first: live_links cancels by it */
	struct nic_slot *s;
	int ifindex;
	char name[IFNAMSIZ];
	enum nic_state from;		/* NIC_SLOT or NIC_WAITING */
	struct tcw_helper_request req;
};

/* The helper has exited: the NIC follows its new partner, or not */
static void on_rewire_done(int status, void *ctx)
{
	struct rewire_op *op = ctx;
	struct live_links *lv = op->h.lv;
	struct nic_slot *s = op->s;
	struct tcw_err err = { "" };

	live_links_helper_done(lv, &op->h);
	if (tcw_helper_rewire_collect(&op->h.call, status, &err)) {
		/* REWIRING -> back where it was, this ifindex not again */
		log_msg("%s: %s but not wired: %s", op->name,
			op->from == NIC_SLOT ? "appeared" : "created again",
			err.msg);
		s->state = op->from;
		s->failed_ifindex = op->ifindex;
	} else {
		/* REWIRING -> WIRED */
		s->state = NIC_WIRED;
		s->partner_ifindex = op->ifindex;
		s->failed_ifindex = 0;
		if (op->from == NIC_SLOT)
			log_msg("%s: appeared; %s wired to it in slot %u",
				op->name, s->tap, s->position);
		else
			log_msg("%s: created again; %s re-wired to it",
				op->name, s->tap);
	}
	live_links_schedule(lv);
	g_free(op);
}

/* See partner_rewire.h */
void rewire_nic(struct live_links *lv, struct nic_slot *s,
		const struct monitored_link *l)
{
	struct rewire_op *op = g_new0(struct rewire_op, 1);
	struct tcw_err err = { "" };

	op->h.lv = lv;
	op->s = s;
	op->ifindex = l->ifindex;
	op->from = s->state;
	g_strlcpy(op->name, l->name, sizeof(op->name));
	op->req = (struct tcw_helper_request){
		.helper = lv->o->helper, .partner = op->name, .queues = 1,
		.rewire = true,
	};
	if (tcw_helper_rewire_start(&op->req, s->fds[0], &op->h.call, &err)) {
		log_msg("%s: not wired: %s", l->name, err.msg);
		s->failed_ifindex = l->ifindex;
		g_free(op);
		return;
	}
	s->state = NIC_REWIRING;	/* SLOT or WAITING -> REWIRING */
	live_links_helper_started(lv, &op->h, on_rewire_done);
}
