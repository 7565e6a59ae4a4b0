/* SPDX-License-Identifier: GPL-2.0-or-later
 * Unit tests: ACL parsing, evaluation and safe file loading
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acl.h"
#include "acl_file.h"

/* In-memory files for include tests: path -> text */
static GHashTable *mem_files;

static int mem_include(struct acl *acl, const char *path,
		       const struct acl_scope *scope, int depth,
		       void *ctx, struct tcw_err *err)
{
	const char *text = g_hash_table_lookup(mem_files, path);

	if (!text)
		return tcw_err_set(err, ENOENT, "%s: cannot open", path);
	return acl_parse(acl, text, strlen(text), path, depth, mem_include,
			 ctx, err);
}

/* Parse @text as "helper.conf"; returns rc, fills @err */
static int parse(struct acl *acl, const char *text, struct tcw_err *err)
{
	memset(acl, 0, sizeof(*acl));
	memset(err, 0, sizeof(*err));
	return acl_parse(acl, text, strlen(text), "helper.conf", 0,
			 mem_include, NULL, err);
}

static void test_allow_and_default_deny(void)
{
	struct acl acl;
	struct tcw_err err;

	g_assert_cmpint(parse(&acl, "allow eth1\n", &err), ==, 0);
	g_assert_true(acl_allows(&acl, "eth1"));
	g_assert_false(acl_allows(&acl, "eth2"));
	g_assert_false(acl_allows(&acl, "eth10"));
	acl_free(&acl);

	g_assert_cmpint(parse(&acl, "", &err), ==, 0);
	g_assert_false(acl_allows(&acl, "eth1"));
	acl_free(&acl);

	g_assert_cmpint(parse(&acl, "# nothing but comments\n\n   \n", &err), ==, 0);
	g_assert_false(acl_allows(&acl, "eth1"));
	acl_free(&acl);
}

static void test_globs(void)
{
	struct acl acl;
	struct tcw_err err;

	g_assert_cmpint(parse(&acl, "allow eth*\nallow vx?\nallow ens[0-3]\n",
			      &err), ==, 0);
	g_assert_true(acl_allows(&acl, "eth1"));
	g_assert_true(acl_allows(&acl, "eth"));
	g_assert_true(acl_allows(&acl, "eth128"));
	g_assert_true(acl_allows(&acl, "vx1"));
	g_assert_false(acl_allows(&acl, "vx12"));
	g_assert_true(acl_allows(&acl, "ens3"));
	g_assert_false(acl_allows(&acl, "ens4"));
	g_assert_false(acl_allows(&acl, "xeth1"));
	acl_free(&acl);
}

static void test_deny_wins(void)
{
	struct acl acl;
	struct tcw_err err;

	/* Order does not matter: any matching deny wins */
	g_assert_cmpint(parse(&acl, "allow all\ndeny eth0\n", &err), ==, 0);
	g_assert_true(acl_allows(&acl, "eth1"));
	g_assert_false(acl_allows(&acl, "eth0"));
	acl_free(&acl);

	g_assert_cmpint(parse(&acl, "deny eth0\nallow eth*\n", &err), ==, 0);
	g_assert_false(acl_allows(&acl, "eth0"));
	g_assert_true(acl_allows(&acl, "eth1"));
	acl_free(&acl);

	g_assert_cmpint(parse(&acl, "allow eth1\ndeny all\n", &err), ==, 0);
	g_assert_false(acl_allows(&acl, "eth1"));
	acl_free(&acl);
}

