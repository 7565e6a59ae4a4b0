/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status --watch - rates per second between two readings
 *
 * A wire is the same wire in two readings when it is in the same
 * namespace with the same partner and tap ifindex (names can change,
 * indexes are never reused while a device lives). Pure: unit-tested.
 */
#include "status_classify.h"
#include "status_rates.h"

/* The wire of @prev matching @w of namespace @ino, or NULL */
static const struct status_wire *wire_before(GArray *prev, uint64_t ino,
					   const struct status_wire *w)
{
	guint i;
	size_t j;

	for (i = 0; i < prev->len; i++) {
		const struct status_netns *ns = &g_array_index(prev, struct status_netns, i);

		for (j = 0; ns->ino == ino && !ns->error && j < ns->report.n; j++) {
			const struct status_wire *p = &ns->report.wires[j];

			if (!p->partner == !w->partner && !p->tap == !w->tap &&
			    (!p->partner || p->partner->ifindex == w->partner->ifindex) &&
			    (!p->tap || p->tap->ifindex == w->tap->ifindex))
				return p;
		}
	}
	return NULL;
}

/* Rates of @w from its earlier self @p; false if a counter went down */
static bool wire_rates(struct status_wire *w, const struct status_wire *p,
		       double seconds)
{
	int d;

	for (d = 0; d < STATUS_N_DIRS; d++) {
		struct status_flow now, then;

		classify_wire_flow(w, (enum status_dir)d, &now);
		classify_wire_flow(p, (enum status_dir)d, &then);
		if (now.act.packets < then.act.packets ||
		    now.act.bytes < then.act.bytes || now.drops < then.drops)
			return false;
		w->rates[d][0] = (double)(now.act.packets - then.act.packets) / seconds;
		w->rates[d][1] = (double)(now.act.bytes - then.act.bytes) / seconds;
		w->rates[d][2] = (double)(now.drops - then.drops) / seconds;
	}
	return true;
}

/* See status_watch.h */
void rates_compute(GArray *prev, GArray *cur, double seconds)
{
	guint i;
	size_t j;

	for (i = 0; i < cur->len; i++) {
		struct status_netns *ns = &g_array_index(cur, struct status_netns, i);

		for (j = 0; !ns->error && j < ns->report.n; j++) {
			struct status_wire *w = &ns->report.wires[j];
			const struct status_wire *p = wire_before(prev, ns->ino, w);

			w->have_rates = p && seconds > 0 && wire_rates(w, p, seconds);
		}
	}
}

