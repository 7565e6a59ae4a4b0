/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - interface names: validation and tcwire's own tap names
 */
#include <errno.h>
#include <string.h>

#include "client/ifname.h"

/* Characters allowed in a partner name besides ASCII letters and digits */
static const char ifname_extra_chars[] = "-_.@+";

/* Whether @c may appear in an interface name we accept */
static bool ifname_char_ok(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr(ifname_extra_chars, c) != NULL;
}

/* See ifname.h */
int tcw_ifname_check(const char *name, struct tcw_err *err)
{
	char q[64];
	size_t len = strnlen(name, IFNAMSIZ);
	size_t i;

	if (len == 0)
		return tcw_err_set(err, EINVAL, "empty interface name");
	if (len >= IFNAMSIZ)
		return tcw_err_set(err, EINVAL,
				   "%s: interface name longer than %d bytes",
				   tcw_quote(name, q, sizeof(q)), IFNAMSIZ - 1);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return tcw_err_set(err, EINVAL, "%s: not an interface name",
				   name);
	for (i = 0; i < len; i++) {
		if (!ifname_char_ok(name[i]))
			return tcw_err_set(err, EINVAL,
					   "%s: interface name may only contain letters, digits and \"%s\"",
					   tcw_quote(name, q, sizeof(q)),
					   ifname_extra_chars);
	}
	return 0;
}

/* See ifname.h */
bool tcw_ifname_is_tcwire_tap(const char *name)
{
	const char *p;

	if (strncmp(name, TCW_TAP_PREFIX, strlen(TCW_TAP_PREFIX)))
		return false;
	p = name + strlen(TCW_TAP_PREFIX);
	if (!*p)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}
