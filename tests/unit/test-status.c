/* SPDX-License-Identifier: GPL-2.0-or-later
 * Unit tests: tcwire status - wires and states from hand-made snapshots,
 * the text table, the JSON document and doctor's advice
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "status_classify.h"
#include "status_doctor.h"
#include "status_escape.h"
#include "status_json.h"
#include "status_jsonw.h"
#include "status_rates.h"
#include "status_text.h"

#define MAX_LINKS	32

/* A namespace under construction */
struct fixture {
	struct status_link links[MAX_LINKS];
	struct status_netns ns;
};

/* Add a device that is up with carrier */
static struct status_link *dev(struct fixture *fx, int ifindex, const char *name,
			     const char *kind, unsigned int mtu)
{
	struct status_link *l = &fx->links[fx->ns.snap.n++];

	g_assert_cmpuint(fx->ns.snap.n, <=, MAX_LINKS);
	memset(l, 0, sizeof(*l));
	l->ifindex = ifindex;
	g_strlcpy(l->name, name, sizeof(l->name));
	g_strlcpy(l->kind, kind, sizeof(l->kind));
	l->mtu = mtu;
	l->up = l->carrier = true;
	l->tun_queues = STATUS_QUEUES_UNKNOWN;
	l->tun_disabled = STATUS_QUEUES_UNKNOWN;
	return l;
}

/* A redirect on @from to @to's ifindex (0: to a deleted device) */
static void redirect(struct status_link *from, int to, uint64_t pkts,
		     uint64_t bytes)
{
	from->wired = true;
	from->ingress_hook = true;
	from->target = to;
	from->act.packets = pkts;
	from->act.bytes = bytes;
}

/* A veth partner and a tcw tap wired both ways */
static void wire(struct fixture *fx, int p, const char *pname, int t,
		 const char *tname, unsigned int mtu)
{
	struct status_link *pl = dev(fx, p, pname, "veth", mtu);
	struct status_link *tl = dev(fx, t, tname, "tun", mtu);

	redirect(pl, t, 0, 0);
	redirect(tl, p, 0, 0);
}

static void fx_classify(struct fixture *fx)
{
	fx->ns.snap.links = fx->links;
	classify_wires(&fx->ns.snap, &fx->ns.report);
}

static void fx_free(struct fixture *fx)
{
	classify_report_free(&fx->ns.report);
}

static char *fx_text(struct fixture *fx)
{
	GString *s = g_string_new(NULL);

	text_status(s, &fx->ns, 1, false);
	return g_string_free(s, FALSE);
}

/* The single wire's state and findings */
static void check_one(struct fixture *fx, enum status_state state,
		      uint32_t findings)
{
	fx_classify(fx);
	g_assert_cmpuint(fx->ns.report.n, ==, 1);
	g_assert_cmpstr(classify_state_name(fx->ns.report.wires[0].state), ==,
			classify_state_name(state));
	g_assert_cmphex(fx->ns.report.wires[0].findings, ==, findings);
}

#define F(x)	(1U << STATUS_F_##x)

static void test_human(void)
{
	char b[16];

	g_assert_cmpstr(text_human(0, b, sizeof(b)), ==, "0");
	g_assert_cmpstr(text_human(1204, b, sizeof(b)), ==, "1204");
	g_assert_cmpstr(text_human(9999, b, sizeof(b)), ==, "9999");
	g_assert_cmpstr(text_human(10000, b, sizeof(b)), ==, "10k");
	g_assert_cmpstr(text_human(156234, b, sizeof(b)), ==, "156k");
	g_assert_cmpstr(text_human(2500000, b, sizeof(b)), ==, "2.5M");
	g_assert_cmpstr(text_human(999999, b, sizeof(b)), ==, "1.0M");
	g_assert_cmpstr(text_human(1.1e9, b, sizeof(b)), ==, "1.1G");
	g_assert_cmpstr(text_human(1.8e19, b, sizeof(b)), ==, "18E");
}

