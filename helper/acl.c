/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - access control list: parser and evaluator (pure code)
 *
 * Nothing here touches the file system: acl_file.c reads files and checks
 * who owns them, then hands the bytes to acl_parse(). That keeps the parser
 * a pure function over a buffer, easy to fuzz.
 *
 * Names and patterns are limited to IFNAMSIZ-1 bytes on every path, so a
 * pattern can never match a name the kernel would truncate
 * (CVE-2019-13164 in qemu-bridge-helper).
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"

/* Characters allowed in a pattern: those of names, plus glob syntax */
static const char acl_pattern_chars[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	"-_.@+*?[]!";

/* Whether @c separates words on a line */
static bool acl_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Append one rule */
static int acl_add_rule(struct acl *acl, enum acl_kind kind, const char *arg,
			size_t arglen, const char *file, unsigned int line,
			struct tcw_err *err)
{
	struct acl_rule *r;

	if (acl->n_rules >= ACL_MAX_RULES)
		return tcw_err_set(err, E2BIG, "%s:%u: more than %d rules",
				   file, line, ACL_MAX_RULES);
	if (arglen >= IFNAMSIZ)
		return tcw_err_set(err, EINVAL,
				   "%s:%u: name longer than %d bytes",
				   file, line, IFNAMSIZ - 1);
	if (strspn(arg, acl_pattern_chars) < arglen)
		return tcw_err_set(err, EINVAL,
				   "%s:%u: invalid character in interface name or pattern",
				   file, line);
	if (acl->n_rules == acl->cap) {
		size_t cap = acl->cap ? acl->cap * 2 : 16;

		r = realloc(acl->rules, cap * sizeof(*r));
		if (!r)
			return tcw_err_set(err, ENOMEM, "%s:%u: out of memory",
					   file, line);
		acl->rules = r;
		acl->cap = cap;
	}
	r = &acl->rules[acl->n_rules++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->all = arglen == 3 && !memcmp(arg, "all", 3);
	memcpy(r->pattern, arg, arglen);
	return 0;
}

/* Parse one line (NUL-terminated, without newline) */
static int acl_parse_line(struct acl *acl, char *p, const char *file,
			  unsigned int line, int depth, acl_include_fn include,
			  void *ctx, struct tcw_err *err)
{
	char *word, *arg, *end;

	while (acl_space(*p))
		p++;
	/* A comment runs from '#' at a word start to the end of the line */
	for (end = p; *end; end++)
		if (*end == '#' && (end == p || acl_space(end[-1])))
			break;
	while (end > p && acl_space(end[-1]))
		end--;
	*end = '\0';
	if (!*p)
		return 0;

	word = p;
	while (*p && !acl_space(*p))
		p++;
	if (*p)
		*p++ = '\0';
	while (acl_space(*p))
		p++;
	arg = p;
	if (!*arg)
		return tcw_err_set(err, EINVAL, "%s:%u: missing argument",
				   file, line);
	while (*p && !acl_space(*p))
		p++;
	if (*p)
		return tcw_err_set(err, EINVAL,
				   "%s:%u: one argument expected", file, line);

	if (!strcmp(word, "allow"))
		return acl_add_rule(acl, ACL_ALLOW, arg, strlen(arg), file,
				    line, err);
	if (!strcmp(word, "deny"))
		return acl_add_rule(acl, ACL_DENY, arg, strlen(arg), file,
				    line, err);
	if (!strcmp(word, "include")) {
		if (!include)
			return tcw_err_set(err, EINVAL,
					   "%s:%u: include not allowed here",
					   file, line);
		if (arg[0] != '/')
			return tcw_err_set(err, EINVAL,
					   "%s:%u: include needs an absolute path",
					   file, line);
		if (depth + 1 > ACL_MAX_DEPTH)
			return tcw_err_set(err, ELOOP,
					   "%s:%u: includes nested deeper than %d",
					   file, line, ACL_MAX_DEPTH);
		if (strlen(arg) >= PATH_MAX)
			return tcw_err_set(err, ENAMETOOLONG,
					   "%s:%u: include path too long",
					   file, line);
		return include(acl, arg, depth + 1, ctx, err);
	}
	return tcw_err_set(err, EINVAL,
			   "%s:%u: unknown directive (expected allow, deny or include)",
			   file, line);
}

/* See acl.h */
int acl_parse(struct acl *acl, const char *text, size_t len, const char *file,
	      int depth, acl_include_fn include, void *ctx,
	      struct tcw_err *err)
{
	char buf[ACL_MAX_LINE];
	unsigned int line = 0;
	size_t pos = 0;
	int rc;

	if (depth > ACL_MAX_DEPTH)
		return tcw_err_set(err, ELOOP, "%s: includes nested deeper than %d",
				   file, ACL_MAX_DEPTH);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		line++;
		if (n >= sizeof(buf))
			return tcw_err_set(err, EINVAL,
					   "%s:%u: line longer than %d bytes",
					   file, line, ACL_MAX_LINE - 1);
		if (memchr(text + pos, '\0', n))
			return tcw_err_set(err, EINVAL, "%s:%u: NUL byte in line",
					   file, line);
		memcpy(buf, text + pos, n);
		buf[n] = '\0';
		rc = acl_parse_line(acl, buf, file, line, depth, include, ctx,
				    err);
		if (rc)
			return rc;
		pos += n + 1;
	}
	return 0;
}

/* Whether @r matches @name */
static bool acl_rule_matches(const struct acl_rule *r, const char *name)
{
	return r->all || fnmatch(r->pattern, name, 0) == 0;
}

/* See acl.h */
bool acl_allows(const struct acl *acl, const char *name)
{
	bool allowed = false;
	size_t i;

	if (strnlen(name, IFNAMSIZ) >= IFNAMSIZ)
		return false;
	for (i = 0; i < acl->n_rules; i++) {
		const struct acl_rule *r = &acl->rules[i];

		if (!acl_rule_matches(r, name))
			continue;
		if (r->kind == ACL_DENY)
			return false;
		allowed = true;
	}
	return allowed;
}

/* See acl.h */
void acl_free(struct acl *acl)
{
	free(acl->rules);
	acl->rules = NULL;
	acl->n_rules = 0;
	acl->cap = 0;
}
