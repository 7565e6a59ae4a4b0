/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - wires.conf: the persistent wires tcwire wire --all makes
 */
#ifndef TCWIRE_WIRES_CONF_H
#define TCWIRE_WIRES_CONF_H

#include <net/if.h>

#include <glib.h>

#include "client/error.h"

/**
 * struct wires_conf_line - One wire of wires.conf
 * @lineno:	Its line, for messages
 * @tap:	Tap name
 * @partner:	Partner name
 * @queues:	Queues (1 when not given)
 */
struct wires_conf_line {
	unsigned int lineno;
	char tap[IFNAMSIZ];
	char partner[IFNAMSIZ];
	unsigned int queues;
};

/**
 * wires_conf_parse() - Parse the text of a wires.conf
 * @text:	The file's contents (NUL-terminated)
 * @file:	Its name, for messages
 * @err:	Filled on failure: "FILE:LINE: reason"
 *
 * One wire per line: "TAP PARTNER [queues=N]", fields separated by blanks;
 * '#' starts a comment; empty lines are skipped. Names are checked as
 * interface names, a tap may not be named tcw<N> (tcwire-helper's), N is
 * 1 to 256, and no tap or partner may appear twice. Any error refuses the
 * whole file.
 *
 * Return: the wires (an array of struct wires_conf_line), or NULL on error
 */
GArray *wires_conf_parse(const char *text, const char *file,
			 struct tcw_err *err);

/**
 * wires_conf_load() - Read and parse a wires.conf
 * @file:	Path
 * @err:	Filled on failure
 *
 * Return: as wires_conf_parse(), or NULL when the file cannot be read
 */
GArray *wires_conf_load(const char *file, struct tcw_err *err);

#endif /* TCWIRE_WIRES_CONF_H */
