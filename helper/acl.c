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

/* Cut the next word off *@p (NUL-terminating it); NULL if none is left */
static char *acl_next_word(char **p)
{
	char *word, *q = *p;

	while (acl_space(*q))
		q++;
	if (!*q)
		return NULL;
	word = q;
	while (*q && !acl_space(*q))
		q++;
	if (*q)
		*q++ = '\0';
	*p = q;
	return word;
}

/* Strip the comment and trailing blanks of line @p; return its first char */
static char *acl_strip_comment(char *p)
{
	char *end;

	while (acl_space(*p))
		p++;
	/* A comment runs from '#' at a word start to the end of the line */
	for (end = p; *end; end++)
		if (*end == '#' && (end == p || acl_space(end[-1])))
			break;
	while (end > p && acl_space(end[-1]))
		end--;
	*end = '\0';
	return p;
}

/* Check an include line's path and hand it to @include */
static int acl_include_line(struct acl *acl, const char *path,
			    const struct acl_scope *scope, const char *file,
			    unsigned int line, int depth, acl_include_fn include,
			    void *ctx, struct tcw_err *err)
{
	if (!include)
		return tcw_err_set(err, EINVAL, "%s:%u: include not allowed here",
				   file, line);
	if (path[0] != '/')
		return tcw_err_set(err, EINVAL,
				   "%s:%u: include needs an absolute path",
				   file, line);
	if (depth + 1 > ACL_MAX_DEPTH)	/* the one depth check */
		return tcw_err_set(err, ELOOP,
				   "%s:%u: includes nested deeper than %d",
				   file, line, ACL_MAX_DEPTH);
	if (strlen(path) >= PATH_MAX)
		return tcw_err_set(err, ENAMETOOLONG,
				   "%s:%u: include path too long", file, line);
	return include(acl, path, scope, depth + 1, ctx, err);
}

/* Parse one line (NUL-terminated, without newline) */
static int acl_parse_line(struct acl *acl, char *p, const char *file,
			  unsigned int line, int depth, acl_include_fn include,
			  void *ctx, struct tcw_err *err)
{
	struct acl_scope scope = { ACL_FOR_ALL, NULL };
	char *word, *arg, *arg2;
	bool scoped;

	p = acl_strip_comment(p);
	word = acl_next_word(&p);
	if (!word)
		return 0;
	scoped = !strcmp(word, "include-user") || !strcmp(word, "include-group");
	arg = acl_next_word(&p);
	arg2 = acl_next_word(&p);
	if (!arg || (scoped && !arg2))
		return tcw_err_set(err, EINVAL, "%s:%u: missing argument",
				   file, line);
	if ((!scoped && arg2) || acl_next_word(&p))
		return tcw_err_set(err, EINVAL, "%s:%u: %s expected", file, line,
				   scoped ? "two arguments" : "one argument");

	if (!strcmp(word, "allow"))
		return acl_add_rule(acl, ACL_ALLOW, arg, strlen(arg), file,
				    line, err);
	if (!strcmp(word, "deny"))
		return acl_add_rule(acl, ACL_DENY, arg, strlen(arg), file,
				    line, err);
	if (scoped) {
		scope.kind = word[8] == 'u' ? ACL_FOR_USER : ACL_FOR_GROUP;
		scope.who = arg;
		arg = arg2;
	} else if (strcmp(word, "include")) {
		return tcw_err_set(err, EINVAL,
				   "%s:%u: unknown directive (expected allow, deny, include, include-user or include-group)",
				   file, line);
	}
	return acl_include_line(acl, arg, &scope, file, line, depth, include,
				ctx, err);
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
const struct acl_rule *acl_deny_rule(const struct acl *acl, const char *name)
{
	size_t i;

	for (i = 0; i < acl->n_rules; i++)
		if (acl->rules[i].kind == ACL_DENY &&
		    acl_rule_matches(&acl->rules[i], name))
			return &acl->rules[i];
	return NULL;
}

/* See acl.h */
void acl_free(struct acl *acl)
{
	free(acl->rules);
	acl->rules = NULL;
	acl->n_rules = 0;
	acl->cap = 0;
}
