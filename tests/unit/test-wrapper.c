/* SPDX-License-Identifier: GPL-2.0-or-later
 * Unit tests: tcwire-qemu's MACs, PCI layout, qemu argv and options
 */
#include <glib.h>
#include <string.h>

#include "iface_wait.h"
#include "mac.h"
#include "nic_plan.h"
#include "options.h"
#include "qemu_argv.h"

static void test_mac_stable_and_local(void)
{
	uint8_t a[6], b[6];
	char s[18];

	mac_derive("r1", 1, a);
	g_assert_cmpstr(mac_format(a, s), ==, "82:f3:e9:c6:95:01");
	mac_derive("r1", 1, b);
	g_assert_cmpmem(a, 6, b, 6);
	mac_derive("r1", 128, b);
	g_assert_cmpstr(mac_format(b, s), ==, "82:f3:e9:c6:95:80");
	mac_derive("r2", 1, b);
	g_assert_true(memcmp(a, b, 6) != 0);
}

/* 1000 nodes x 128 NICs: every MAC unique, unicast, local, never fe: */
static void test_mac_unique_in_big_lab(void)
{
	GHashTable *seen = g_hash_table_new(g_int64_hash, g_int64_equal);
	gint64 *keys = g_new(gint64, 1000 * 128);
	unsigned int node, nic, i = 0;

	for (node = 1; node <= 1000; node++) {
		g_autofree char *seed = g_strdup_printf("clab-lab-node%u", node);

		for (nic = 1; nic <= 128; nic++, i++) {
			uint8_t m[6];
			int k;

			mac_derive(seed, nic, m);
			g_assert_cmpint(m[0] & 1, ==, 0);	/* unicast */
			g_assert_cmpint(m[0] & 2, ==, 2);	/* local */
			g_assert_cmpint(m[0], !=, 0xfe);
			keys[i] = 0;
			for (k = 0; k < 6; k++)
				keys[i] = keys[i] << 8 | m[k];
			g_assert_false(g_hash_table_contains(seen, &keys[i]));
			g_hash_table_add(seen, &keys[i]);
		}
	}
	g_assert_cmpuint(g_hash_table_size(seen), ==, 128000);
	g_hash_table_unref(seen);
	g_free(keys);
}

/* Layout for @n wired NICs: number of bridges and the last NIC's place */
static void check_layout(size_t n, unsigned int bridges, unsigned int last_bridge,
			 unsigned int last_slot)
{
	const char **partners = g_new0(const char *, n);
	struct nic_plan plan;
	size_t i;

	for (i = 0; i < n; i++)
		partners[i] = "ethX";
	g_assert_cmpint(nic_plan_build(&plan, partners, n, 0, "s"), ==, 0);
	g_assert_cmpuint(plan.n, ==, n);
	g_assert_cmpuint(plan.n_bridges, ==, bridges);
	g_assert_cmpuint(plan.nics[n - 1].bridge, ==, last_bridge);
	g_assert_cmpuint(plan.nics[n - 1].pci_slot, ==, last_slot);
	for (i = 0; i < n; i++) {
		g_assert_cmpuint(plan.nics[i].position, ==, i + 1);
		g_assert_cmpuint(plan.nics[i].pci_slot, >=, 1);
		g_assert_cmpuint(plan.nics[i].pci_slot, <=, NIC_PLAN_NICS_PER_BRIDGE);
		if (i)	/* strictly increasing (bridge, slot): stable order */
			g_assert_true(plan.nics[i].bridge > plan.nics[i - 1].bridge ||
				      plan.nics[i].pci_slot > plan.nics[i - 1].pci_slot);
	}
	nic_plan_free(&plan);
	g_free(partners);
}

static void test_pci_layout(void)
{
	check_layout(1, 1, 1, 1);
	check_layout(28, 1, 1, 28);
	check_layout(29, 2, 2, 1);
	check_layout(128, 5, 5, 16);
}

static void test_gaps_and_slots(void)
{
	const char *partners[] = { "eth1", NULL, "eth3" };
	struct nic_plan plan;

	g_assert_cmpint(nic_plan_build(&plan, partners, 3, 5, "s"), ==, 0);
	g_assert_cmpuint(plan.n, ==, 5);
	g_assert_cmpstr(plan.nics[0].partner, ==, "eth1");
	g_assert_cmpstr(plan.nics[1].partner, ==, "");
	g_assert_cmpstr(plan.nics[2].partner, ==, "eth3");
	g_assert_cmpuint(plan.nics[2].pci_slot, ==, 3);
	g_assert_cmpstr(plan.nics[4].partner, ==, "");
	nic_plan_free(&plan);
	g_assert_cmpint(nic_plan_build(&plan, partners, 3, 256, "s"), ==, -E2BIG);
}