static void test_ok(void)
{
	struct fixture fx = { 0 };
	g_autofree char *text = NULL;

	wire(&fx, 3, "eth1", 9, "tcw0", 9500);
	fx.links[0].act = (struct status_counters){ 1204, 156234, 0, 0 };
	fx.links[1].act = (struct status_counters){ 1187, 151000, 1, 2 };
	check_one(&fx, STATUS_OK, 0);
	fx.ns.report.wires[0].owner = (struct status_owner){ 41, "qemu-system-x86", false };
	text = fx_text(&fx);
	g_assert_cmpstr(text, ==,
		"PARTNER  TAP   STATE  MTU   PARTNER->VM pkts/bytes/drops  VM->PARTNER pkts/bytes/drops  QEMU\n"
		"eth1     tcw0  ok     9500  1204/156k/0                   1187/151k/3                   pid 41 (qemu-system-x86)\n");
	g_assert_true(classify_wire_healthy(&fx.ns.report.wires[0]));
	fx_free(&fx);
}

static void test_stale_tap_gone(void)
{
	struct fixture fx = { 0 };
	g_autofree char *text = NULL;

	redirect(dev(&fx, 4, "eth2", "veth", 1500), 0, 7, 700);
	check_one(&fx, STATUS_STALE, F(TAP_GONE));
	text = fx_text(&fx);
	g_assert_cmpstr(text, ==,
		"PARTNER  TAP  STATE  MTU   PARTNER->VM pkts/bytes/drops  VM->PARTNER pkts/bytes/drops  QEMU\n"
		"eth2     -    stale  1500  -                             -                             -     redirect to a deleted device\n");
	fx_free(&fx);
}

static void test_stale_partner_gone(void)
{
	struct fixture fx = { 0 };

	redirect(dev(&fx, 9, "tcw0", "tun", 1500), 4, 0, 0);
	check_one(&fx, STATUS_STALE, F(PARTNER_GONE));
	g_assert_null(fx.ns.report.wires[0].partner);
	fx_free(&fx);
}

static void test_one_way(void)
{
	struct fixture fx = { 0 };
	g_autofree char *text = NULL;

	redirect(dev(&fx, 5, "eth3", "veth", 1500), 11, 10, 1000);
	dev(&fx, 11, "tcw2", "tun", 1500);
	check_one(&fx, STATUS_ONE_WAY, F(NO_FROM_VM));
	text = fx_text(&fx);
	g_assert_nonnull(strstr(text, "eth3     tcw2  one-way  1500  10/1000/0                     -                             -     no redirect tcw2->eth3\n"));
	fx_free(&fx);

	memset(&fx, 0, sizeof(fx));
	dev(&fx, 5, "eth3", "veth", 1500);
	redirect(dev(&fx, 11, "tcw2", "tun", 1500), 5, 0, 0);
	check_one(&fx, STATUS_ONE_WAY, F(NO_TO_VM));
	fx_free(&fx);
}

static void test_foreign(void)
{
	struct fixture fx = { 0 };

	dev(&fx, 5, "eth4", "veth", 1500)->foreign = true;
	check_one(&fx, STATUS_FOREIGN, F(FOREIGN));
	g_assert_null(fx.ns.report.wires[0].tap);
	fx_free(&fx);

	/* A foreign filter next to a wire marks that wire */
	memset(&fx, 0, sizeof(fx));
	wire(&fx, 3, "eth1", 9, "tcw0", 1500);
	fx.links[0].foreign = true;
	check_one(&fx, STATUS_FOREIGN, F(FOREIGN));
	fx_free(&fx);
}

static void test_orphan(void)
{
	struct fixture fx = { 0 };

	/* Multiqueue: the kernel counts attached and detached queues */
	dev(&fx, 9, "tcw3", "tun", 1500)->tun_persist = true;
	fx.links[0].tun_queues = 0;
	fx.links[0].tun_disabled = 0;
	check_one(&fx, STATUS_ORPHAN, F(ORPHAN));
	fx_free(&fx);

	/* Its holder detached its queue (TUNSETQUEUE): held, not an orphan
	 * (round 3, B) */
	memset(&fx, 0, sizeof(fx));
	wire(&fx, 3, "eth5", 9, "tcw3", 1500);
	fx.links[1].tun_persist = true;
	fx.links[1].tun_queues = 0;
	fx.links[1].tun_disabled = 1;
	fx.links[1].carrier = false;
	check_one(&fx, STATUS_DOWN, F(TAP_NO_CARRIER));
	fx_free(&fx);

	/* Single queue without carrier: its holder may have set that itself
	 * (TUNSETCARRIER), so never an orphan (round 3, B) */
	memset(&fx, 0, sizeof(fx));
	wire(&fx, 3, "eth5", 9, "tcw3", 1500);
	fx.links[1].tun_persist = true;
	fx.links[1].carrier = false;
	check_one(&fx, STATUS_DOWN, F(TAP_NO_CARRIER));
	fx_free(&fx);

	/* Persistent but held: not an orphan */
	memset(&fx, 0, sizeof(fx));
	wire(&fx, 3, "eth5", 9, "tcw3", 1500);
	fx.links[1].tun_persist = true;
	check_one(&fx, STATUS_OK, 0);
	fx_free(&fx);
}

