/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - access control list: which partners a user may wire
 *
 * The format is qemu-bridge-helper's bridge.conf, plus shell-style globs:
 *
 *	# comment
 *	allow eth1		allow one interface
 *	allow eth*		glob: *, ? and [...] as in the shell
 *	deny eth0		a matching deny always wins
 *	allow all		every interface
 *	include /etc/tcwire/lab.conf		for every user
 *	include-user alice /etc/tcwire/alice.conf	only when alice calls
 *	include-group netlab /etc/tcwire/netlab.conf	only for that group
 *
 * Without a matching allow the answer is no. See docs/tcwire-helper.conf.5.
 */
#ifndef TCWIRE_ACL_H
#define TCWIRE_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>

#include "client/error.h"

#define ACL_MAX_LINE		1024	/* bytes per line, newline included */
#define ACL_MAX_RULES		4096	/* over all files */
#define ACL_MAX_DEPTH		8	/* nested includes */

enum acl_kind { ACL_ALLOW, ACL_DENY };

/**
 * struct acl_rule - One allow or deny line
 * @kind:	Allow or deny
 * @all:	The line said "all"
 * @pattern:	Otherwise the name or glob, 1 to IFNAMSIZ-1 bytes
 */
struct acl_rule {
	enum acl_kind kind;
	bool all;
	char pattern[IFNAMSIZ];
};

/**
 * struct acl - Rules collected from a file and its includes
 * @rules:	Rules in file order
 * @n_rules:	Number of @rules
 * @cap:	Allocated entries of @rules
 */
struct acl {
	struct acl_rule *rules;
	size_t n_rules;
	size_t cap;
};

/**
 * enum acl_scope_kind - Whom an include applies to
 * @ACL_FOR_ALL:	"include": every caller
 * @ACL_FOR_USER:	"include-user WHO": the caller whose user is WHO
 * @ACL_FOR_GROUP:	"include-group WHO": callers in group WHO
 */
enum acl_scope_kind { ACL_FOR_ALL, ACL_FOR_USER, ACL_FOR_GROUP };

/**
 * struct acl_scope - Whom an include line applies to
 * @kind:	See enum acl_scope_kind
 * @who:	User or group name or number (ACL_FOR_USER, ACL_FOR_GROUP)
 */
struct acl_scope {
	enum acl_scope_kind kind;
	const char *who;
};

/**
 * typedef acl_include_fn - Load an included file into the same ACL
 * @acl:	ACL being built
 * @path:	Path from the include line: absolute, no whitespace
 * @scope:	Whom the include applies to; the callee skips the file for
 *		any other caller
 * @depth:	Nesting depth of the file to load (1 for the first include)
 * @ctx:	Caller's context
 * @err:	Filled on failure, naming the file
 *
 * Return: 0 or negative errno
 */
typedef int (*acl_include_fn)(struct acl *acl, const char *path,
			      const struct acl_scope *scope, int depth,
			      void *ctx, struct tcw_err *err);

/**
 * acl_parse() - Parse ACL text and append its rules; pure, no I/O
 * @acl:	ACL to append to
 * @text:	File contents, need not be NUL-terminated, may contain NULs
 * @len:	Length of @text
 * @file:	File name for messages ("file:line: reason")
 * @depth:	Nesting depth of this text (0 for the top file)
 * @include:	Called for "include PATH", "include-user WHO PATH" and
 *		"include-group WHO PATH" lines; NULL refuses includes
 * @ctx:	Passed to @include
 * @err:	Filled on failure
 *
 * Return: 0 or -EINVAL (syntax), -E2BIG (too many rules), -ELOOP (too
 *	   deep), or what @include returned
 */
int acl_parse(struct acl *acl, const char *text, size_t len, const char *file,
	      int depth, acl_include_fn include, void *ctx,
	      struct tcw_err *err);

/**
 * acl_allows() - Decide whether @name may be wired
 * @acl:	Parsed ACL
 * @name:	Interface name (already validated)
 *
 * Return: false if any deny rule matches or no allow rule matches
 */
bool acl_allows(const struct acl *acl, const char *name);

/**
 * acl_deny_rule() - The deny rule that refuses @name, to name it in a message
 * @acl:	Parsed ACL
 * @name:	Interface name (already validated)
 *
 * Return: the first deny rule matching @name, or NULL if none does (then
 *	   acl_allows() says no only because no allow rule matches)
 */
const struct acl_rule *acl_deny_rule(const struct acl *acl, const char *name);

/**
 * acl_free() - Free the rules; the ACL is empty afterwards
 * @acl:	ACL
 */
void acl_free(struct acl *acl);

#endif /* TCWIRE_ACL_H */
