/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - error reports: one sentence per failure, see error.h
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "client/error.h"

/* See error.h */
int tcw_err_set(struct tcw_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -errnum;
}

/* See error.h */
const char *tcw_quote(const char *in, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;
		size_t need = (c >= 0x20 && c < 0x7f && c != '\\') ? 1 : 4;

		if (o + need + 4 > outlen) {
			memcpy(out + o, "...", 4);
			return out;
		}
		if (need == 1) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		}
	}
	out[o] = '\0';
	return out;
}
