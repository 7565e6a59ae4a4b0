/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - a small JSON writer (what status_json.c needs, no more)
 *
 * Written by hand rather than with json-glib: json-glib brings GIO and a
 * dozen libraries into every start of tcwire, and builds a node tree
 * before printing it, which costs more than reading the kernel state of
 * 64 namespaces. The unit tests parse the output with json-glib.
 */
#include <inttypes.h>
#include <string.h>

#include "status_jsonw.h"

/* See status_jsonw.h */
void jw_init(struct jw_writer *w, GString *out, bool pretty)
{
	w->out = out;
	w->pretty = pretty;
	w->depth = 0;
	w->need_comma = false;
}

/* Append @s, valid UTF-8, as a JSON string */
static void put_string(GString *out, const char *s)
{
	const unsigned char *p;

	g_string_append_c(out, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			g_string_append_printf(out, "\\u%04x", *p);
		else
			g_string_append_c(out, (char)*p);
	}
	g_string_append_c(out, '"');
}

/* Separator, indentation and member name before a value */
static void put_prefix(struct jw_writer *w, const char *key)
{
	if (w->need_comma)
		g_string_append_c(w->out, ',');
	if (w->pretty && w->depth) {
		g_string_append_c(w->out, '\n');
		g_string_append_printf(w->out, "%*s", (int)(4 * w->depth), "");
	}
	if (key) {
		put_string(w->out, key);
		g_string_append(w->out, w->pretty ? ": " : ":");
	}
	w->need_comma = true;
}

/* See status_jsonw.h */
void jw_open(struct jw_writer *w, const char *key, char bracket)
{
	put_prefix(w, key);
	g_string_append_c(w->out, bracket);
	w->depth++;
	w->need_comma = false;
}

/* See status_jsonw.h */
void jw_close(struct jw_writer *w, char bracket)
{
	bool empty = !w->need_comma;

	w->depth--;
	if (w->pretty && !empty) {
		g_string_append_c(w->out, '\n');
		g_string_append_printf(w->out, "%*s", (int)(4 * w->depth), "");
	}
	g_string_append_c(w->out, bracket);
	w->need_comma = true;
}

/*
 * See status_jsonw.h. JSON text is UTF-8, and names need not be (an
 * interface name may hold any byte but '/', ':' and white space): such a
 * value is written with U+FFFD for each invalid byte, and its real bytes
 * follow in hex as the member KEY_hex, from which a consumer recovers them.
 */
void jw_str(struct jw_writer *w, const char *key, const char *v)
{
	g_autofree char *valid = NULL, *hex_key = NULL;
	g_autoptr(GString) hex = NULL;
	const unsigned char *p;

	put_prefix(w, key);
	if (g_utf8_validate(v, -1, NULL)) {
		put_string(w->out, v);
		return;
	}
	valid = g_utf8_make_valid(v, -1);
	put_string(w->out, valid);
	if (!key)
		return;
	hex = g_string_new(NULL);
	for (p = (const unsigned char *)v; *p; p++)
		g_string_append_printf(hex, "%02x", *p);
	hex_key = g_strconcat(key, "_hex", NULL);
	put_prefix(w, hex_key);
	put_string(w->out, hex->str);
}

/* See status_jsonw.h */
void jw_uint(struct jw_writer *w, const char *key, uint64_t v)
{
	put_prefix(w, key);
	g_string_append_printf(w->out, "%" PRIu64, v);
}

/* See status_jsonw.h */
void jw_bool(struct jw_writer *w, const char *key, bool v)
{
	put_prefix(w, key);
	g_string_append(w->out, v ? "true" : "false");
}

/* See status_jsonw.h */
void jw_double(struct jw_writer *w, const char *key, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	put_prefix(w, key);
	g_string_append(w->out, g_ascii_formatd(buf, sizeof(buf), "%.3f", v));
}