/* A persistent wire's tap (tcwire wire, libvirt system mode) that nobody
 * holds: its VM is stopped. Healthy, not down, not an orphan even when
 * named tcw<N>, and the frames it drops are no queue drops (issue 24) */
static void test_stopped(void)
{
	struct fixture fx = { 0 };
	GString *d = g_string_new(NULL);
	struct status_link *t;
	int q;

	for (q = 0; q < 2; q++) {	/* single queue: carrier; multiqueue */
		memset(&fx, 0, sizeof(fx));
		wire(&fx, 3, "eth1", 9, "tcw-r1-1", 1500);
		t = &fx.links[1];
		t->tun_persist = true;
		t->persistent_wire = true;
		t->carrier = false;
		t->tx_dropped = 7;
		if (q) {
			t->tun_queues = 0;
			t->tun_disabled = 0;
		}
		check_one(&fx, STATUS_STOPPED, 0);
		g_assert_true(classify_wire_healthy(&fx.ns.report.wires[0]));
		g_assert_cmpuint(doctor_print(d, &fx.ns, 1, false), ==, 0);
		g_string_truncate(d, 0);
		text_note(&fx.ns.report.wires[0], d);
		g_assert_cmpstr(d->str, ==, "persistent tap (tcwire wire), its VM is stopped");
		g_string_truncate(d, 0);
		fx_free(&fx);
	}

	/* marked and named tcw<N>: stopped, never an orphan */
	memset(&fx, 0, sizeof(fx));
	wire(&fx, 3, "eth1", 9, "tcw4", 1500);
	fx.links[1].tun_persist = true;
	fx.links[1].persistent_wire = true;
	fx.links[1].carrier = false;
	fx.links[1].tun_queues = 0;
	fx.links[1].tun_disabled = 0;
	check_one(&fx, STATUS_STOPPED, 0);
	fx_free(&fx);

	/* a one-way wire (libvirt's hot-unplug) stays a problem */
	memset(&fx, 0, sizeof(fx));
	redirect(dev(&fx, 5, "eth1", "veth", 1500), 11, 0, 0);
	t = dev(&fx, 11, "tcw-r1-1", "tun", 1500);
	t->tun_persist = true;
	t->persistent_wire = true;
	t->carrier = false;
	check_one(&fx, STATUS_ONE_WAY, F(NO_FROM_VM));
	fx_free(&fx);

	/* running again: ok, and old drops are explained */
	memset(&fx, 0, sizeof(fx));
	wire(&fx, 3, "eth1", 9, "tcw-r1-1", 1500);
	fx.links[1].tun_persist = true;
	fx.links[1].persistent_wire = true;
	fx.links[1].tx_dropped = 7;
	check_one(&fx, STATUS_OK, F(TAP_QUEUE_DROPS));
	g_assert_cmpuint(doctor_print(d, &fx.ns, 1, false), ==, 1);
	g_assert_nonnull(strstr(d->str, "or they came while its VM was stopped"));
	fx_free(&fx);
	g_string_free(d, TRUE);
}

/* A tap whose partner is gone, held by a supervising tcwire-qemu that will
 * re-wire it, waits: healthy, no doctor finding (late links, issue 18) */
