/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - names made safe for a terminal and for a shell
 *
 * Everything tcwire prints as text comes from names that other users
 * choose: interface names (any byte but '/', ':' and white space), a
 * process's comm, a container's host name. Two rules keep them harmless:
 * text shows them escaped (escape_text(), with escape_text_lines()
 * as the last pass over the whole output), and the commands doctor
 * suggests quote them for the shell (escape_shell_word()), so that
 * "x;id" stays one word. JSON carries the real bytes instead
 * (status_jsonw.c).
 */
#include <stdbool.h>
#include <string.h>

#include "status_escape.h"

/* Length of the printable UTF-8 character at @p, 0 if it is not one */
static size_t printable_char_len(const char *p)
{
	gunichar c;
	const char *next;

	if ((unsigned char)*p < 0x80)
		return (unsigned char)*p >= 0x20 && *p != 0x7f ? 1 : 0;
	c = g_utf8_get_char_validated(p, -1);
	if (c == (gunichar)-1 || c == (gunichar)-2 || !g_unichar_isprint(c))
		return 0;
	next = g_utf8_next_char(p);
	return (size_t)(next - p);
}

/* Append @s to @out escaped; "\\" for a backslash if @backslash */
static void append_safe(GString *out, const char *s, size_t len,
			bool backslash)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		size_t n = printable_char_len(p);

		if (n && p + n <= end) {
			if (*p == '\\' && backslash)
				g_string_append(out, "\\\\");
			else
				g_string_append_len(out, p, (gssize)n);
			p += n;
		} else {
			g_string_append_printf(out, "\\%03o",
					       (unsigned char)*p);
			p++;
		}
	}
}

/* See status_escape.h */
char *escape_text(const char *s)
{
	GString *out = g_string_sized_new(strlen(s));

	append_safe(out, s, strlen(s), true);
	return g_string_free(out, FALSE);
}

/* See status_escape.h */
void escape_text_lines(GString *out)
{
	g_autoptr(GString) safe = g_string_sized_new(out->len);
	const char *p = out->str, *end = out->str + out->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		append_safe(safe, p, len, false);
		if (nl)
			g_string_append_c(safe, '\n');
		p += len + (nl ? 1 : 0);
	}
	g_string_assign(out, safe->str);
}

/* Whether @s needs no quoting at all */
static bool shell_plain(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!g_ascii_isalnum(*s) && !strchr("_@%+=:,./-", *s))
			return false;
	return true;
}

/* See status_escape.h */
char *escape_shell_word(const char *s)
{
	GString *out;
	const char *p;
	bool printable = true;

	if (shell_plain(s))
		return g_strdup(s);
	for (p = s; *p; p += printable_char_len(p))
		if (!printable_char_len(p)) {
			printable = false;
			break;
		}
	out = g_string_new(printable ? "'" : "$'");
	for (p = s; *p; ) {
		size_t n = printable_char_len(p);

		if (*p == '\'')
			g_string_append(out, printable ? "'\\''" : "\\'");
		else if (*p == '\\' && !printable)
			g_string_append(out, "\\\\");
		else if (n)
			g_string_append_len(out, p, (gssize)n);
		else
			g_string_append_printf(out, "\\%03o", (unsigned char)*p);
		p += n ? n : 1;
	}
	g_string_append_c(out, '\'');
	return g_string_free(out, FALSE);
}
