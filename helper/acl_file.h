/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - reading ACL files safely
 */
#ifndef TCWIRE_ACL_FILE_H
#define TCWIRE_ACL_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "acl.h"
#include "client/error.h"

#define ACL_MAX_FILE_SIZE	(1024 * 1024)

/**
 * struct acl_caller - Who is asking: decides which scoped includes apply
 * @uid:	Caller's real uid
 * @gid:	Caller's real gid
 * @groups:	Caller's supplementary groups, as it started us
 * @n_groups:	Number of @groups
 * @wants:	The interface asked for, named in the fix that a missing ACL's
 *		message gives (NULL: a placeholder instead)
 */
struct acl_caller {
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t n_groups;
	const char *wants;
};

/**
 * acl_load_file() - Read an ACL file and everything it includes
 * @acl:		ACL to fill
 * @path:		Top file, absolute
 * @caller:		Who is asking; NULL loads every scoped include
 * @require_root_owned:	Refuse files not owned by root or writable by
 *			group or others (set when privileges were gained)
 * @err:		Filled on failure with "file: reason" or
 *			"file:line: reason"
 *
 * Files are opened without following a final symlink, must be regular and
 * at most ACL_MAX_FILE_SIZE bytes. Includes nest at most ACL_MAX_DEPTH
 * deep and a file that includes itself, directly or not, is refused. The
 * file's content never appears in a message. A file that applies to the
 * caller and cannot be read fails the whole load: a deny rule never
 * vanishes silently. "include-user"/"include-group" files for somebody
 * else are not opened at all.
 *
 * Return: 0 or negative errno
 */
int acl_load_file(struct acl *acl, const char *path,
		  const struct acl_caller *caller, bool require_root_owned,
		  struct tcw_err *err);

#endif /* TCWIRE_ACL_FILE_H */