/* The management passthrough grant is its own family of rules */
static void test_mgmt_grant(void)
{
	struct acl acl;
	struct tcw_err err;

	/* allow all / allow eth* never grant the passthrough */
	g_assert_cmpint(parse(&acl, "allow all\nallow eth*\n", &err), ==, 0);
	g_assert_false(acl_allows_mgmt(&acl, "eth0"));
	acl_free(&acl);

	/* allow-mgmt grants it, and only it: eth0 stays denied as a link */
	g_assert_cmpint(parse(&acl, "allow eth*\ndeny eth0\nallow-mgmt eth0\n",
			      &err), ==, 0);
	g_assert_true(acl_allows_mgmt(&acl, "eth0"));
	g_assert_false(acl_allows_mgmt(&acl, "eth1"));
	g_assert_false(acl_allows(&acl, "eth0"));
	g_assert_true(acl_allows(&acl, "eth1"));
	acl_free(&acl);

	/* deny-mgmt wins, whatever the order */
	g_assert_cmpint(parse(&acl, "deny-mgmt eth0\nallow-mgmt eth*\n", &err),
			==, 0);
	g_assert_false(acl_allows_mgmt(&acl, "eth0"));
	g_assert_true(acl_allows_mgmt(&acl, "eth9"));
	g_assert_false(acl_allows(&acl, "eth9"));
	acl_free(&acl);
}

static void test_comments_and_spacing(void)
{
	struct acl acl;
	struct tcw_err err;

	g_assert_cmpint(parse(&acl, "  allow\teth1   # lab link\r\n#deny eth1\n",
			      &err), ==, 0);
	g_assert_cmpuint(acl.n_rules, ==, 1);
	g_assert_true(acl_allows(&acl, "eth1"));
	acl_free(&acl);

	/* No final newline */
	g_assert_cmpint(parse(&acl, "allow eth2", &err), ==, 0);
	g_assert_true(acl_allows(&acl, "eth2"));
	acl_free(&acl);
}

static void test_include(void)
{
	struct acl acl;
	struct tcw_err err;

	g_hash_table_insert(mem_files, "/etc/tcwire/alice.conf",
			    "allow eth1\ninclude /etc/tcwire/deny.conf\n");
	g_hash_table_insert(mem_files, "/etc/tcwire/deny.conf", "deny eth1\n");
	g_hash_table_insert(mem_files, "/etc/tcwire/bob.conf", "allow vx*\n");
	g_assert_cmpint(parse(&acl, "include /etc/tcwire/alice.conf\n"
				    "include /etc/tcwire/bob.conf\n", &err), ==, 0);
	g_assert_false(acl_allows(&acl, "eth1"));
	g_assert_true(acl_allows(&acl, "vx9"));
	acl_free(&acl);

	g_assert_cmpint(parse(&acl, "include /etc/tcwire/missing.conf\n", &err),
			==, -ENOENT);
	g_assert_cmpstr(err.msg, ==, "/etc/tcwire/missing.conf: cannot open");
	acl_free(&acl);

	g_assert_cmpint(parse(&acl, "allow a\ninclude alice.conf\n", &err), ==,
			-EINVAL);
	g_assert_cmpstr(err.msg, ==, "helper.conf:2: include needs an absolute path");
	acl_free(&acl);

	/* A file including itself hits the depth bound in pure parsing */
	g_hash_table_insert(mem_files, "/loop", "include /loop\n");
	g_assert_cmpint(parse(&acl, "include /loop\n", &err), ==, -ELOOP);
	g_assert_cmpstr(err.msg, ==, "/loop:1: includes nested deeper than 8");
	acl_free(&acl);
}

/* Each row: text and the exact error */
static const struct {
	const char *text;
	const char *msg;
} bad_acls[] = {
	{ "allow abcdefghijklmnop\n", "helper.conf:1: name longer than 15 bytes" },
	{ "deny abcdefghijklmnopq\n", "helper.conf:1: name longer than 15 bytes" },
	{ "\n\nallow\n", "helper.conf:3: missing argument" },
	{ "allow eth1 eth2\n", "helper.conf:1: one argument expected" },
	{ "permit eth1\n", "helper.conf:1: unknown directive (expected allow, deny, allow-mgmt, deny-mgmt, include, include-user or include-group)" },
	{ "Allow eth1\n", "helper.conf:1: unknown directive (expected allow, deny, allow-mgmt, deny-mgmt, include, include-user or include-group)" },
	{ "allow eth/1\n", "helper.conf:1: invalid character in interface name or pattern" },
	{ "allow eth1#x\n", "helper.conf:1: invalid character in interface name or pattern" },
	{ "allow eth\x01\n", "helper.conf:1: invalid character in interface name or pattern" },
};

