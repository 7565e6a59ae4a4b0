/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - the JSON output (schema in docs/tcwire.1)
 */
#ifndef TCWS_STATUS_JSON_H
#define TCWS_STATUS_JSON_H

#include <glib.h>

#include "status_model.h"

/* Bump when a key changes meaning or goes away; new keys do not bump it */
#define TCWS_JSON_SCHEMA_VERSION	1

/**
 * tcws_json_status() - The JSON document of some namespaces
 * @ns:		Namespaces
 * @n:		How many
 * @pretty:	Indent (like ip -json -pretty), else one line
 *
 * Return: a newly allocated string, without a trailing newline
 */
char *tcws_json_status(const struct tcws_netns *ns, size_t n, bool pretty);

#endif /* TCWS_STATUS_JSON_H */