static char *build_line(const char *const *partners, size_t n,
			const struct qemu_nic_options *o, int qmp_fd,
			bool symbolic)
{
	char *user[] = { "qemu", "-m", "512", NULL };
	struct nic_plan plan;
	GPtrArray *a;
	char *line;
	size_t i;

	g_assert_cmpint(nic_plan_build(&plan, partners, n, 0, "r1"), ==, 0);
	for (i = 0; i < plan.n; i++) {
		plan.nics[i].fds[0] = 10 + (int)i * 2;
		plan.nics[i].fds[1] = 11 + (int)i * 2;
	}
	a = qemu_argv_build(user, &plan, o, qmp_fd, symbolic);
	line = g_strjoinv(" ", (char **)a->pdata);
	g_ptr_array_unref(a);
	nic_plan_free(&plan);
	return line;
}

static void test_argv(void)
{
	const char *partners[] = { "eth1", NULL };
	struct qemu_nic_options o = { (char *)"virtio-net-pci", 1, false };
	g_autofree char *l1 = build_line(partners, 2, &o, -1, false);
	g_autofree char *l2 = NULL, *l3 = NULL, *l4 = NULL;

	g_assert_cmpstr(l1, ==,
		"qemu -m 512 "
		"-device pci-bridge,id=tcwbr1,chassis_nr=201,shpc=off "
		"-netdev tap,id=tcwnet1,fd=10 "
		"-device virtio-net-pci,netdev=tcwnet1,id=tcwnic1,mac=82:f3:e9:c6:95:01,bus=tcwbr1,addr=0x1,speed=10000,duplex=full "
		"-netdev hubport,id=tcwnet2,hubid=4002 "
		"-device virtio-net-pci,netdev=tcwnet2,id=tcwnic2,mac=82:f3:e9:c6:95:02,bus=tcwbr1,addr=0x2,speed=10000,duplex=full");
	g_free(l1);
	l1 = build_line(partners, 2, &o, 7, false);
	g_assert_true(g_str_has_suffix(l1, " -chardev socket,id=tcwqmp,fd=7 -mon chardev=tcwqmp,mode=control"));

	o.queues = 2;
	o.vhost = true;
	l2 = build_line(partners, 1, &o, -1, false);
	g_assert_nonnull(strstr(l2, "-netdev tap,id=tcwnet1,fds=10:11,vhost=on "));
	g_assert_true(g_str_has_suffix(l2, ",speed=10000,duplex=full,mq=on,vectors=6"));
	l3 = build_line(partners, 1, &o, -1, true);
	g_assert_nonnull(strstr(l3, "fds={eth1#0}:{eth1#1},vhost=on"));

	o = (struct qemu_nic_options){ (char *)"e1000", 1, false };
	l4 = build_line(partners, 1, &o, -1, true);
	g_assert_true(g_str_has_suffix(l4,
		"-device e1000,netdev=tcwnet1,id=tcwnic1,mac=82:f3:e9:c6:95:01,bus=tcwbr1,addr=0x1"));
	g_assert_nonnull(strstr(l4, "fd={eth1}"));
}

/* virtio NICs carry the partner's MTU; placeholders and e1000 do not */
static void test_host_mtu(void)
{
	const char *partners[] = { "eth1", NULL };
	struct qemu_nic_options o = { (char *)"virtio-net-pci", 1, false };
	char *user[] = { "qemu", NULL };
	struct nic_plan plan;
	g_autoptr(GPtrArray) a = NULL, b = NULL;
	g_autofree char *line = NULL, *line_e1000 = NULL;

	g_assert_cmpint(nic_plan_build(&plan, partners, 2, 0, "r1"), ==, 0);
	plan.nics[0].fds[0] = 10;
	plan.nics[0].mtu = 9000;
	a = qemu_argv_build(user, &plan, &o, -1, false);
	line = g_strjoinv(" ", (char **)a->pdata);
	g_assert_nonnull(strstr(line, "addr=0x1,speed=10000,duplex=full,host_mtu=9000 "));
	g_assert_true(g_str_has_suffix(line, "addr=0x2,speed=10000,duplex=full"));
	o.model = (char *)"e1000";
	b = qemu_argv_build(user, &plan, &o, -1, false);
	line_e1000 = g_strjoinv(" ", (char **)b->pdata);
	g_assert_null(strstr(line_e1000, "host_mtu"));
	nic_plan_free(&plan);
}

static void test_shell_quote_round_trip(void)
{
	char *argv[] = { "qemu", "-append", "console=ttyS0 x='y'", "fd={eth1}",
			 "plain-arg_1.2:3,4", "", NULL };
	g_autofree char *line = qemu_argv_shell_quote(argv);
	g_auto(GStrv) back = NULL;
	int n;

	g_assert_true(g_shell_parse_argv(line, &n, &back, NULL));
	g_assert_cmpint(n, ==, 6);
	for (n = 0; argv[n]; n++)
		g_assert_cmpstr(back[n], ==, argv[n]);
	g_assert_nonnull(strstr(line, " plain-arg_1.2:3,4 "));
}

