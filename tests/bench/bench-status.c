/* SPDX-License-Identifier: GPL-2.0-or-later
 * bench-status - time tcwire status --all's work inside one process
 *
 * Usage: bench-status RUNS
 *
 * Reads every network namespace of the host RUNS times exactly as
 * tcwire status --all does (netns_collect(), owners included, no
 * output), and prints:
 *	median_us N	median wall time of one reading
 *	cpu_us N	median CPU time of one reading (user and system; what a
 *			busy machine cannot inflate as much)
 *	namespaces N	namespaces read
 *	wires N		wires found
 *	link_dumps N, qdisc_dumps N, hook_scans N	requests of one reading
 * The command's own start-up (exec, dynamic linking) is not in it: the
 * benchmark script times the command too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "status_netns.h"

/* qsort order of gint64 */
static int cmp_i64(const void *a, const void *b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

	return (x > y) - (x < y);
}

/* CPU time of this process so far, in microseconds */
static gint64 cpu_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (gint64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 11, r;
	gint64 *us, *cpu;
	struct snapshot_cost cost = { 0, 0, 0 };
	size_t wires = 0, nses = 0;

	if (runs < 1)
		runs = 1;
	us = g_new(gint64, runs);
	cpu = g_new(gint64, runs);
	for (r = 0; r < runs; r++) {
		GArray *ns = netns_array_new();
		struct tcw_err err = { "" };
		gint64 t0 = g_get_monotonic_time(), c0 = cpu_now_us();
		guint i;

		memset(&cost, 0, sizeof(cost));
		if (netns_collect(true, ns, &cost, &err) < 0) {
			fprintf(stderr, "bench-status: %s\n", err.msg);
			return 1;
		}
		us[r] = g_get_monotonic_time() - t0;
		cpu[r] = cpu_now_us() - c0;
		nses = ns->len;
		wires = 0;
		for (i = 0; i < ns->len; i++)
			wires += g_array_index(ns, struct status_netns, i).report.n;
		g_array_unref(ns);
	}
	qsort(us, (size_t)runs, sizeof(*us), cmp_i64);
	qsort(cpu, (size_t)runs, sizeof(*cpu), cmp_i64);
	printf("median_us %" G_GINT64_FORMAT "\n", us[runs / 2]);
	printf("cpu_us %" G_GINT64_FORMAT "\n", cpu[runs / 2]);
	printf("namespaces %zu\nwires %zu\n", nses, wires);
	printf("link_dumps %u\nqdisc_dumps %u\nhook_scans %u\n",
	       cost.link_dumps, cost.qdisc_dumps, cost.hook_scans);
	g_free(us);
	g_free(cpu);
	return 0;
}
