/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - the state the live links share with what they start
 *
 * The supervision of the links (live_links.c) starts hot-adds (hotplug.c)
 * and re-wires (partner_rewire.c); those report back through this state:
 * the NICs, the QMP client, the helpers running, and a reconcile pass to
 * schedule. Each side includes this header, not the other.
 */
#ifndef TCWIRE_LIVE_STATE_H
#define TCWIRE_LIVE_STATE_H

#include <stdbool.h>

#include <glib.h>

#include "client/helper_client.h"
#include "live/link_monitor.h"
#include "nic_plan.h"
#include "options.h"
#include "qmp.h"

struct supervisor;

/**
 * struct live_links - Everything the supervision of the links works with
 * @plan:	The VM's NICs and their runtime state
 * @o:		Options (helper, prefix or interface list, NIC model)
 * @links:	The container's links, kept current
 * @qmp:	QMP client on qemu's monitor
 * @links_watch:	Main-loop source reading @links
 * @reconcile_source:	Pending idle source running a reconcile pass, or 0
 * @hotplugs:	Hot-adds in progress (struct hotplug, hotplug.c)
 * @sup:	The supervisor, whose reaper reports our helpers' exits
 * @helpers:	Helpers running (struct live_helper)
 */
struct live_links {
	struct nic_plan *plan;
	const struct wrapper_options *o;
	struct link_monitor *links;
	struct qmp *qmp;
	guint links_watch;
	guint reconcile_source;
	GList *hotplugs;
	struct supervisor *sup;
	GList *helpers;
};

/**
 * struct live_helper - A tcwire-helper running while the VM runs; the
 *			first member of each kind of helper operation
 * @lv:		State
 * @call:	The helper started (its pid and our socket end)
 */
struct live_helper {
	struct live_links *lv;
	struct tcw_helper_call call;
};

/**
 * live_links_helper_started() - Follow a helper started for @lv
 * @lv:		State
 * @h:		The operation, with @h->call from tcw_helper_start() or
 *		tcw_helper_rewire_start(); g_free()d by live_links_stop()
 *		if still running then
 * @done:	Called with the helper's exit status once it has been reaped;
 *		it calls live_links_helper_done() and frees the operation
 *
 * Never blocks: link events and QMP replies are handled meanwhile.
 */
void live_links_helper_started(struct live_links *lv, struct live_helper *h,
			       void (*done)(int status, void *op));

/**
 * live_links_helper_done() - Forget a helper that has exited
 * @lv:		State
 * @h:		The operation
 */
void live_links_helper_done(struct live_links *lv, struct live_helper *h);

/**
 * live_links_schedule() - Run a reconcile pass from the main loop soon
 * @lv:		State
 *
 * Level-triggered: a pass compares every NIC with the link table as it is
 * then, so events that came in a burst are handled once, in their final
 * state.
 */
void live_links_schedule(struct live_links *lv);

#endif /* TCWIRE_LIVE_STATE_H */
