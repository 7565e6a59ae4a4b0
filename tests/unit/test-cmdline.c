/* SPDX-License-Identifier: GPL-2.0-or-later
 * Unit tests: the helper's command line and interface name validation
 */
#include <glib.h>
#include <string.h>

#include "cmdline.h"
#include "client/ifname.h"

/* Parse a NULL-terminated argv; returns the parser's result */
static int parse(struct helper_args *a, struct tcw_err *err, ...)
{
	const char *argv[32] = { "tcwire-helper" };
	int argc = 1;
	const char *s;
	va_list ap;

	va_start(ap, err);
	while ((s = va_arg(ap, const char *)) && argc < 31)
		argv[argc++] = s;
	va_end(ap);
	memset(err, 0, sizeof(*err));
	return helper_args_parse(argc, (char *const *)argv, a, err);
}

static void test_qemu_order(void)
{
	struct helper_args a;
	struct tcw_err err;

	g_assert_cmpint(parse(&a, &err, "--use-vnet", "--fd=5", "--br=eth1",
			      NULL), ==, 0);
	g_assert_true(a.use_vnet);
	g_assert_cmpint(a.sock_fd, ==, 5);
	g_assert_cmpstr(a.partner, ==, "eth1");
	g_assert_cmpuint(a.queues, ==, 1);
	g_assert_cmpint(a.action, ==, HELPER_WIRE);
}

static void test_libvirt_order_without_vnet(void)
{
	struct helper_args a;
	struct tcw_err err;

	g_assert_cmpint(parse(&a, &err, "--br=eth1", "--fd=17", NULL), ==, 0);
	g_assert_false(a.use_vnet);
	g_assert_cmpint(a.sock_fd, ==, 17);
	g_assert_cmpstr(a.partner, ==, "eth1");
}

static void test_queues(void)
{
	struct helper_args a;
	struct tcw_err err;

	g_assert_cmpint(parse(&a, &err, "--fd=3", "--br=e", "--queues=4", NULL),
			==, 0);
	g_assert_cmpuint(a.queues, ==, 4);
	g_assert_cmpint(parse(&a, &err, "--fd=3", "--br=e", "--queues=0", NULL),
			==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "--queues=0: expected a number from 1 to 16");
	g_assert_cmpint(parse(&a, &err, "--fd=3", "--br=e", "--queues=17", NULL),
			==, -EINVAL);
}

static void test_rewire(void)
{
	struct helper_args a;
	struct tcw_err err;

	g_assert_cmpint(parse(&a, &err, "--rewire", "--fd=4", "--br=eth1", NULL),
			==, 0);
	g_assert_true(a.rewire);
	g_assert_cmpint(a.sock_fd, ==, 4);
	g_assert_cmpstr(a.partner, ==, "eth1");
	g_assert_cmpint(parse(&a, &err, "--fd=4", "--br=eth1", NULL), ==, 0);
	g_assert_false(a.rewire);
	g_assert_cmpint(parse(&a, &err, "--rewire", "--use-vnet", "--fd=4",
			      "--br=eth1", NULL), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==,
			"--rewire takes --fd and --br only: --use-vnet and --queues are for a new tap");
	g_assert_cmpint(parse(&a, &err, "--rewire", "--queues=2", "--fd=4",
			      "--br=eth1", NULL), ==, -EINVAL);
	g_assert_cmpint(parse(&a, &err, "--rewire", "--rewire", "--fd=4",
			      "--br=eth1", NULL), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "--rewire given twice");
	g_assert_cmpint(parse(&a, &err, "--rewire", "--fd=4", NULL), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "missing --br=NAME (see --help)");
	g_assert_cmpint(parse(&a, &err, "--rewire", "--fd=4", "--br=tcw1", NULL),
			==, -EINVAL);
}

