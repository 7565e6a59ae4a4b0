/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - the table people read
 *
 *   PARTNER  TAP   STATE  MTU   PARTNER->VM pkts/bytes/drops  VM->PARTNER ...  QEMU
 *   eth1     tcw0  ok     9500  1204/156k/0                   1187/151k/0      pid 41 (qemu-system-x86)
 *   eth2     -     stale  1500  -                             -                -     redirect to a deleted device
 *
 * Columns are as wide as their widest cell; the last one (the notes) has
 * no heading and no padding. Drops are the sum of everything that lost a
 * frame on that direction (see struct status_flow); the JSON output has the
 * parts.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "status_classify.h"
#include "status_escape.h"
#include "status_findings.h"
#include "status_text.h"
#include "wire/wire_model.h"

#define N_COLS_MAX	10

/* See status_text.h */
const char *text_human(double v, char *buf, size_t len)
{
	static const char units[] = "kMGTPE";
	size_t u = 0;

	if (v < 10000) {
		snprintf(buf, len, "%.0f", v);
		return buf;
	}
	v /= 1000;
	while (v >= 999.5 && u + 1 < sizeof(units) - 1) {
		v /= 1000;
		u++;
	}
	if (v < 9.95)
		snprintf(buf, len, "%.1f%c", v, units[u]);
	else
		snprintf(buf, len, "%.0f%c", v, units[u]);
	return buf;
}

/* Name of @l or "-" */
static const char *name_of(const struct status_link *l)
{
	return l ? l->name : "-";
}

/* See status_text.h */
void text_note(const struct status_wire *w, GString *out)
{
	bool first = true;
	int f;

	if (w->state == STATUS_WAITING) {
		g_string_append_printf(out, "tcwire-qemu waits for %s",
				       w->tap->for_partner);
		first = false;
	}
	if (w->state == STATUS_STOPPED) {
		g_string_append(out, "persistent tap (tcwire wire), its VM is stopped");
		first = false;
	}
	for (f = 0; f < STATUS_N_FINDINGS; f++) {
		if (!status_has(w, (enum status_finding)f))
			continue;
		if (!first)
			g_string_append(out, "; ");
		finding_note(w, (enum status_finding)f, out);
		first = false;
	}
}

/* "pkts/bytes/drops" of one direction's totals, or its rates per second
 * as "pkts/bits/drops" (link speeds are in bit/s) */
static char *flow_cell(const struct status_wire *w, enum status_dir dir)
{
	char a[16], b[16], c[16];
	struct status_flow f;

	classify_wire_flow(w, dir, &f);
	if (!f.present)
		return g_strdup("-");
	if (w->have_rates)
		return g_strdup_printf("%s/%s/%s",
				       text_human(w->rates[dir][0], a, sizeof(a)),
				       text_human(w->rates[dir][1] * 8, b, sizeof(b)),
				       text_human(w->rates[dir][2], c, sizeof(c)));
	return g_strdup_printf("%s/%s/%s",
			       text_human((double)f.act.packets, a, sizeof(a)),
			       text_human((double)f.act.bytes, b, sizeof(b)),
			       text_human((double)f.drops, c, sizeof(c)));
}

/* The cells of one wire's line */
static void wire_cells(const struct status_netns *ns, const struct status_wire *w,
		       bool all, GPtrArray *cells)
{
	const struct status_link *mtu_of = w->partner ? w->partner : w->tap;
	g_autoptr(GString) note = g_string_new(NULL);

	/* names are other users' choice: escaped, and the widths with them */
	if (all)
		g_ptr_array_add(cells, escape_text(ns->label ? ns->label : "-"));
	g_ptr_array_add(cells, escape_text(name_of(w->partner)));
	g_ptr_array_add(cells, escape_text(name_of(w->tap)));
	g_ptr_array_add(cells, g_strdup(classify_state_name(w->state)));
	g_ptr_array_add(cells, mtu_of ? g_strdup_printf("%u", mtu_of->mtu) :
					g_strdup("-"));
	g_ptr_array_add(cells, flow_cell(w, STATUS_TO_VM));
	g_ptr_array_add(cells, flow_cell(w, STATUS_FROM_VM));
	if (w->owner.pid) {
		g_autofree char *comm = escape_text(w->owner.comm);

		g_ptr_array_add(cells, g_strdup_printf("pid %d (%s)",
						       w->owner.pid, comm));
	} else {
		g_ptr_array_add(cells, g_strdup("-"));
	}
	text_note(w, note);
	g_ptr_array_add(cells, escape_text(note->str));
}

/* Print @rows (each a GPtrArray of @ncols cells) as aligned columns */
static void print_columns(GString *out, GPtrArray *rows, guint ncols)
{
	size_t width[N_COLS_MAX] = { 0 };
	guint r, c;

	for (r = 0; r < rows->len; r++) {
		GPtrArray *cells = g_ptr_array_index(rows, r);

		for (c = 0; c + 1 < ncols; c++)
			width[c] = MAX(width[c],
				       strlen(g_ptr_array_index(cells, c)));
	}
	for (r = 0; r < rows->len; r++) {
		GPtrArray *cells = g_ptr_array_index(rows, r);
		gsize start = out->len;

		for (c = 0; c < ncols; c++) {
			const char *cell = g_ptr_array_index(cells, c);

			if (c + 1 < ncols)
				g_string_append_printf(out, "%-*s  ",
						       (int)width[c], cell);
			else
				g_string_append(out, cell);
		}
		while (out->len > start && out->str[out->len - 1] == ' ')
			g_string_truncate(out, out->len - 1);
		g_string_append_c(out, '\n');
	}
}

/* See status_text.h */
void text_status(GString *out, const struct status_netns *ns, size_t n,
		      bool all)
{
	const char *rate = "pkts/bytes/drops";
	GPtrArray *rows = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_ptr_array_unref);
	GPtrArray *head = g_ptr_array_new_with_free_func(g_free);
	size_t i, j, wires = 0, read = 0;

	for (i = 0; i < n; i++)
		for (j = 0; !ns[i].error && j < ns[i].report.n; j++)
			if (ns[i].report.wires[j].have_rates)
				rate = "pkt/s bit/s drop/s";
	if (all)
		g_ptr_array_add(head, g_strdup("NETNS"));
	g_ptr_array_add(head, g_strdup("PARTNER"));
	g_ptr_array_add(head, g_strdup("TAP"));
	g_ptr_array_add(head, g_strdup("STATE"));
	g_ptr_array_add(head, g_strdup("MTU"));
	g_ptr_array_add(head, g_strdup_printf("PARTNER->VM %s", rate));
	g_ptr_array_add(head, g_strdup_printf("VM->PARTNER %s", rate));
	g_ptr_array_add(head, g_strdup("QEMU"));
	g_ptr_array_add(head, g_strdup(""));
	g_ptr_array_add(rows, head);

	for (i = 0; i < n; i++) {
		if (ns[i].error)
			continue;
		read++;
		for (j = 0; j < ns[i].report.n; j++, wires++) {
			GPtrArray *cells = g_ptr_array_new_with_free_func(g_free);

			wire_cells(&ns[i], &ns[i].report.wires[j], all, cells);
			g_ptr_array_add(rows, cells);
		}
	}
	if (wires)
		print_columns(out, rows, head->len);
	else if (all)
		g_string_append_printf(out, "no tcwire wires in %zu network namespace%s\n",
				       read, read == 1 ? "" : "s");
	else
		g_string_append(out, "no tcwire wires in this network namespace\n");
	g_ptr_array_unref(rows);
}