static void test_waiting(void)
{
	struct fixture fx = { 0 };
	GString *d = g_string_new(NULL);
	struct status_link *t = dev(&fx, 9, "tcw0", "tun", 1500);

	redirect(t, 4, 0, 0);		/* to a deleted eth5 */
	g_strlcpy(t->for_partner, "eth5", IFNAMSIZ);
	check_one(&fx, STATUS_STALE, F(PARTNER_GONE));
	/* held by qemu, whom a tcwire-qemu supervises: waits for eth5 */
	fx.ns.report.wires[0].owner = (struct status_owner){ 41, "qemu-system-x86", true };
	classify_supervised(&fx.ns.report);
	g_assert_cmpstr(classify_state_name(fx.ns.report.wires[0].state), ==,
			"waiting");
	g_assert_true(classify_wire_healthy(&fx.ns.report.wires[0]));
	g_assert_cmpuint(doctor_print(d, &fx.ns, 1, false), ==, 0);
	g_string_truncate(d, 0);
	text_note(&fx.ns.report.wires[0], d);
	g_assert_cmpstr(d->str, ==, "tcwire-qemu waits for eth5");
	fx_free(&fx);

	/* the same tap without a supervisor stays a problem */
	memset(&fx, 0, sizeof(fx));
	t = dev(&fx, 9, "tcw0", "tun", 1500);
	redirect(t, 4, 0, 0);
	g_strlcpy(t->for_partner, "eth5", IFNAMSIZ);
	check_one(&fx, STATUS_STALE, F(PARTNER_GONE));
	fx.ns.report.wires[0].owner = (struct status_owner){ 41, "qemu-system-x86", false };
	classify_supervised(&fx.ns.report);
	g_assert_cmpstr(classify_state_name(fx.ns.report.wires[0].state), ==,
			"stale");
	g_string_free(d, TRUE);
	fx_free(&fx);
}

static void test_down(void)
{
	struct fixture fx = { 0 };

	wire(&fx, 3, "eth6", 9, "tcw4", 1500);
	fx.links[0].carrier = false;
	g_strlcpy(fx.links[0].peer_name, "peer6", IFNAMSIZ);
	check_one(&fx, STATUS_DOWN, F(PARTNER_NO_CARRIER));
	fx_free(&fx);

	memset(&fx, 0, sizeof(fx));
	wire(&fx, 3, "eth6", 9, "tcw4", 1500);
	fx.links[1].up = false;
	check_one(&fx, STATUS_DOWN, F(TAP_DOWN));
	fx_free(&fx);

	memset(&fx, 0, sizeof(fx));
	wire(&fx, 3, "eth6", 9, "tcw4", 1500);
	fx.links[0].up = false;
	fx.links[0].carrier = false;
	check_one(&fx, STATUS_DOWN, F(PARTNER_DOWN));
	fx_free(&fx);
}

static void test_mtu(void)
{
	struct fixture fx = { 0 };
	g_autofree char *text = NULL;

	wire(&fx, 3, "eth7", 9, "tcw5", 9000);
	fx.links[1].mtu = 1500;
	check_one(&fx, STATUS_MTU_MISMATCH, F(MTU_MISMATCH));
	text = fx_text(&fx);
	g_assert_nonnull(strstr(text, "MTU 9000 on eth7, 1500 on tcw5\n"));
	fx_free(&fx);

	memset(&fx, 0, sizeof(fx));
	wire(&fx, 3, "eth7", 9, "tcw5", 1500);
	fx.links[0].peer_mtu = 9000;
	check_one(&fx, STATUS_MTU_MISMATCH, F(PEER_MTU));
	fx_free(&fx);
}

static void test_bridge(void)
{
	struct fixture fx = { 0 };

	dev(&fx, 2, "br0", "bridge", 1500);
	dev(&fx, 9, "tcw6", "tun", 1500)->master = 2;
	check_one(&fx, STATUS_BRIDGE, 0);
	g_assert_true(fx.ns.report.wires[0].bridge == &fx.links[0]);
	g_assert_true(fx.ns.report.wires[0].partner == &fx.links[0]);
	g_assert_true(classify_wire_healthy(&fx.ns.report.wires[0]));
	fx_free(&fx);

	/* A tap in a bridge whose MTU is smaller than the bridge's */
	memset(&fx, 0, sizeof(fx));
	dev(&fx, 2, "br0", "bridge", 9000);
	dev(&fx, 9, "tcw6", "tun", 1500)->master = 2;
	check_one(&fx, STATUS_MTU_MISMATCH, F(MTU_MISMATCH));
	fx_free(&fx);
}

static void test_unwired(void)
{
	struct fixture fx = { 0 };

	dev(&fx, 9, "tcw7", "tun", 1500);
	dev(&fx, 10, "tap0", "tun", 1500);	/* not ours: no row */
	dev(&fx, 11, "eth1", "veth", 1500);	/* nothing on it: no row */
	check_one(&fx, STATUS_UNWIRED, F(UNWIRED));
	fx_free(&fx);
}

