/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - wires.conf: the persistent wires tcwire wire --all makes
 *
 * Taps do not survive a reboot, so the wires of libvirt's system-mode
 * domains are written down once, one per line, and a systemd unit makes
 * them at boot (contrib/systemd/tcwire-wires.service):
 *
 *	# tap		partner		options
 *	tcw-r1-1	veth-r1-1
 *	tcw-r1-2	veth-r1-2	queues=4
 *
 * The file is root's (tcwire wire needs CAP_NET_ADMIN); it is still parsed
 * strictly, so that a typo refuses the file instead of wiring something
 * else.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/ifname.h"
#include "persistent_wire.h"
#include "wires_conf.h"

/* Parse the option @opt ("queues=N") into @w */
static int option_parse(const char *opt, struct wires_conf_line *w,
			const char *where, struct tcw_err *err)
{
	char q[64];
	guint64 n;

	if (g_str_has_prefix(opt, "queues=") &&
	    g_ascii_string_to_unsigned(opt + 7, 10, 1, PERSISTENT_MAX_QUEUES,
				       &n, NULL)) {
		w->queues = (unsigned int)n;
		return 0;
	}
	return tcw_err_set(err, EINVAL, "%s: %s: expected queues=N (1 to %d)",
			   where, tcw_quote(opt, q, sizeof(q)),
			   PERSISTENT_MAX_QUEUES);
}

/* Parse the fields of one line into @w */
static int line_parse(char **fields, struct wires_conf_line *w,
		      const char *where, struct tcw_err *err)
{
	struct tcw_err why;
	guint i;

	if (!fields[0] || !fields[1])
		return tcw_err_set(err, EINVAL, "%s: expected TAP PARTNER [queues=N]",
				   where);
	w->queues = 1;
	for (i = 2; fields[i]; i++)
		if (option_parse(fields[i], w, where, err))
			return -EINVAL;
	if (tcw_ifname_check(fields[0], &why) ||
	    persistent_wire_check(fields[0], w->queues, &why) ||
	    tcw_ifname_check(fields[1], &why))
		return tcw_err_set(err, EINVAL, "%s: %s", where, why.msg);
	g_strlcpy(w->tap, fields[0], sizeof(w->tap));
	g_strlcpy(w->partner, fields[1], sizeof(w->partner));
	return 0;
}

/* Refuse a tap or partner named twice in @wires */
static int duplicates_check(const GArray *wires, const struct wires_conf_line *w,
			    const char *file, struct tcw_err *err)
{
	guint i;

	for (i = 0; i < wires->len; i++) {
		const struct wires_conf_line *o =
			&g_array_index(wires, struct wires_conf_line, i);

		if (!strcmp(o->tap, w->tap) || !strcmp(o->partner, w->partner))
			return tcw_err_set(err, EINVAL,
					   "%s:%u: %s: already on line %u",
					   file, w->lineno,
					   strcmp(o->tap, w->tap) ? w->partner : w->tap,
					   o->lineno);
	}
	return 0;
}

/* Drop the empty fields that blanks in a row leave */
static void fields_compact(char **fields)
{
	guint r, k = 0;

	for (r = 0; fields[r]; r++) {
		if (fields[r][0])
			fields[k++] = fields[r];
		else
			g_free(fields[r]);
	}
	fields[k] = NULL;
}

/* See wires_conf.h */
GArray *wires_conf_parse(const char *text, const char *file,
			 struct tcw_err *err)
{
	g_autoptr(GArray) wires = g_array_new(FALSE, TRUE,
					      sizeof(struct wires_conf_line));
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint i;

	for (i = 0; lines[i]; i++) {
		struct wires_conf_line w = { .lineno = i + 1 };
		g_autofree char *where = g_strdup_printf("%s:%u", file, i + 1);
		char *hash = strchr(lines[i], '#');
		g_auto(GStrv) fields = NULL;

		if (hash)
			*hash = '\0';
		g_strdelimit(lines[i], "\t\r\v\f", ' ');
		fields = g_strsplit(g_strstrip(lines[i]), " ", -1);
		if (!fields[0] || !fields[0][0])
			continue;
		fields_compact(fields);
		if (line_parse(fields, &w, where, err) ||
		    duplicates_check(wires, &w, file, err))
			return NULL;
		g_array_append_val(wires, w);
	}
	return g_steal_pointer(&wires);
}

/* See wires_conf.h */
GArray *wires_conf_load(const char *file, struct tcw_err *err)
{
	g_autoptr(GString) text = g_string_new(NULL);
	char buf[4096];
	size_t n;
	FILE *f = fopen(file, "re");

	if (!f) {
		tcw_err_set(err, errno, "%s: cannot read: %s", file,
			    strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		g_string_append_len(text, buf, (gssize)n);
	if (ferror(f)) {
		tcw_err_set(err, EIO, "%s: cannot read", file);
		fclose(f);
		return NULL;
	}
	fclose(f);
	if (strlen(text->str) != text->len) {
		tcw_err_set(err, EINVAL, "%s: contains a NUL byte", file);
		return NULL;
	}
	return wires_conf_parse(text->str, file, err);
}
