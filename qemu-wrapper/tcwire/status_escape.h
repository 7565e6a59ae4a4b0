/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - names made safe for a terminal and for a shell
 */
#ifndef TCWIRE_STATUS_ESCAPE_H
#define TCWIRE_STATUS_ESCAPE_H

#include <glib.h>

/**
 * escape_text() - A copy of @s that a terminal shows as it is
 * @s:		A name from the system (an interface, a process, a host)
 *
 * Interface names may hold any byte but '/', ':' and white space, and
 * process and host names are chosen by any user: printed raw, an escape
 * sequence in one would retitle or clear the terminal, or forge lines.
 * Every byte that is not printable text becomes "\ooo" (octal, as ls -b
 * does): C0 controls, DEL, the C1 controls U+0080..U+009F, and bytes that
 * are not valid UTF-8. A backslash becomes "\\", so the escaping is
 * unambiguous. Printable UTF-8 passes unchanged.
 *
 * Return: a new string (g_free() it)
 */
char *escape_text(const char *s);

/**
 * escape_text_lines() - Escape what a terminal would interpret in @out,
 *			    keeping its line breaks
 * @out:	Text about to be printed
 *
 * As escape_text() for each line, but backslashes are left as they are:
 * the last line of defence for text built by format strings (notes, the
 * doctor's diagnoses); fields escaped before pass unchanged.
 */
void escape_text_lines(GString *out);

/**
 * escape_shell_word() - @s as one word for a POSIX shell, printable
 * @s:		A name
 *
 * Unchanged if it holds only characters a shell never interprets
 * (letters, digits, "_@%+=:,./-"); in single quotes if it is printable;
 * else in $'...' with "\ooo" for the bytes that are not (bash, zsh, ksh
 * and POSIX.1-2024 sh read it back to the same bytes). The result never
 * holds a control byte, so it can be printed and pasted.
 *
 * Return: a new string (g_free() it)
 */
char *escape_shell_word(const char *s);

#endif /* TCWIRE_STATUS_ESCAPE_H */