static void test_datapath_findings(void)
{
	struct fixture fx = { 0 };

	dev(&fx, 2, "br9", "bridge", 1500);
	wire(&fx, 3, "eth1", 9, "tcw0", 1500);
	fx.links[1].master = 2;
	g_strlcpy(fx.links[1].master_name, "br9", IFNAMSIZ);
	g_strlcpy(fx.links[2].qdisc, "fq", sizeof(fx.links[2].qdisc));
	fx.links[2].qdisc_fq = true;
	fx.links[2].tx_dropped = 5;
	check_one(&fx, STATUS_OK, F(PARTNER_BRIDGED) | F(TAP_FQ) | F(TAP_QUEUE_DROPS));
	g_assert_false(classify_wire_healthy(&fx.ns.report.wires[0]));
	fx_free(&fx);

	memset(&fx, 0, sizeof(fx));
	wire(&fx, 3, "eth1", 9, "tcw0", 1500);
	g_strlcpy(fx.links[1].qdisc, "fq_codel", sizeof(fx.links[1].qdisc));
	fx.links[1].qdisc_drops = 12;
	check_one(&fx, STATUS_OK, F(TAP_QDISC_DROPS));
	fx_free(&fx);
}

/* Two veths wired to each other with tcwire's priority: one wire */
static void test_unordered_pair(void)
{
	struct fixture fx = { 0 };

	redirect(dev(&fx, 3, "va", "veth", 1500), 4, 0, 0);
	redirect(dev(&fx, 4, "vb", "veth", 1500), 3, 0, 0);
	check_one(&fx, STATUS_OK, 0);
	fx_free(&fx);
}

static void test_order_and_drops(void)
{
	struct fixture fx = { 0 };
	struct status_flow f;

	wire(&fx, 20, "eth10", 21, "tcw1", 1500);
	wire(&fx, 3, "eth2", 9, "tcw0", 1500);
	dev(&fx, 30, "tcw9", "tun", 1500);
	fx.links[3].act = (struct status_counters){ 10, 1000, 1, 2 };
	fx.links[3].qdisc_drops = 4;
	fx.links[3].rx_dropped = 8;
	fx.links[2].tx_dropped = 16;
	fx_classify(&fx);
	g_assert_cmpuint(fx.ns.report.n, ==, 3);
	g_assert_cmpstr(fx.ns.report.wires[0].partner->name, ==, "eth2");
	g_assert_cmpstr(fx.ns.report.wires[1].partner->name, ==, "eth10");
	g_assert_null(fx.ns.report.wires[2].partner);
	/* VM -> partner: action drops 1 + overlimits 2 + partner qdisc 0 +
	 * tap rx_dropped 8 + partner tx_dropped 16 */
	classify_wire_flow(&fx.ns.report.wires[0], STATUS_FROM_VM, &f);
	g_assert_true(f.present);
	g_assert_cmpuint(f.drops, ==, 27);
	g_assert_cmpuint(f.dev_drops, ==, 24);
	/* partner -> VM: tap qdisc 4 + tap tx_dropped 0 */
	classify_wire_flow(&fx.ns.report.wires[0], STATUS_TO_VM, &f);
	g_assert_cmpuint(f.drops, ==, 4);
	classify_wire_flow(&fx.ns.report.wires[2], STATUS_TO_VM, &f);
	g_assert_false(f.present);
	fx_free(&fx);
}

static void test_empty(void)
{
	struct fixture fx = { 0 };
	g_autofree char *text = NULL;
	GString *d = g_string_new(NULL);

	dev(&fx, 1, "lo", "", 65536);
	fx_classify(&fx);
	text = fx_text(&fx);
	g_assert_cmpstr(text, ==, "no tcwire wires in this network namespace\n");
	g_assert_cmpuint(doctor_print(d, &fx.ns, 1, false), ==, 0);
	g_assert_cmpstr(d->str, ==, "all is well: 0 wires, no problem found\n");
	g_string_free(d, TRUE);
	fx_free(&fx);
}

