/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - the JSON output (schema in docs/tcwire.1)
 */
#ifndef TCWIRE_STATUS_JSON_H
#define TCWIRE_STATUS_JSON_H

#include <glib.h>

#include "status_model.h"

/* Bump when a key changes meaning or goes away; new keys do not bump it */
#define JSON_SCHEMA_VERSION	2

/**
 * json_status() - The JSON document of some namespaces
 * @ns:		Namespaces
 * @n:		How many
 * @pretty:	Indent (like ip -json -pretty), else one line
 *
 * Return: a newly allocated string, without a trailing newline
 */
char *json_status(const struct status_netns *ns, size_t n, bool pretty);

#endif /* TCWIRE_STATUS_JSON_H */
