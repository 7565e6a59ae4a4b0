/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status --watch - rates per second, refreshed in place
 */
#ifndef TCWIRE_STATUS_WATCH_H
#define TCWIRE_STATUS_WATCH_H

#include <glib.h>

#include "status_model.h"

/**
 * struct watch_options - What to watch and how
 * @all:	Every namespace (--all)
 * @json:	One JSON document per refresh, one per line
 * @interval_ms: Time between refreshes
 * @count:	Stop after this many refreshes; 0 runs until SIGINT/SIGTERM
 */
struct watch_options {
	bool all;
	bool json;
	unsigned int interval_ms;
	unsigned int count;
};

/**
 * watch_run() - Show status, then rates, every interval
 * @o:		Options
 *
 * A GLib main loop: a timer reads the namespaces again and redraws
 * (clearing the screen when stdout is a terminal); SIGINT and SIGTERM end
 * it. The first frame shows the totals, the next ones rates per second.
 *
 * Return: 0, or 1 if our namespace could not be read
 */
int watch_run(const struct watch_options *o);

#endif /* TCWIRE_STATUS_WATCH_H */
