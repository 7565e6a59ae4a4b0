/* SPDX-License-Identifier: GPL-2.0-or-later
 * Fuzz target: the ACL parser and evaluator (helper/acl.c), pure code.
 *
 * The input is an ACL file. "include" lines are served from memory: the
 * path "/self" includes the input again (exercising depth limits), any
 * other path gets a small fixed file. Then a few names, some cut from the
 * input itself, are checked against the result.
 */
#include <stdint.h>
#include <string.h>

#include "acl.h"

static const uint8_t *input;
static size_t input_len;

static int fuzz_include(struct acl *acl, const char *path,
			const struct acl_scope *scope, int depth,
			void *ctx, struct tcw_err *err)
{
	static const char fixed[] = "allow eth*\ndeny eth0 # mgmt\n";

	if (!strcmp(path, "/self"))
		return acl_parse(acl, (const char *)input, input_len, path,
				 depth, fuzz_include, ctx, err);
	return acl_parse(acl, fixed, sizeof(fixed) - 1, path, depth,
			 fuzz_include, ctx, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *names[] = { "eth0", "eth1", "all", "vx12", "a",
				       "123456789012345", "eth[", "*" };
	struct acl acl = { 0 };
	struct tcw_err err;
	char name[IFNAMSIZ];
	size_t i;

	input = data;
	input_len = size;
	acl_parse(&acl, (const char *)data, size, "fuzz.conf", 0, fuzz_include,
		  NULL, &err);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		(void)acl_allows(&acl, names[i]);
	/* A name made of the first input bytes, NUL-terminated */
	i = size < IFNAMSIZ - 1 ? size : IFNAMSIZ - 1;
	memcpy(name, data, i);
	name[i] = '\0';
	(void)acl_allows(&acl, name);
	acl_free(&acl);
	return 0;
}
