/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - the table people read
 */
#ifndef TCWIRE_STATUS_TEXT_H
#define TCWIRE_STATUS_TEXT_H

#include <glib.h>

#include "status_model.h"

/**
 * text_human() - A count the short way: 1204, 156k, 2.5M, 1.1G
 * @v:		Value
 * @buf:	Result
 * @len:	Size of @buf (16 is enough)
 *
 * Values below 10000 are exact; above, SI prefixes with two or three
 * significant digits.
 *
 * Return: @buf
 */
const char *text_human(double v, char *buf, size_t len);

/**
 * text_note() - The short notes of a wire's findings, "; "-separated
 * @w:		Wire
 * @out:	Appended to
 */
void text_note(const struct status_wire *w, GString *out);

/**
 * text_status() - The status table of some namespaces
 * @out:	Appended to
 * @ns:		Namespaces (those with an error are left out)
 * @n:		How many
 * @all:	Add a NETNS column (tcwire status --all)
 *
 * One line per wire: partner, tap, state, MTU, per direction
 * packets/bytes/drops (or per second rates when the wires have them), the
 * process holding the tap, notes. A line says so when there is no wire.
 */
void text_status(GString *out, const struct status_netns *ns, size_t n,
		      bool all);

#endif /* TCWIRE_STATUS_TEXT_H */
