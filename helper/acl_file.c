/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - reading ACL files safely
 *
 * When the helper runs setuid or with file capabilities, the ACL is the
 * only thing between an unprivileged user and every interface of the host.
 * So the files must be the administrator's: owned by root, not writable by
 * group or others, regular files reached without a final symlink. Files are
 * read after the helper switched to the caller's uid (privileges.c): a
 * per-user include readable only by that user works, and an include of a
 * file the caller may not read (/etc/shadow) fails with EACCES instead of
 * being parsed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acl_file.h"

/**
 * struct acl_file_ctx - State shared by a file and its includes
 * @require_root_owned:	See acl_load_file()
 * @open_dev:		Devices of the files being read, outermost first
 * @open_ino:		Inodes of the files being read
 */
struct acl_file_ctx {
	bool require_root_owned;
	dev_t open_dev[ACL_MAX_DEPTH + 1];
	ino_t open_ino[ACL_MAX_DEPTH + 1];
};

/* Check type, owner, mode, size and cycles of the open file @st */
static int acl_file_check(const struct acl_file_ctx *ctx, const char *path,
			  const struct stat *st, int depth,
			  struct tcw_err *err)
{
	int i;

	if (!S_ISREG(st->st_mode))
		return tcw_err_set(err, EINVAL, "%s: not a regular file", path);
	if (ctx->require_root_owned && st->st_uid != 0)
		return tcw_err_set(err, EPERM, "%s: not owned by root", path);
	if (ctx->require_root_owned && (st->st_mode & (S_IWGRP | S_IWOTH)))
		return tcw_err_set(err, EPERM,
				   "%s: writable by group or others", path);
	if (st->st_size > ACL_MAX_FILE_SIZE)
		return tcw_err_set(err, EFBIG, "%s: larger than %d bytes",
				   path, ACL_MAX_FILE_SIZE);
	for (i = 0; i < depth; i++)
		if (ctx->open_dev[i] == st->st_dev &&
		    ctx->open_ino[i] == st->st_ino)
			return tcw_err_set(err, ELOOP, "%s: included in a loop",
					   path);
	return 0;
}

/* Read all of @fd (at most ACL_MAX_FILE_SIZE bytes) into a new buffer */
static int acl_file_read(int fd, const char *path, char **buf, size_t *len,
			 struct tcw_err *err)
{
	size_t cap = 4096, n = 0;
	char *b = malloc(cap);
	ssize_t r;

	if (!b)
		return tcw_err_set(err, ENOMEM, "%s: out of memory", path);
	for (;;) {
		if (n == cap) {
			char *nb;

			if (cap > ACL_MAX_FILE_SIZE) {
				free(b);
				return tcw_err_set(err, EFBIG,
						   "%s: larger than %d bytes",
						   path, ACL_MAX_FILE_SIZE);
			}
			nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				return tcw_err_set(err, ENOMEM,
						   "%s: out of memory", path);
			}
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			return tcw_err_set(err, e, "%s: cannot read: %s", path,
					   strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > ACL_MAX_FILE_SIZE) {	/* grew since fstat() */
			free(b);
			return tcw_err_set(err, EFBIG, "%s: larger than %d bytes",
					   path, ACL_MAX_FILE_SIZE);
		}
	}
	*buf = b;
	*len = n;
	return 0;
}

/* acl_include_fn: open, check, read and parse one file at @depth */
static int acl_file_load_at(struct acl *acl, const char *path, int depth,
			    void *opaque, struct tcw_err *err)
{
	struct acl_file_ctx *ctx = opaque;
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
			O_CLOEXEC);
	if (fd < 0) {
		rc = errno;
		/*
		 * A per-user include (root:alice, 0640) is not for other
		 * users: when privileged, an include the caller may not read
		 * does not apply to the caller. The top file must be readable.
		 */
		if (rc == EACCES && depth > 0 && ctx->require_root_owned)
			return 0;
		if (rc == ELOOP)
			return tcw_err_set(err, rc, "%s: is a symbolic link",
					   path);
		return tcw_err_set(err, rc, "%s: cannot open: %s", path,
				   strerror(rc));
	}
	if (fstat(fd, &st) < 0) {
		rc = tcw_err_set(err, errno, "%s: cannot stat: %s", path,
				 strerror(errno));
		goto out;
	}
	rc = acl_file_check(ctx, path, &st, depth, err);
	if (rc)
		goto out;
	rc = acl_file_read(fd, path, &text, &len, err);
	if (rc)
		goto out;
	ctx->open_dev[depth] = st.st_dev;
	ctx->open_ino[depth] = st.st_ino;
	rc = acl_parse(acl, text, len, path, depth, acl_file_load_at, ctx,
		       err);
out:
	free(text);
	close(fd);
	return rc;
}

/* See acl_file.h */
int acl_load_file(struct acl *acl, const char *path, bool require_root_owned,
		  struct tcw_err *err)
{
	struct acl_file_ctx ctx = { .require_root_owned = require_root_owned };

	return acl_file_load_at(acl, path, 0, &ctx, err);
}