static void test_doctor(void)
{
	struct fixture fx = { 0 };
	GString *d = g_string_new(NULL);

	wire(&fx, 3, "eth1", 9, "tcw0", 1500);
	redirect(dev(&fx, 4, "eth2", "veth", 1500), 0, 0, 0);
	dev(&fx, 5, "eth3", "veth", 1500);
	redirect(dev(&fx, 11, "tcw2", "tun", 1500), 5, 0, 0);
	fx_classify(&fx);
	g_assert_cmpuint(doctor_print(d, &fx.ns, 1, false), ==, 2);
	g_assert_cmpstr(d->str, ==,
		"eth2: the VM that used eth2 is gone; its redirect points to a deleted device\n"
		"  fix: the next wiring replaces it, or remove it: tc filter del dev eth2 ingress pref 29795\n"
		"eth3 -> tcw2: redirect missing: frames arriving on eth3 never reach the VM\n"
		"  fix: tc qdisc add dev eth3 ingress && tc filter add dev eth3 ingress pref 29795 protocol all u32 match u8 0 0 action mirred egress redirect dev tcw2\n"
		"2 problems on 2 of 3 wires\n");
	g_string_free(d, TRUE);

	/* Another namespace: label on each finding, commands entered there */
	fx.ns.label = (char *)"r1";
	fx.ns.enter = (char *)"ip netns exec r1";
	d = g_string_new(NULL);
	doctor_print(d, &fx.ns, 1, true);
	g_assert_nonnull(strstr(d->str, "r1: eth2: the VM that used eth2 is gone;"));
	g_assert_nonnull(strstr(d->str, "  fix: the next wiring replaces it, or remove it: ip netns exec r1 tc filter del dev eth2 ingress pref 29795\n"));
	g_string_free(d, TRUE);
	fx_free(&fx);
}

/* Every finding has advice of exactly two lines */
static void test_doctor_every_finding(void)
{
	struct fixture fx = { 0 };
	int f;

	wire(&fx, 3, "eth1", 9, "tcw0", 1500);
	g_strlcpy(fx.links[0].master_name, "br0", IFNAMSIZ);
	fx.links[0].peer_mtu = 9000;
	fx_classify(&fx);
	for (f = 0; f < STATUS_N_FINDINGS; f++) {
		GString *d = g_string_new(NULL);
		g_auto(GStrv) lines = NULL;

		fx.ns.report.wires[0].findings = 1U << f;
		g_assert_cmpuint(doctor_print(d, &fx.ns, 1, false), ==, 1);
		lines = g_strsplit(d->str, "\n", -1);
		g_assert_cmpuint(g_strv_length(lines), ==, 4);	/* 2 + summary + "" */
		g_assert_true(g_str_has_prefix(lines[1], "  fix: "));
		g_assert_cmpuint(strlen(lines[1]), >, 10);
		g_string_free(d, TRUE);
		d = g_string_new(NULL);
		text_note(&fx.ns.report.wires[0], d);
		g_assert_cmpuint(d->len, >, 8);	/* the status table's note */
		g_string_free(d, TRUE);
	}
	fx_free(&fx);
}

/* The JSON document parses and carries the schema's keys */
static void test_json(void)
{
	struct fixture fx = { 0 };
	g_autoptr(JsonParser) p = json_parser_new();
	g_autofree char *doc = NULL;
	JsonObject *root, *w, *to_vm, *stats;
	JsonArray *wires;

	wire(&fx, 3, "eth1", 9, "tcw0", 9500);
	fx.links[0].act = (struct status_counters){ 1204, 156234, 1, 2 };
	redirect(dev(&fx, 4, "eth2", "veth", 1500), 0, 0, 0);
	fx_classify(&fx);
	fx.ns.report.wires[0].owner = (struct status_owner){ 41, "qemu-system-x86", false };
	doc = json_status(&fx.ns, 1, false);
	g_assert_null(strchr(doc, '\n'));
	g_assert_true(json_parser_load_from_data(p, doc, -1, NULL));
	root = json_node_get_object(json_parser_get_root(p));
	g_assert_cmpint(json_object_get_int_member(root, "schema_version"), ==, 2);
	g_assert_true(g_str_has_suffix(json_object_get_string_member(root, "time"), "Z"));
	wires = json_object_get_array_member(json_array_get_object_element(
		json_object_get_array_member(root, "namespaces"), 0), "wires");
	g_assert_cmpuint(json_array_get_length(wires), ==, 2);
	w = json_array_get_object_element(wires, 0);
	g_assert_cmpstr(json_object_get_string_member(w, "state"), ==, "ok");
	g_assert_cmpstr(json_object_get_string_member(
		json_object_get_object_member(w, "partner"), "ifname"), ==, "eth1");
	g_assert_cmpint(json_object_get_int_member(
		json_object_get_object_member(w, "tap"), "mtu"), ==, 9500);
	to_vm = json_object_get_object_member(w, "to_vm");
	g_assert_cmpstr(json_object_get_string_member(to_vm, "to_dev"), ==, "tcw0");
	g_assert_cmpint(json_object_get_int_member(to_vm, "pref"), ==, 29795);
	stats = json_object_get_object_member(to_vm, "stats");
	g_assert_cmpint(json_object_get_int_member(stats, "packets"), ==, 1204);
	g_assert_cmpint(json_object_get_int_member(stats, "bytes"), ==, 156234);
	g_assert_cmpint(json_object_get_int_member(to_vm, "drops"), ==, 3);
	g_assert_cmpint(json_object_get_int_member(
		json_object_get_object_member(w, "qemu"), "pid"), ==, 41);
	/* no finding: no empty "findings" array */
	g_assert_false(json_object_has_member(w, "findings"));

	w = json_array_get_object_element(wires, 1);
	g_assert_cmpstr(json_object_get_string_member(w, "state"), ==, "stale");
	g_assert_false(json_object_has_member(w, "tap"));
	g_assert_false(json_object_has_member(w, "to_vm"));
	g_assert_false(json_object_has_member(w, "qemu"));
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(
		json_object_get_array_member(w, "findings"), 0), "code"), ==, "tap-gone");
	fx_free(&fx);
}

