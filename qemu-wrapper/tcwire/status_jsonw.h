/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - a small JSON writer (what status_json.c needs, no more)
 */
#ifndef TCWIRE_STATUS_JSONW_H
#define TCWIRE_STATUS_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

/**
 * struct jw_writer - A JSON document being written
 * @out:	Appended to
 * @pretty:	Newlines and 4-space indentation (as ip -json -pretty)
 * @depth:	Open objects and arrays
 * @need_comma:	A value was written at this depth
 */
struct jw_writer {
	GString *out;
	bool pretty;
	unsigned int depth;
	bool need_comma;
};

/**
 * jw_init() - Start a document
 * @w:		Writer
 * @out:	Where the text goes
 * @pretty:	Indent
 */
void jw_init(struct jw_writer *w, GString *out, bool pretty);

/**
 * jw_open() - Open an object ('{') or an array ('[')
 * @w:		Writer
 * @key:	Member name inside an object; NULL in an array or at the top
 * @bracket:	'{' or '['
 */
void jw_open(struct jw_writer *w, const char *key, char bracket);

/**
 * jw_close() - Close the innermost object ('}') or array (']')
 * @w:		Writer
 * @bracket:	'}' or ']'
 */
void jw_close(struct jw_writer *w, char bracket);

/**
 * jw_str() - A string value; a value that is not UTF-8 gets U+FFFD
 *		    for its invalid bytes, and a member KEY_hex with its bytes
 * @w:		Writer
 * @key:	Member name, or NULL in an array
 * @v:		Value
 */
void jw_str(struct jw_writer *w, const char *key, const char *v);

/**
 * jw_uint() - An unsigned integer value
 * @w:		Writer
 * @key:	Member name, or NULL in an array
 * @v:		Value
 */
void jw_uint(struct jw_writer *w, const char *key, uint64_t v);

/**
 * jw_bool() - true or false
 * @w:		Writer
 * @key:	Member name, or NULL in an array
 * @v:		Value
 */
void jw_bool(struct jw_writer *w, const char *key, bool v);

/**
 * jw_double() - A number with three decimals (locale independent)
 * @w:		Writer
 * @key:	Member name, or NULL in an array
 * @v:		Value
 */
void jw_double(struct jw_writer *w, const char *key, double v);

#endif /* TCWIRE_STATUS_JSONW_H */
