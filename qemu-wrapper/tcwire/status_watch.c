/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status --watch - rates per second, refreshed in place
 *
 * A GLib main loop with a timer, not a sleep loop: each tick reads the
 * namespaces again, computes rates against the previous reading with the
 * monotonic clock's real interval, and redraws. Signals arrive through
 * g_unix_signal_add(), so the loop ends cleanly between two readings.
 */
#include <stdio.h>
#include <unistd.h>

#include <glib-unix.h>

#include "status_classify.h"
#include "status_escape.h"
#include "status_json.h"
#include "status_netns.h"
#include "status_rates.h"
#include "status_text.h"
#include "status_watch.h"

/* The state of a running watch */
struct watch {
	const struct watch_options *o;
	GMainLoop *loop;
	GArray *prev;		/* previous reading, NULL before the first */
	gint64 prev_us;		/* its time (monotonic) */
	unsigned int frames;
	guint timer;		/* the refresh timer, 0 when not running */
	int status;
};

/* Print one frame of @cur */
static void watch_draw(struct watch *w, GArray *cur)
{
	const struct status_netns *ns = (const struct status_netns *)(void *)cur->data;
	g_autoptr(GString) out = g_string_new(NULL);

	if (w->o->json) {
		g_autofree char *doc = json_status(ns, cur->len, false);

		g_string_append_printf(out, "%s\n", doc);
	} else {
		if (!isatty(STDOUT_FILENO) && w->frames)
			g_string_append_c(out, '\n');
		g_string_append_printf(out, "every %.1f s, Ctrl-C to quit\n",
				       w->o->interval_ms / 1000.0);
		text_status(out, ns, cur->len, w->o->all);
		escape_text_lines(out);
		if (isatty(STDOUT_FILENO))	/* ours, after the escaping */
			g_string_prepend(out, "\033[H\033[J");
	}
	fwrite(out->str, 1, out->len, stdout);
	fflush(stdout);
}

/* Timer: read, compute rates, draw */
static gboolean watch_tick(gpointer data)
{
	struct watch *w = data;
	GArray *cur = netns_array_new();
	struct tcw_err err = { "" };
	gint64 now = g_get_monotonic_time();

	if (netns_collect(w->o->all, cur, NULL, &err) < 0) {
		fprintf(stderr, "tcwire: %s\n", err.msg);
		w->status = 1;
		g_array_unref(cur);
		g_main_loop_quit(w->loop);
		w->timer = 0;
		return G_SOURCE_REMOVE;
	}
	if (w->prev)
		rates_compute(w->prev, cur, (double)(now - w->prev_us) / 1e6);
	watch_draw(w, cur);
	if (w->prev)
		g_array_unref(w->prev);
	w->prev = cur;
	w->prev_us = now;
	w->frames++;
	if (w->o->count && w->frames >= w->o->count) {
		g_main_loop_quit(w->loop);
		w->timer = 0;
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

/* SIGINT, SIGTERM: leave the loop */
static gboolean watch_signal(gpointer data)
{
	g_main_loop_quit(((struct watch *)data)->loop);
	return G_SOURCE_CONTINUE;
}

/* See status_watch.h */
int watch_run(const struct watch_options *o)
{
	struct watch w = { .o = o, .loop = g_main_loop_new(NULL, FALSE) };
	guint sigint = g_unix_signal_add(SIGINT, watch_signal, &w);
	guint sigterm = g_unix_signal_add(SIGTERM, watch_signal, &w);

	if (watch_tick(&w) == G_SOURCE_CONTINUE) {
		w.timer = g_timeout_add(o->interval_ms, watch_tick, &w);
		g_main_loop_run(w.loop);
		if (w.timer)	/* ended by a signal */
			g_source_remove(w.timer);
	}
	g_source_remove(sigint);
	g_source_remove(sigterm);
	if (w.prev)
		g_array_unref(w.prev);
	g_main_loop_unref(w.loop);
	return w.status;
}