/* The JSON writer: escapes, empty containers, indentation */
/* Escaping for the terminal and quoting for the shell (round 3, D) */
static void test_escape(void)
{
	static const struct { const char *in, *text, *shell; } cases[] = {
		{ "eth1", "eth1", "eth1" },
		{ "x;id", "x;id", "'x;id'" },
		{ "it's", "it's", "'it'\\''s'" },
		{ "a\\b", "a\\\\b", "'a\\b'" },
		{ "\033]0;pwned\007", "\\033]0;pwned\\007", "$'\\033]0;pwned\\007'" },
		{ "x\033[2J'y", "x\\033[2J'y", "$'x\\033[2J\\'y'" },
		{ "eth\xff", "eth\\377", "$'eth\\377'" },
		{ "c1\xc2\x9b", "c1\\302\\233", "$'c1\\302\\233'" },
		{ "caf\xc3\xa9", "caf\xc3\xa9", "'caf\xc3\xa9'" },
		{ "", "", "''" },
	};
	GString *lines = g_string_new("ok \033[31m\\\nnext\n");
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = escape_text(cases[i].in);
		g_autofree char *shell = escape_shell_word(cases[i].in);

		g_assert_cmpstr(text, ==, cases[i].text);
		g_assert_cmpstr(shell, ==, cases[i].shell);
	}
	/* the last pass keeps line breaks and backslashes */
	escape_text_lines(lines);
	g_assert_cmpstr(lines->str, ==, "ok \\033[31m\\\nnext\n");
	g_string_free(lines, TRUE);
}

static void test_jsonw(void)
{
	GString *out = g_string_new(NULL);
	g_autoptr(JsonParser) p = json_parser_new();
	struct jw_writer w;

	jw_init(&w, out, false);
	jw_open(&w, NULL, '{');
	jw_str(&w, "s", "a\"b\\c\n\x01\x7f");
	jw_str(&w, "bad", "eth\xff");	/* not UTF-8 */
	jw_str(&w, "utf8", "\xc3\xa9");
	jw_open(&w, "empty", '[');
	jw_close(&w, ']');
	jw_open(&w, "o", '{');
	jw_close(&w, '}');
	jw_open(&w, "a", '[');
	jw_uint(&w, NULL, 18446744073709551615ULL);
	jw_bool(&w, NULL, false);
	jw_double(&w, NULL, 2.5);
	jw_close(&w, ']');
	jw_close(&w, '}');
	g_assert_cmpstr(out->str, ==,
		"{\"s\":\"a\\\"b\\\\c\\u000a\\u0001\\u007f\",\"bad\":\"eth\xef\xbf\xbd\","
		"\"bad_hex\":\"657468ff\","
		"\"utf8\":\"\xc3\xa9\",\"empty\":[],\"o\":{},"
		"\"a\":[18446744073709551615,false,2.500]}");
	g_assert_true(json_parser_load_from_data(p, out->str, -1, NULL));

	g_string_truncate(out, 0);
	jw_init(&w, out, true);
	jw_open(&w, NULL, '{');
	jw_uint(&w, "n", 1);
	jw_open(&w, "a", '[');
	jw_str(&w, NULL, "x");
	jw_close(&w, ']');
	jw_close(&w, '}');
	g_assert_cmpstr(out->str, ==,
		"{\n    \"n\": 1,\n    \"a\": [\n        \"x\"\n    ]\n}");
	g_string_free(out, TRUE);
}