/* --mgmt: its default local ports, its list, what it does not go with */
static void test_mgmt(void)
{
	struct helper_args a;
	struct tcw_err err;
	char buf[16];

	g_assert_cmpint(parse(&a, &err, "--mgmt", "--fd=3", "--br=eth0", NULL),
			==, 0);
	g_assert_true(a.mgmt);
	g_assert_cmpuint(a.n_local, ==, 1);		/* 5000-5007 */
	g_assert_cmphex(a.local[0].value, ==, 0x1388);
	g_assert_cmphex(a.local[0].mask, ==, 0xfff8);

	g_assert_cmpint(parse(&a, &err, "--mgmt", "--fd=3", "--br=eth0",
			      "--mgmt-local-tcp=22,5000-5009", NULL), ==, 0);
	g_assert_cmpuint(a.n_local, ==, 3);		/* 22, 5000-5007, 5008-5009 */
	g_assert_cmpstr(tcw_port_block_print(buf, sizeof(buf), &a.local[0]), ==, "22");
	g_assert_cmpstr(tcw_port_block_print(buf, sizeof(buf), &a.local[1]), ==, "5000-5007");
	g_assert_cmpstr(tcw_port_block_print(buf, sizeof(buf), &a.local[2]), ==, "5008-5009");

	g_assert_cmpint(parse(&a, &err, "--mgmt", "--fd=3", "--br=eth0",
			      "--mgmt-local-tcp=", NULL), ==, 0);
	g_assert_cmpuint(a.n_local, ==, 0);

	g_assert_cmpint(parse(&a, &err, "--mgmt", "--fd=3", "--br=eth0",
			      "--mgmt-local-tcp=0-5", NULL), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "--mgmt-local-tcp=0-5: expected ports and ranges from 1 to 65535, e.g. 5000-5007,22");
	g_assert_cmpint(parse(&a, &err, "--mgmt", "--fd=3", "--br=eth0",
			      "--mgmt-local-tcp=1-65534", NULL), ==, -E2BIG);
	g_assert_cmpstr(err.msg, ==, "--mgmt-local-tcp=1-65534: more than 16 aligned port blocks");
	g_assert_cmpint(parse(&a, &err, "--fd=3", "--br=eth0",
			      "--mgmt-local-tcp=22", NULL), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "--mgmt-local-tcp goes with --mgmt only");
	g_assert_cmpint(parse(&a, &err, "--mgmt", "--reserve", "--fd=3",
			      "--br=eth0", NULL), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "--mgmt wires a new tap: not with --reserve");
}

/* Port lists: exact aligned covers, and what is refused */
static void test_port_blocks(void)
{
	static const char *bad[] = { "", "x", "5000-", "-5", "5,", ",5", "5,,6",
				     "65536", "7-6", "1 2", "00000000001" };
	struct tcw_port_block b[TCW_MGMT_MAX_BLOCKS];
	unsigned int n, i;

	g_assert_cmpint(tcw_port_blocks_parse("1-65534", b, &n), ==, -E2BIG);
	g_assert_cmpint(tcw_port_blocks_parse("32768-65535", b, &n), ==, 0);
	g_assert_cmpuint(n, ==, 1);
	g_assert_cmphex(b[0].mask, ==, 0x8000);
	g_assert_cmpint(tcw_port_blocks_parse("65535", b, &n), ==, 0);
	g_assert_cmphex(b[0].value, ==, 0xffff);
	g_assert_cmphex(b[0].mask, ==, 0xffff);
	for (i = 1; i < G_N_ELEMENTS(bad); i++)
		g_assert_cmpint(tcw_port_blocks_parse(bad[i], b, &n), ==, -EINVAL);
	g_assert_cmpint(tcw_port_blocks_parse(bad[0], b, &n), ==, 0);
	g_assert_cmpuint(n, ==, 0);
}

static void test_help_version(void)
{
	struct helper_args a;
	struct tcw_err err;

	g_assert_cmpint(parse(&a, &err, "--help", NULL), ==, 0);
	g_assert_cmpint(a.action, ==, HELPER_SHOW_HELP);
	g_assert_cmpint(parse(&a, &err, "--version", NULL), ==, 0);
	g_assert_cmpint(a.action, ==, HELPER_SHOW_VERSION);
}

/* Each row: argv (up to 3 words) and the exact message */
static const struct {
	const char *argv[4];
	const char *msg;
} bad_args[] = {
	{ { "--fd=3", NULL }, "missing --br=NAME (see --help)" },
	{ { "--br=eth1", NULL }, "missing --fd=N (see --help)" },
	{ { "--fd=3", "--br=eth1", "--br=eth2" }, "--br given twice" },
	{ { "--fd=3", "--fd=4", "--br=eth1" }, "--fd given twice" },
	{ { "--use-vnet", "--use-vnet", "--fd=3" }, "--use-vnet given twice" },
	{ { "--fd", "3", "--br=eth1" }, "--fd: unknown option (see --help)" },
	{ { "--fd=", "--br=eth1", NULL }, "--fd=: expected a file descriptor number above 2" },
	{ { "--fd=-4", "--br=eth1", NULL }, "--fd=-4: expected a file descriptor number above 2" },
	{ { "--fd=+4", "--br=eth1", NULL }, "--fd=+4: expected a file descriptor number above 2" },
	{ { "--fd=2", "--br=eth1", NULL }, "--fd=2: expected a file descriptor number above 2" },
	{ { "--fd=4x", "--br=eth1", NULL }, "--fd=4x: expected a file descriptor number above 2" },
	{ { "--fd=99999999999999999999", "--br=eth1", NULL },
	  "--fd=99999999999999999999: expected a file descriptor number above 2" },
	{ { "--fd=3", "--br=", NULL }, "empty interface name" },
	{ { "--fd=3", "--br=eth1\n", NULL },
	  "eth1\\x0a: interface name may only contain letters, digits and \"-_.@+\"" },
	{ { "--fd=3", "--br=tcw0", NULL },
	  "tcw0: names tcw<N> belong to tcwire's own taps and cannot be a partner" },
	{ { "--fd=3", "--br=eth1", "eth2" }, "eth2: unknown option (see --help)" },
	{ { "--fd=3", "--br=eth1", "--bridge=x" }, "--bridge=x: unknown option (see --help)" },
	{ { "-h", NULL }, "-h: unknown option (see --help)" },
};

