/* SPDX-License-Identifier: GPL-2.0-or-later
 * bench-status - time tcwire status --all's work inside one process
 *
 * Usage: bench-status RUNS
 *
 * Reads every network namespace of the host RUNS times exactly as
 * tcwire status --all does (tcws_netns_collect(), owners included, no
 * output), and prints:
 *	median_us N	median time of one reading
 *	namespaces N	namespaces read
 *	wires N		wires found
 *	link_dumps N, qdisc_dumps N, hook_scans N	requests of one reading
 * The command's own start-up (exec, dynamic linking) is not in it: the
 * benchmark script times the command too.
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "status_netns.h"

/* qsort order of gint64 */
static int cmp_i64(const void *a, const void *b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 11, r;
	gint64 *us = g_new(gint64, runs > 0 ? runs : 1);
	struct tcws_snapshot_cost cost = { 0, 0, 0 };
	size_t wires = 0, nses = 0;

	for (r = 0; r < runs; r++) {
		GArray *ns = tcws_netns_array_new();
		struct tcw_err err = { "" };
		gint64 t0 = g_get_monotonic_time();
		guint i;

		memset(&cost, 0, sizeof(cost));
		if (tcws_netns_collect(true, ns, &cost, &err) < 0) {
			fprintf(stderr, "bench-status: %s\n", err.msg);
			return 1;
		}
		us[r] = g_get_monotonic_time() - t0;
		nses = ns->len;
		wires = 0;
		for (i = 0; i < ns->len; i++)
			wires += g_array_index(ns, struct tcws_netns, i).report.n;
		g_array_unref(ns);
	}
	qsort(us, (size_t)runs, sizeof(*us), cmp_i64);
	printf("median_us %" G_GINT64_FORMAT "\n", us[runs / 2]);
	printf("namespaces %zu\nwires %zu\n", nses, wires);
	printf("link_dumps %u\nqdisc_dumps %u\nhook_scans %u\n",
	       cost.link_dumps, cost.qdisc_dumps, cost.hook_scans);
	g_free(us);
	return 0;
}
