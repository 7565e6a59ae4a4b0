/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - error reports
 *
 * Every fallible function in tcwire returns 0 or a negative errno and, on
 * failure, writes one sentence into a struct tcw_err: the object it was
 * working on and the reason, e.g. "eth1: no such interface in this network
 * namespace".  Exactly one place per program (main) prints that sentence,
 * prefixed with the program name, so a failure is always one line.
 */
#ifndef TCWIRE_ERROR_H
#define TCWIRE_ERROR_H

#include <stddef.h>

#define TCW_ERR_LEN 512

struct tcw_err {
	char msg[TCW_ERR_LEN];
};

/**
 * tcw_err_set() - Record a failure message (printf-style) and return -@errnum
 * @err:	Error to fill, may be NULL
 * @errnum:	Positive errno describing the failure class
 * @fmt:	Message format: object first, then the reason
 *
 * Return: -@errnum, so callers can write "return tcw_err_set(...)"
 */
int tcw_err_set(struct tcw_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * tcw_quote() - Make untrusted text safe to show in a one-line message
 * @in:		Text from argv, a file or the kernel (NUL-terminated)
 * @out:	Buffer for the quoted text
 * @outlen:	Size of @out, at least 8
 *
 * Printable ASCII is copied, every other byte becomes \xNN, and text longer
 * than @out is cut with "...". A newline can never reach the terminal.
 *
 * Return: @out
 */
const char *tcw_quote(const char *in, char *out, size_t outlen);

#endif /* TCWIRE_ERROR_H */
