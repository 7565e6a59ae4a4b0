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
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acl_file.h"

/**
 * struct acl_file_ctx - State shared by a file and its includes
 * @require_root_owned:	See acl_load_file()
 * @caller:		See acl_load_file()
 * @open_dev:		Devices of the files being read, outermost first
 * @open_ino:		Inodes of the files being read
 */
struct acl_file_ctx {
	bool require_root_owned;
	const struct acl_caller *caller;
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

/* Parse @who as a decimal id below (id_t)-1; false if it is not one */
static bool acl_numeric_id(const char *who, unsigned long *id)
{
	char *end;

	errno = 0;
	*id = strtoul(who, &end, 10);
	return *who >= '0' && *who <= '9' && !*end && !errno &&
	       *id < (unsigned long)(uid_t)-1;
}

/*
 * Name lookups fail closed. An include-user/include-group file holds rules
 * (deny rules too) for one caller; reading "the lookup failed" as "this
 * name is not the caller's" would skip them, and the caller controls such
 * failures: a low RLIMIT_NOFILE (EMFILE), memory limits (ENOMEM), or a
 * group line longer than any fixed buffer (ERANGE). So only "no such name"
 * (0 with no entry, or ENOENT) means not found; ERANGE is retried with a
 * buffer twice as large, up to ACL_MAX_NSS_BUFFER; anything else stops
 * the helper with one line naming the cause.
 */
#define ACL_MAX_NSS_BUFFER	(16 * 1024 * 1024)

/* The first buffer size for a getpwnam_r()/getgrnam_r() kind @sc */
static size_t nss_buffer_size(int sc)
{
	long n = sysconf(sc);

	return n > 1024 && n < ACL_MAX_NSS_BUFFER ? (size_t)n : 4096;
}

/* One getpwnam_r() or getgrnam_r() into @buf; the id in *@id if found */
typedef int (*nss_get_fn)(const char *who, char *buf, size_t size, id_t *id,
			  bool *found);

/* nss_get_fn of users */
static int nss_get_user(const char *who, char *buf, size_t size, id_t *id,
			bool *found)
{
	struct passwd pw, *res = NULL;
	int rc = getpwnam_r(who, &pw, buf, size, &res);

	if (rc == 0 && res)
		*id = res->pw_uid;
	*found = rc == 0 && res;
	return rc;
}

/* nss_get_fn of groups */
static int nss_get_group(const char *who, char *buf, size_t size, id_t *id,
			 bool *found)
{
	struct group gr, *res = NULL;
	int rc = getgrnam_r(who, &gr, buf, size, &res);

	if (rc == 0 && res)
		*id = res->gr_gid;
	*found = rc == 0 && res;
	return rc;
}

/*
 * Resolve @who, a @kind ("user" or "group") name or number, to an id with
 * @get, growing the buffer on ERANGE
 *
 * Return: 0, -ENOENT if there is no such name, or another negative errno
 *	   with @err filled: one line naming the include and the cause
 */
static int nss_id(const char *who, const char *kind, int sc, nss_get_fn get,
		  id_t *id, struct tcw_err *err)
{
	size_t size = nss_buffer_size(sc);
	unsigned long n;

	if (acl_numeric_id(who, &n)) {
		*id = (id_t)n;
		return 0;
	}
	for (;; size *= 2) {
		char *buf = malloc(size);
		bool found = false;
		int rc = buf ? get(who, buf, size, id, &found) : ENOMEM;

		free(buf);
		if (found)
			return 0;
		if (rc == 0 || rc == ENOENT)
			return -ENOENT;
		if (rc != ERANGE || size >= ACL_MAX_NSS_BUFFER)
			return tcw_err_set(err, rc,
					   "include-%s %s: cannot look up that %s: %s (its rules may apply to this caller, so nothing is wired)",
					   kind, who, kind, strerror(rc));
	}
}

/* Whether @gid is the caller's primary or a supplementary group */
static bool caller_in_group(const struct acl_caller *caller, gid_t gid)
{
	size_t i;

	if (gid == caller->gid)
		return true;
	for (i = 0; i < caller->n_groups; i++)
		if (caller->groups[i] == gid)
			return true;
	return false;
}

/*
 * Whether an include of @scope applies to @caller (NULL: to everybody)
 *
 * Return: 1 if it applies, 0 if not, or negative errno with @err filled
 *	   when the name could not be looked up
 */
static int acl_scope_applies(const struct acl_scope *scope,
			     const struct acl_caller *caller,
			     struct tcw_err *err)
{
	id_t id = (id_t)-1;
	int rc;

	if (!caller || scope->kind == ACL_FOR_ALL)
		return 1;
	if (scope->kind == ACL_FOR_USER) {
		rc = nss_id(scope->who, "user", _SC_GETPW_R_SIZE_MAX,
			    nss_get_user, &id, err);
		return rc == -ENOENT ? 0 : rc < 0 ? rc : (uid_t)id == caller->uid;
	}
	rc = nss_id(scope->who, "group", _SC_GETGR_R_SIZE_MAX, nss_get_group,
		    &id, err);
	return rc == -ENOENT ? 0 : rc < 0 ? rc :
	       caller_in_group(caller, (gid_t)id);
}

/*
 * The top ACL file cannot be opened: it does not exist (ENOENT) or the
 * caller may not read it (EACCES). Say how to fix it: with no file nothing
 * may be wired, which a fresh install shows first, so the message gives
 * the file's owner, mode and the line to add.
 */
static int acl_top_open_failed(const struct acl_file_ctx *ctx,
			       const char *path, int e, struct tcw_err *err)
{
	unsigned int uid = ctx->caller ? (unsigned int)ctx->caller->uid :
			   (unsigned int)getuid();
	const char *name = ctx->caller && ctx->caller->wants ?
			   ctx->caller->wants : "NAME";

	if (e == ENOENT)
		return tcw_err_set(err, e,
				   "%s: no such file, so nothing may be wired: create it (owned by root, mode 0644) with the line \"allow %s\" (tcwire-helper.conf(5))",
				   path, name);
	return tcw_err_set(err, e,
			   "%s: cannot read it as uid %u: make it readable by every user (owned by root, mode 0644)",
			   path, uid);
}

/* acl_include_fn: open, check, read and parse one file at @depth */
static int acl_file_load_at(struct acl *acl, const char *path,
			    const struct acl_scope *scope, int depth,
			    void *opaque, struct tcw_err *err)
{
	struct acl_file_ctx *ctx = opaque;
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int fd, rc;

	rc = acl_scope_applies(scope, ctx->caller, err);
	if (rc <= 0)
		return rc;	/* 0: somebody else's rules, not even opened */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
			O_CLOEXEC);
	if (fd < 0) {
		rc = errno;
		if (depth == 0 && (rc == ENOENT || rc == EACCES))
			return acl_top_open_failed(ctx, path, rc, err);
		if (rc == EACCES)
			return tcw_err_set(err, rc,
					   "%s: cannot read it as uid %u, so its rules cannot apply: make it readable, or scope it with include-user/include-group",
					   path, ctx->caller ?
					   (unsigned int)ctx->caller->uid :
					   (unsigned int)getuid());
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
int acl_load_file(struct acl *acl, const char *path,
		  const struct acl_caller *caller, bool require_root_owned,
		  struct tcw_err *err)
{
	const struct acl_scope everybody = { ACL_FOR_ALL, NULL };
	struct acl_file_ctx ctx = {
		.require_root_owned = require_root_owned,
		.caller = caller,
	};

	return acl_file_load_at(acl, path, &everybody, 0, &ctx, err);
}