static void test_errors_name_file_and_line(void)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(bad_acls); i++) {
		struct acl acl;
		struct tcw_err err;

		g_test_message("row %zu", i);
		g_assert_cmpint(parse(&acl, bad_acls[i].text, &err), <, 0);
		g_assert_cmpstr(err.msg, ==, bad_acls[i].msg);
		acl_free(&acl);
	}
}

static void test_long_line_and_nul(void)
{
	struct acl acl;
	struct tcw_err err;
	char *big = g_malloc0(1 << 20);

	memset(big, 'x', (1 << 20) - 1);
	g_assert_cmpint(parse(&acl, big, &err), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "helper.conf:1: line longer than 1023 bytes");
	acl_free(&acl);
	g_free(big);

	memset(&acl, 0, sizeof(acl));
	g_assert_cmpint(acl_parse(&acl, "allow eth1\0\n", 12, "f", 0, NULL,
				  NULL, &err), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "f:1: NUL byte in line");
	acl_free(&acl);
}

static void test_too_long_name_never_allowed(void)
{
	struct acl acl;
	struct tcw_err err;

	g_assert_cmpint(parse(&acl, "allow all\n", &err), ==, 0);
	g_assert_false(acl_allows(&acl, "abcdefghijklmnop"));
	acl_free(&acl);
}

static void test_rule_limit(void)
{
	GString *s = g_string_new(NULL);
	struct acl acl;
	struct tcw_err err;
	int i;

	for (i = 0; i <= ACL_MAX_RULES; i++)
		g_string_append(s, "allow eth1\n");
	g_assert_cmpint(parse(&acl, s->str, &err), ==, -E2BIG);
	g_assert_cmpstr(err.msg, ==, "helper.conf:4097: more than 4096 rules");
	acl_free(&acl);
	g_string_free(s, TRUE);
}

/* File loading: symlinks, modes, loops, on real files in a temp dir */
static void test_files(void)
{
	g_autofree char *dir = g_dir_make_tmp("tcwire-acl-XXXXXX", NULL);
	g_autofree char *a = g_build_filename(dir, "a.conf", NULL);
	g_autofree char *b = g_build_filename(dir, "b.conf", NULL);
	g_autofree char *link = g_build_filename(dir, "link.conf", NULL);
	g_autofree char *text_a = g_strdup_printf("allow eth1\ninclude %s\n", b);
	g_autofree char *text_b = g_strdup_printf("include %s\n", a);
	g_autofree char *want = NULL;
	struct acl acl = { 0 };
	struct tcw_err err;

	g_assert_true(g_file_set_contents(a, "allow eth1\n", -1, NULL));
	g_chmod(a, 0644);
	g_assert_cmpint(acl_load_file(&acl, a, NULL, false, &err), ==, 0);
	g_assert_true(acl_allows(&acl, "eth1"));
	acl_free(&acl);

	/* A symlinked ACL is refused */
	g_assert_cmpint(symlink(a, link), ==, 0);
	g_assert_cmpint(acl_load_file(&acl, link, NULL, false, &err), ==, -ELOOP);
	want = g_strdup_printf("%s: is a symbolic link", link);
	g_assert_cmpstr(err.msg, ==, want);
	acl_free(&acl);

	/* A world-writable ACL is refused when privileged */
	g_chmod(a, 0666);
	g_assert_cmpint(acl_load_file(&acl, a, NULL, true, &err), <, 0);
	g_clear_pointer(&want, g_free);
	want = g_strdup_printf(getuid() == 0 ? "%s: writable by group or others"
					     : "%s: not owned by root", a);
	g_assert_cmpstr(err.msg, ==, want);
	acl_free(&acl);

	/* An include loop a -> b -> a is found by inode */
	g_chmod(a, 0644);
	g_assert_true(g_file_set_contents(a, text_a, -1, NULL));
	g_assert_true(g_file_set_contents(b, text_b, -1, NULL));
	g_assert_cmpint(acl_load_file(&acl, a, NULL, false, &err), ==, -ELOOP);
	g_clear_pointer(&want, g_free);
	want = g_strdup_printf("%s: included in a loop", a);
	g_assert_cmpstr(err.msg, ==, want);
	acl_free(&acl);

	/* A directory or a FIFO is not an ACL */
	g_assert_cmpint(acl_load_file(&acl, dir, NULL, false, &err), ==, -EINVAL);
	acl_free(&acl);

	unlink(link);
	unlink(a);
	unlink(b);
	rmdir(dir);
}