static void test_iface_suffix(void)
{
	g_assert_cmpuint(iface_suffix("eth1", "eth"), ==, 1);
	g_assert_cmpuint(iface_suffix("eth128", "eth"), ==, 128);
	g_assert_cmpuint(iface_suffix("eth65535", "eth"), ==, 65535);
	g_assert_cmpuint(iface_suffix("e1-3", "e1-"), ==, 3);
	g_assert_cmpuint(iface_suffix("eth0", "eth"), ==, 0);	/* management */
	g_assert_cmpuint(iface_suffix("eth01", "eth"), ==, 0);	/* not eth1 */
	g_assert_cmpuint(iface_suffix("eth", "eth"), ==, 0);
	g_assert_cmpuint(iface_suffix("eth1a", "eth"), ==, 0);
	g_assert_cmpuint(iface_suffix("eth+1", "eth"), ==, 0);
	g_assert_cmpuint(iface_suffix("eth-1", "eth"), ==, 0);
	g_assert_cmpuint(iface_suffix("eth 1", "eth"), ==, 0);
	g_assert_cmpuint(iface_suffix("eth65536", "eth"), ==, 0);
	g_assert_cmpuint(iface_suffix("eth99999999999999999999", "eth"), ==, 0);
	g_assert_cmpuint(iface_suffix("veth1", "eth"), ==, 0);
	g_assert_cmpuint(iface_suffix("et1", "eth"), ==, 0);
}

/* Parse a wrapper command line (NULL-terminated) */
static int parse(struct wrapper_options *o, struct tcw_err *err, ...)
{
	GPtrArray *a = g_ptr_array_new();
	const char *s;
	char **argv;
	va_list ap;
	int rc;

	g_ptr_array_add(a, "tcwire-qemu");
	va_start(ap, err);
	while ((s = va_arg(ap, const char *)))
		g_ptr_array_add(a, (gpointer)s);
	va_end(ap);
	g_ptr_array_add(a, NULL);
	/* GOption rearranges argv: hand it a copy */
	argv = g_memdup2(a->pdata, a->len * sizeof(gpointer));
	wrapper_options_free(o);
	rc = wrapper_options_parse((int)a->len - 1, argv, o, err);
	g_free(argv);
	g_ptr_array_unref(a);
	return rc;
}

static void test_options(void)
{
	struct wrapper_options o = { 0 };
	struct tcw_err err;

	g_unsetenv("CLAB_INTFS");
	g_assert_cmpint(parse(&o, &err, "--", "qemu", "-m", "1", NULL), ==, 0);
	g_assert_cmpuint(o.count, ==, 0);
	g_assert_cmpstr(o.prefix, ==, "eth");
	g_assert_cmpstr(o.qemu_argv[0], ==, "qemu");
	g_assert_cmpstr(o.qemu_argv[2], ==, "1");

	g_setenv("CLAB_INTFS", "4", TRUE);
	g_assert_cmpint(parse(&o, &err, "--", "qemu", NULL), ==, 0);
	g_assert_cmpuint(o.count, ==, 4);
	g_assert_cmpint(parse(&o, &err, "--count", "2", "--", "qemu", NULL), ==, 0);
	g_assert_cmpuint(o.count, ==, 2);
	g_setenv("CLAB_INTFS", "x", TRUE);
	g_assert_cmpint(parse(&o, &err, "--", "qemu", NULL), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "CLAB_INTFS=x: expected 0 to 255");
	g_unsetenv("CLAB_INTFS");

	g_assert_cmpint(parse(&o, &err, "--interfaces", "eth3,eth1", "--", "q", NULL), ==, 0);
	g_assert_cmpstr(o.interfaces[0], ==, "eth3");
	g_assert_cmpstr(o.interfaces[1], ==, "eth1");
	g_assert_cmpint(parse(&o, &err, "--interfaces", "eth1,eth0", "--", "q", NULL), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "--interfaces: eth0 is the management interface and is never wired");
	g_assert_cmpint(parse(&o, &err, "--interfaces", "eth1,eth1", "--", "q", NULL), ==, -EINVAL);
	g_assert_cmpint(parse(&o, &err, "--count", "1", "--interfaces", "eth1", "--", "q", NULL), ==, -EINVAL);
	g_assert_cmpint(parse(&o, &err, "--queues", "2", "--nic-model", "e1000", "--", "q", NULL), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "--queues needs a virtio-net NIC model, not e1000");
	g_assert_cmpint(parse(&o, &err, "--count", "3", NULL), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "missing the qemu command after \"--\" (see --help)");
	g_assert_cmpint(parse(&o, &err, "--slots", "300", "--", "q", NULL), ==, -EINVAL);
	g_assert_cmpint(parse(&o, &err, "--", "q", NULL), ==, 0);
	g_assert_false(o.no_supervise);
	g_assert_cmpint(parse(&o, &err, "--no-supervise", "--", "q", NULL), ==, 0);
	g_assert_true(o.no_supervise);
	wrapper_options_free(&o);
}

