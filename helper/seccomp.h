/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - seccomp allow-list for the wiring phase
 */
#ifndef TCWIRE_SECCOMP_H
#define TCWIRE_SECCOMP_H

#include "client/error.h"

/**
 * seccomp_confine() - Allow only the system calls the wiring needs
 * @err:	Filled on failure
 *
 * Installed after the privileges were dropped and the ACL was read, just
 * before any kernel state is touched. Anything else fails with ENOSYS (the
 * helper then reports an error and rolls back, it never crashes). Needs
 * no_new_privs, which privileges_drop() set.
 *
 * Return: 0 or negative errno
 */
int seccomp_confine(struct tcw_err *err);

#endif /* TCWIRE_SECCOMP_H */