/* include-user / include-group: applied to that caller only, never opened
 * for anybody else; an include that applies and cannot be read fails */
static void test_scoped_includes(void)
{
	g_autofree char *dir = g_dir_make_tmp("tcwire-acl-XXXXXX", NULL);
	g_autofree char *top = g_build_filename(dir, "top.conf", NULL);
	g_autofree char *deny = g_build_filename(dir, "deny.conf", NULL);
	g_autofree char *text = g_strdup_printf(
		"allow eth*\ninclude-user 4242 %s\ninclude-group 777 %s\n"
		"include-user 4343 /nonexistent/never-opened.conf\n",
		deny, deny);
	const gid_t groups[] = { 10, 777 };
	const struct acl_caller alice = { .uid = 4242, .gid = 4242 };
	const struct acl_caller bob = { .uid = 5000, .gid = 5000 };
	const struct acl_caller carol = { .uid = 6000, .gid = 6000,
					  .groups = groups, .n_groups = 2 };
	g_autofree char *want = NULL;
	struct acl acl = { 0 };
	struct tcw_err err;

	g_assert_true(g_file_set_contents(top, text, -1, NULL));
	g_assert_true(g_file_set_contents(deny, "deny eth9\n", -1, NULL));
	g_chmod(top, 0644);
	g_chmod(deny, 0644);

	/* alice's own deny list applies to alice, not to bob */
	g_assert_cmpint(acl_load_file(&acl, top, &alice, false, &err), ==, 0);
	g_assert_false(acl_allows(&acl, "eth9"));
	acl_free(&acl);
	g_assert_cmpint(acl_load_file(&acl, top, &bob, false, &err), ==, 0);
	g_assert_true(acl_allows(&acl, "eth9"));
	acl_free(&acl);
	/* carol is in group 777 through a supplementary group */
	g_assert_cmpint(acl_load_file(&acl, top, &carol, false, &err), ==, 0);
	g_assert_false(acl_allows(&acl, "eth9"));
	acl_free(&acl);

	/* An include that applies and cannot be read fails closed */
	if (getuid() != 0) {
		g_chmod(deny, 0);
		g_assert_cmpint(acl_load_file(&acl, top, &alice, false, &err),
				==, -EACCES);
		want = g_strdup_printf("%s: cannot read it as uid 4242, so its rules cannot apply: make it readable, or scope it with include-user/include-group",
				       deny);
		g_assert_cmpstr(err.msg, ==, want);
		acl_free(&acl);
	}

	/* Two arguments, and only two */
	memset(&acl, 0, sizeof(acl));
	g_assert_cmpint(acl_parse(&acl, "include-user alice\n", 19, "f", 0,
				  NULL, NULL, &err), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "f:1: missing argument");
	g_assert_cmpint(acl_parse(&acl, "include-group a /b c\n", 21, "f", 0,
				  NULL, NULL, &err), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "f:1: two arguments expected");
	acl_free(&acl);

	unlink(top);
	unlink(deny);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	mem_files = g_hash_table_new(g_str_hash, g_str_equal);
	g_test_add_func("/acl/allow-default-deny", test_allow_and_default_deny);
	g_test_add_func("/acl/globs", test_globs);
	g_test_add_func("/acl/deny-wins", test_deny_wins);
	g_test_add_func("/acl/mgmt-grant", test_mgmt_grant);
	g_test_add_func("/acl/comments", test_comments_and_spacing);
	g_test_add_func("/acl/include", test_include);
	g_test_add_func("/acl/errors", test_errors_name_file_and_line);
	g_test_add_func("/acl/long-line", test_long_line_and_nul);
	g_test_add_func("/acl/too-long-name", test_too_long_name_never_allowed);
	g_test_add_func("/acl/rule-limit", test_rule_limit);
	g_test_add_func("/acl/files", test_files);
	g_test_add_func("/acl/scoped-includes", test_scoped_includes);
	return g_test_run();
}