/* containerlab's lab name makes the MACs of equal node names differ */
static void test_mac_seed_from_containerlab(void)
{
	struct wrapper_options o = { 0 };
	struct tcw_err err;

	g_unsetenv("CLAB_LABEL_CONTAINERLAB");
	g_unsetenv("CLAB_LABEL_CLAB_NODE_NAME");
	g_assert_cmpint(parse(&o, &err, "--", "q", NULL), ==, 0);
	g_assert_cmpstr(o.mac_seed, ==, g_get_host_name());

	g_setenv("CLAB_LABEL_CLAB_NODE_NAME", "r1", TRUE);
	g_assert_cmpint(parse(&o, &err, "--", "q", NULL), ==, 0);
	g_assert_cmpstr(o.mac_seed, ==, "r1");
	g_setenv("CLAB_LABEL_CONTAINERLAB", "lab-a", TRUE);
	g_assert_cmpint(parse(&o, &err, "--", "q", NULL), ==, 0);
	g_assert_cmpstr(o.mac_seed, ==, "lab-a/r1");
	g_assert_cmpint(parse(&o, &err, "--mac-seed", "mine", "--", "q", NULL), ==, 0);
	g_assert_cmpstr(o.mac_seed, ==, "mine");
	g_unsetenv("CLAB_LABEL_CLAB_NODE_NAME");
	g_assert_cmpint(parse(&o, &err, "--", "q", NULL), ==, 0);
	g_assert_true(g_str_has_prefix(o.mac_seed, "lab-a/"));
	g_unsetenv("CLAB_LABEL_CONTAINERLAB");
	wrapper_options_free(&o);
}

/* Two labs, same node names: every MAC differs; each lab's are stable */
static void test_mac_two_labs(void)
{
	uint8_t a[6], b[6], a2[6];
	unsigned int k;

	for (k = 1; k <= 128; k++) {
		mac_derive("lab-a/r1", k, a);
		mac_derive("lab-b/r1", k, b);
		mac_derive("lab-a/r1", k, a2);
		g_assert_true(memcmp(a, b, 6) != 0);
		g_assert_cmpmem(a, 6, a2, 6);
	}
}

/* --partner-mac: a usable partner MAC replaces the derived one */
static void test_partner_mac(void)
{
	struct wrapper_options o = { 0 };
	struct monitored_link l = { .has_address = true,
		.address = { 0xaa, 0xc1, 0xab, 0x12, 0x34, 0x56 } };
	uint8_t mac[6], derived[6];
	struct tcw_err err;

	g_assert_cmpint(parse(&o, &err, "--", "q", NULL), ==, 0);
	g_assert_false(o.partner_mac);
	g_assert_cmpint(parse(&o, &err, "--partner-mac", "--", "q", NULL), ==, 0);
	g_assert_true(o.partner_mac);
	wrapper_options_free(&o);

	mac_derive("r1", 1, derived);
	memcpy(mac, derived, 6);
	g_assert_true(mac_from_partner(mac, &l));
	g_assert_cmpmem(mac, 6, l.address, 6);
	/* multicast, all-zero or no Ethernet address: the derived one stays */
	memcpy(mac, derived, 6);
	l.address[0] = 0x01;
	g_assert_false(mac_from_partner(mac, &l));
	memset(l.address, 0, 6);
	g_assert_false(mac_from_partner(mac, &l));
	l.address[0] = 0x02;
	l.has_address = false;
	g_assert_false(mac_from_partner(mac, &l));
	g_assert_cmpmem(mac, 6, derived, 6);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mac/stable", test_mac_stable_and_local);
	g_test_add_func("/mac/unique-1000x128", test_mac_unique_in_big_lab);
	g_test_add_func("/plan/pci-layout", test_pci_layout);
	g_test_add_func("/plan/gaps", test_gaps_and_slots);
	g_test_add_func("/argv/build", test_argv);
	g_test_add_func("/argv/shell-quote", test_shell_quote_round_trip);
	g_test_add_func("/options/parse", test_options);
	g_test_add_func("/iface/suffix", test_iface_suffix);
	g_test_add_func("/mac/seed-containerlab", test_mac_seed_from_containerlab);
	g_test_add_func("/mac/two-labs", test_mac_two_labs);
	g_test_add_func("/mac/partner", test_partner_mac);
	g_test_add_func("/argv/host-mtu", test_host_mtu);
	return g_test_run();
}
