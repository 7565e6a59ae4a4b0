/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - a small JSON writer (what status_json.c needs, no more)
 */
#ifndef TCWS_STATUS_JSONW_H
#define TCWS_STATUS_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

/**
 * struct tcws_jw - A JSON document being written
 * @out:	Appended to
 * @pretty:	Newlines and 4-space indentation (as ip -json -pretty)
 * @depth:	Open objects and arrays
 * @need_comma:	A value was written at this depth
 */
struct tcws_jw {
	GString *out;
	bool pretty;
	unsigned int depth;
	bool need_comma;
};

/**
 * tcws_jw_init() - Start a document
 * @w:		Writer
 * @out:	Where the text goes
 * @pretty:	Indent
 */
void tcws_jw_init(struct tcws_jw *w, GString *out, bool pretty);

/**
 * tcws_jw_open() - Open an object ('{') or an array ('[')
 * @w:		Writer
 * @key:	Member name inside an object; NULL in an array or at the top
 * @bracket:	'{' or '['
 */
void tcws_jw_open(struct tcws_jw *w, const char *key, char bracket);

/**
 * tcws_jw_close() - Close the innermost object ('}') or array (']')
 * @w:		Writer
 * @bracket:	'}' or ']'
 */
void tcws_jw_close(struct tcws_jw *w, char bracket);

/**
 * tcws_jw_str() - A string value; a value that is not UTF-8 gets U+FFFD
 *		    for its invalid bytes, and a member KEY_hex with its bytes
 * @w:		Writer
 * @key:	Member name, or NULL in an array
 * @v:		Value
 */
void tcws_jw_str(struct tcws_jw *w, const char *key, const char *v);

/**
 * tcws_jw_uint() - An unsigned integer value
 * @w:		Writer
 * @key:	Member name, or NULL in an array
 * @v:		Value
 */
void tcws_jw_uint(struct tcws_jw *w, const char *key, uint64_t v);

/**
 * tcws_jw_bool() - true or false
 * @w:		Writer
 * @key:	Member name, or NULL in an array
 * @v:		Value
 */
void tcws_jw_bool(struct tcws_jw *w, const char *key, bool v);

/**
 * tcws_jw_double() - A number with three decimals (locale independent)
 * @w:		Writer
 * @key:	Member name, or NULL in an array
 * @v:		Value
 */
void tcws_jw_double(struct tcws_jw *w, const char *key, double v);

#endif /* TCWS_STATUS_JSONW_H */