static void test_bad_args(void)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(bad_args); i++) {
		struct helper_args a;
		struct tcw_err err;

		g_test_message("row %zu", i);
		g_assert_cmpint(parse(&a, &err, bad_args[i].argv[0],
				      bad_args[i].argv[1], bad_args[i].argv[2],
				      NULL), ==, -EINVAL);
		g_assert_cmpstr(err.msg, ==, bad_args[i].msg);
	}
}

static void test_too_many_args(void)
{
	char *argv[10001];
	struct helper_args a;
	struct tcw_err err;
	int i;

	argv[0] = "tcwire-helper";
	for (i = 1; i < 10001; i++)
		argv[i] = "--use-vnet";
	g_assert_cmpint(helper_args_parse(10001, argv, &a, &err), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "too many arguments (see --help)");
}

static void test_huge_arg_is_quoted_short(void)
{
	struct helper_args a;
	struct tcw_err err;
	char *big = g_malloc(1 << 20);

	memset(big, 'A', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	g_assert_cmpint(parse(&a, &err, big, NULL), ==, -EINVAL);
	g_assert_cmpuint(strlen(err.msg), <, 120);
	g_assert_true(g_str_has_suffix(err.msg, "...: unknown option (see --help)"));
	g_free(big);
}

static void test_ifname_rules(void)
{
	static const char *good[] = {
		"eth1", "e", "ens1f0np0", "eth1.100", "veth-a_b", "vx@1",
		"a+b", "123456789012345", "..." };
	static const char *bad[] = {
		"", ".", "..", "1234567890123456", "12345678901234567", "a/b",
		"a b", "a\tb", "a\nb", "a:b", "eth*", "eth?", "eth[1]", "a\\b",
		"\x7f", "\xc3\xa9" };
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(good); i++)
		g_assert_cmpint(tcw_ifname_check(good[i], NULL), ==, 0);
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_test_message("bad name %zu", i);
		g_assert_cmpint(tcw_ifname_check(bad[i], NULL), ==, -EINVAL);
	}
}

static void test_tap_pattern(void)
{
	g_assert_true(tcw_ifname_is_tcwire_tap("tcw0"));
	g_assert_true(tcw_ifname_is_tcwire_tap("tcw12345"));
	g_assert_false(tcw_ifname_is_tcwire_tap("tcw"));
	g_assert_false(tcw_ifname_is_tcwire_tap("tcwa"));
	g_assert_false(tcw_ifname_is_tcwire_tap("tcw1a"));
	g_assert_false(tcw_ifname_is_tcwire_tap("xtcw1"));
}

static void test_quote(void)
{
	char out[16];

	g_assert_cmpstr(tcw_quote("ab\ncd", out, sizeof(out)), ==, "ab\\x0acd");
	g_assert_cmpstr(tcw_quote("0123456789abcdefgh", out, sizeof(out)),
			==, "0123456789ab...");
	g_assert_cmpstr(tcw_quote("\\", out, sizeof(out)), ==, "\\x5c");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cmdline/qemu-order", test_qemu_order);
	g_test_add_func("/cmdline/libvirt-order", test_libvirt_order_without_vnet);
	g_test_add_func("/cmdline/queues", test_queues);
	g_test_add_func("/cmdline/help-version", test_help_version);
	g_test_add_func("/cmdline/rewire", test_rewire);
	g_test_add_func("/cmdline/mgmt", test_mgmt);
	g_test_add_func("/cmdline/port-blocks", test_port_blocks);
	g_test_add_func("/cmdline/bad", test_bad_args);
	g_test_add_func("/cmdline/too-many", test_too_many_args);
	g_test_add_func("/cmdline/huge-arg", test_huge_arg_is_quoted_short);
	g_test_add_func("/ifname/rules", test_ifname_rules);
	g_test_add_func("/ifname/tap-pattern", test_tap_pattern);
	g_test_add_func("/error/quote", test_quote);
	return g_test_run();
}
