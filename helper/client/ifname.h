/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - interface names: validation and tcwire's own tap names
 */
#ifndef TCWIRE_IFNAME_H
#define TCWIRE_IFNAME_H

#include <stdbool.h>
#include <net/if.h>

#include "client/error.h"

/* Taps are created as "tcw%d"; the kernel picks the number. */
#define TCW_TAP_PREFIX		"tcw"
#define TCW_TAP_TEMPLATE	TCW_TAP_PREFIX "%d"

/**
 * tcw_ifname_check() - Check an interface name given by an untrusted caller
 * @name:	NUL-terminated name from argv
 * @err:	Filled on failure
 *
 * Accepts 1 to IFNAMSIZ-1 (15) bytes of letters, digits and "-_.@+", not "."
 * or "..". Everything else is refused, including '/', whitespace, ':', glob
 * characters and control bytes: the kernel would truncate or reject them,
 * and names are compared to ACL patterns (CVE-2019-13164 came from a name
 * compared in full but truncated by the kernel).
 *
 * Return: 0 if valid, -EINVAL with @err set otherwise
 */
int tcw_ifname_check(const char *name, struct tcw_err *err);

/**
 * tcw_ifname_is_tcwire_tap() - Tell whether a name is in tcwire's tap pattern
 * @name:	Interface name
 *
 * Return: true for "tcw" followed by one or more decimal digits
 */
bool tcw_ifname_is_tcwire_tap(const char *name);

#endif /* TCWIRE_IFNAME_H */