/* A reading of one namespace holding @fx's wires */
static GArray *reading(struct fixture *fx)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct status_netns));

	fx->ns.ino = 4026531840ULL;
	fx_classify(fx);
	g_array_append_val(a, fx->ns);
	return a;
}

static void test_rates(void)
{
	struct fixture before = { 0 }, after = { 0 };
	GArray *prev, *cur;
	struct status_wire *w;
	g_autofree char *text = NULL;

	wire(&before, 3, "eth1", 9, "tcw0", 1500);
	before.links[0].act = (struct status_counters){ 100, 10000, 0, 0 };
	before.links[1].act = (struct status_counters){ 50, 5000, 0, 0 };
	wire(&after, 3, "eth1", 9, "tcw0", 1500);
	after.links[0].act = (struct status_counters){ 300, 30000, 2, 2 };
	after.links[1].act = (struct status_counters){ 50, 5000, 0, 0 };
	wire(&after, 20, "eth2", 21, "tcw1", 1500);	/* new: no rates */
	prev = reading(&before);
	cur = reading(&after);
	rates_compute(prev, cur, 2.0);
	w = &after.ns.report.wires[0];
	g_assert_true(w->have_rates);
	g_assert_cmpfloat(w->rates[STATUS_TO_VM][0], ==, 100.0);
	g_assert_cmpfloat(w->rates[STATUS_TO_VM][1], ==, 10000.0);
	g_assert_cmpfloat(w->rates[STATUS_TO_VM][2], ==, 2.0);
	g_assert_cmpfloat(w->rates[STATUS_FROM_VM][0], ==, 0.0);
	g_assert_false(after.ns.report.wires[1].have_rates);
	text = fx_text(&after);
	g_assert_nonnull(strstr(text, "PARTNER->VM pkt/s bit/s drop/s"));
	/* 10000 bytes/s are 80 kbit/s */
	g_assert_nonnull(strstr(text, "eth1     tcw0  ok     1500  100/80k/2"));

	/* Counters that went down (the wire was re-made): no rates */
	before.links[0].act.packets = 1000;
	rates_compute(prev, cur, 2.0);
	g_assert_false(after.ns.report.wires[0].have_rates);
	g_array_free(prev, TRUE);
	g_array_free(cur, TRUE);
	fx_free(&before);
	fx_free(&after);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/status/human", test_human);
	g_test_add_func("/status/ok", test_ok);
	g_test_add_func("/status/stale-tap-gone", test_stale_tap_gone);
	g_test_add_func("/status/stale-partner-gone", test_stale_partner_gone);
	g_test_add_func("/status/one-way", test_one_way);
	g_test_add_func("/status/foreign", test_foreign);
	g_test_add_func("/status/orphan", test_orphan);
	g_test_add_func("/status/escape", test_escape);
	g_test_add_func("/status/waiting", test_waiting);
	g_test_add_func("/status/stopped", test_stopped);
	g_test_add_func("/status/down", test_down);
	g_test_add_func("/status/mtu", test_mtu);
	g_test_add_func("/status/bridge", test_bridge);
	g_test_add_func("/status/unwired", test_unwired);
	g_test_add_func("/status/datapath-findings", test_datapath_findings);
	g_test_add_func("/status/unordered-pair", test_unordered_pair);
	g_test_add_func("/status/order-and-drops", test_order_and_drops);
	g_test_add_func("/status/empty", test_empty);
	g_test_add_func("/status/doctor", test_doctor);
	g_test_add_func("/status/doctor-every-finding", test_doctor_every_finding);
	g_test_add_func("/status/json", test_json);
	g_test_add_func("/status/rates", test_rates);
	g_test_add_func("/status/jsonw", test_jsonw);
	return g_test_run();
}
