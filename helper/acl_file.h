/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - reading ACL files safely
 */
#ifndef TCWIRE_ACL_FILE_H
#define TCWIRE_ACL_FILE_H

#include <stdbool.h>

#include "acl.h"
#include "error.h"

#define ACL_MAX_FILE_SIZE	(1024 * 1024)

/**
 * acl_load_file() - Read an ACL file and everything it includes
 * @acl:		ACL to fill
 * @path:		Top file, absolute
 * @require_root_owned:	Refuse files not owned by root or writable by
 *			group or others (set when privileges were gained)
 * @err:		Filled on failure with "file: reason" or
 *			"file:line: reason"
 *
 * Files are opened without following a final symlink, must be regular and
 * at most ACL_MAX_FILE_SIZE bytes. Includes nest at most ACL_MAX_DEPTH
 * deep and a file that includes itself, directly or not, is refused. The
 * file's content never appears in a message.
 *
 * Return: 0 or negative errno
 */
int acl_load_file(struct acl *acl, const char *path, bool require_root_owned,
		  struct tcw_err *err);

#endif /* TCWIRE_ACL_FILE_H */
