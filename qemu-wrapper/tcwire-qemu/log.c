/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - one line on stderr per thing that happened
 */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* See log.h */
void log_msg(const char *fmt, ...)
{
	g_autofree char *msg = NULL, *line = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	line = g_strconcat("tcwire-qemu: ", msg, "\n", NULL);
	/* One write, so that our lines and qemu's never interleave */
	if (write(STDERR_FILENO, line, strlen(line)) < 0) {
		/* nowhere left to report it */
	}
}
