/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - one line on stderr per thing that happened
 */
#ifndef TCWIRE_LOG_H
#define TCWIRE_LOG_H

#include <glib.h>

/**
 * log_msg() - Print "tcwire-qemu: <message>" and a newline on stderr
 * @fmt:	printf-style message: the object first, then what happened
 *
 * The one place tcwire-qemu's lines are written, before qemu starts (a
 * failure) and while it runs (link changes, hot-adds, re-wires).
 */
void log_msg(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

#endif
