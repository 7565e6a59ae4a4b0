/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - the JSON output (schema in docs/tcwire.1)
 *
 * The conventions of ip -json and tc -json: lower-case snake_case keys,
 * and where a key means what it means there, its name and form
 * ("ifname", "ifindex", "mtu", "flags", "operstate", "address", "master",
 * "link", "link_netnsid", "stats64" of ip; "dev", "to_dev", "pref",
 * "stats" with "packets", "bytes", "drops", "overlimits" of tc), numbers as
 * JSON numbers, and a key is left out when there is nothing to say (a
 * missing redirect, an unknown owner, no finding). Unlike ip, the document
 * is an object, so that it can carry its schema version and time.
 */
#include <net/if.h>

#include "status_classify.h"
#include "status_findings.h"
#include "status_json.h"
#include "status_jsonw.h"
#include "status_text.h"
#include "wire/wire_model.h"

#ifndef IFF_LOWER_UP		/* <linux/if.h> has them, <net/if.h> not */
#define IFF_LOWER_UP	0x10000
#define IFF_DORMANT	0x20000
#define IFF_ECHO	0x40000
#endif

/* The IFF_* flags as ip -json names them, in its order */
static const struct {
	unsigned int bit;
	const char *name;
} ip_link_flags[] = {
	{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_BROADCAST, "BROADCAST" },
	{ IFF_POINTOPOINT, "POINTOPOINT" }, { IFF_MULTICAST, "MULTICAST" },
	{ IFF_NOARP, "NOARP" }, { IFF_ALLMULTI, "ALLMULTI" },
	{ IFF_PROMISC, "PROMISC" }, { IFF_MASTER, "MASTER" },
	{ IFF_SLAVE, "SLAVE" }, { IFF_DEBUG, "DEBUG" },
	{ IFF_DYNAMIC, "DYNAMIC" }, { IFF_AUTOMEDIA, "AUTOMEDIA" },
	{ IFF_PORTSEL, "PORTSEL" }, { IFF_NOTRAILERS, "NOTRAILERS" },
	{ IFF_UP, "UP" }, { IFF_LOWER_UP, "LOWER_UP" },
	{ IFF_DORMANT, "DORMANT" }, { IFF_ECHO, "ECHO" },
};

/* RFC 2863 operational states (IF_OPER_*) as ip -json names them */
static const char *const ip_operstates[] = {
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING",
	"DORMANT", "UP",
};

/* "flags" and "operstate" of @l, as ip -json writes them */
static void add_link_state(struct jw_writer *w, const struct status_link *l)
{
	size_t i;

	jw_open(w, "flags", '[');
	if ((l->flags & IFF_UP) && !(l->flags & IFF_RUNNING))
		jw_str(w, NULL, "NO-CARRIER");
	for (i = 0; i < G_N_ELEMENTS(ip_link_flags); i++)
		if (l->flags & ip_link_flags[i].bit)
			jw_str(w, NULL, ip_link_flags[i].name);
	jw_close(w, ']');
	jw_str(w, "operstate", l->operstate < G_N_ELEMENTS(ip_operstates) ?
		   ip_operstates[l->operstate] : "UNKNOWN");
}

/* One direction @name of "stats64" */
static void add_link_dir(struct jw_writer *w, const char *name,
			 const struct status_link_stats *st, uint64_t dropped)
{
	jw_open(w, name, '{');
	jw_uint(w, "bytes", st->bytes);
	jw_uint(w, "packets", st->packets);
	jw_uint(w, "errors", st->errors);
	jw_uint(w, "dropped", dropped);
	jw_close(w, '}');
}

/* "stats64" of @l, as ip -json -s writes it (the counters we read) */
static void add_link_stats(struct jw_writer *w, const struct status_link *l)
{
	jw_open(w, "stats64", '{');
	add_link_dir(w, "rx", &l->rx, l->rx_dropped);
	add_link_dir(w, "tx", &l->tx, l->tx_dropped);
	jw_close(w, '}');
}

/* A veth's peer: "link" and "link_netnsid" as in ip -json, and ours */
static void add_link_peer(struct jw_writer *w, const struct status_link *l)
{
	if (l->peer_name[0])
		jw_str(w, "link", l->peer_name);
	if (l->peer_elsewhere) {
		jw_uint(w, "link_netnsid", (uint64_t)l->peer_netnsid);
		if (l->peer_netns[0])
			jw_str(w, "link_netns", l->peer_netns);
	}
	if (l->peer_mtu)
		jw_uint(w, "peer_mtu", l->peer_mtu);
}

/* One device as a member @name */
static void add_link(struct jw_writer *w, const char *name,
		     const struct status_link *l)
{
	jw_open(w, name, '{');
	jw_str(w, "ifname", l->name);
	jw_uint(w, "ifindex", (uint64_t)l->ifindex);
	if (l->kind[0])
		jw_str(w, "kind", l->kind);
	add_link_state(w, l);
	jw_uint(w, "mtu", l->mtu);
	if (l->address[0])
		jw_str(w, "address", l->address);
	if (l->master)
		jw_str(w, "master", l->master_name);
	add_link_peer(w, l);
	if (l->qdisc[0])
		jw_str(w, "qdisc", l->qdisc);
	jw_uint(w, "qdisc_drops", l->qdisc_drops);
	add_link_stats(w, l);
	if (classify_link_is_tap(l)) {
		jw_bool(w, "persistent", l->tun_persist);
		if (l->tun_queues != STATUS_QUEUES_UNKNOWN)
			jw_uint(w, "queues", l->tun_queues);
	}
	jw_close(w, '}');
}

/* One direction as a member @name, if its redirect exists */
static void add_flow(struct jw_writer *w, const char *name,
		     const struct status_wire *wire, enum status_dir dir)
{
	const struct status_link *from = dir == STATUS_TO_VM ? wire->partner : wire->tap;
	const struct status_link *to = dir == STATUS_TO_VM ? wire->tap : wire->partner;
	struct status_flow f;

	classify_wire_flow(wire, dir, &f);
	if (!f.present)
		return;
	jw_open(w, name, '{');
	jw_str(w, "dev", from->name);
	jw_str(w, "to_dev", to->name);
	jw_uint(w, "pref", TCW_FILTER_PRIO);
	jw_open(w, "stats", '{');
	jw_uint(w, "packets", f.act.packets);
	jw_uint(w, "bytes", f.act.bytes);
	jw_uint(w, "drops", f.act.drops);
	jw_uint(w, "overlimits", f.act.overlimits);
	jw_close(w, '}');
	jw_uint(w, "qdisc_drops", f.qdisc_drops);
	jw_uint(w, "dev_drops", f.dev_drops);
	jw_uint(w, "drops", f.drops);
	if (wire->have_rates) {
		jw_open(w, "rates", '{');
		jw_double(w, "packets_per_s", wire->rates[dir][0]);
		jw_double(w, "bytes_per_s", wire->rates[dir][1]);
		jw_double(w, "bits_per_s", wire->rates[dir][1] * 8);
		jw_double(w, "drops_per_s", wire->rates[dir][2]);
		jw_close(w, '}');
	}
	jw_close(w, '}');
}

/* The "findings" array of @wire */
static void add_findings(struct jw_writer *w, const struct status_wire *wire)
{
	g_autoptr(GString) note = g_string_new(NULL);
	int f;

	if (!wire->findings)
		return;	/* no empty array: nothing to say */
	jw_open(w, "findings", '[');
	for (f = 0; f < STATUS_N_FINDINGS; f++) {
		if (!status_has(wire, (enum status_finding)f))
			continue;
		g_string_truncate(note, 0);
		finding_note(wire, (enum status_finding)f, note);
		jw_open(w, NULL, '{');
		jw_str(w, "code", classify_finding_code((enum status_finding)f));
		jw_str(w, "note", note->str);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* One wire, as an array element */
static void add_wire(struct jw_writer *w, const struct status_wire *wire)
{
	jw_open(w, NULL, '{');
	jw_str(w, "state", classify_state_name(wire->state));
	if (wire->state == STATUS_WAITING)
		jw_str(w, "waiting_for", wire->tap->for_partner);
	if (wire->tap && wire->tap->persistent_wire)
		jw_bool(w, "persistent_wire", true);
	if (wire->bridge)
		jw_str(w, "bridge", wire->bridge->name);
	if (wire->partner)
		add_link(w, "partner", wire->partner);
	if (wire->tap)
		add_link(w, "tap", wire->tap);
	add_flow(w, "to_vm", wire, STATUS_TO_VM);
	add_flow(w, "from_vm", wire, STATUS_FROM_VM);
	if (wire->owner.pid) {
		jw_open(w, "qemu", '{');
		jw_uint(w, "pid", (uint64_t)wire->owner.pid);
		jw_str(w, "comm", wire->owner.comm);
		if (wire->owner.supervised)
			jw_bool(w, "supervised", true);
		jw_close(w, '}');
	}
	add_findings(w, wire);
	jw_close(w, '}');
}

/* One namespace, as an array element */
static void add_netns(struct jw_writer *w, const struct status_netns *ns)
{
	size_t i;

	jw_open(w, NULL, '{');
	if (ns->label)
		jw_str(w, "netns", ns->label);
	if (ns->error) {
		jw_str(w, "error", ns->error_msg ? ns->error_msg : "");
	} else {
		jw_open(w, "wires", '[');
		for (i = 0; i < ns->report.n; i++)
			add_wire(w, &ns->report.wires[i]);
		jw_close(w, ']');
	}
	jw_close(w, '}');
}

/* "time": now, in UTC (RFC 3339, milliseconds), when the reading ended */
static void add_time(struct jw_writer *w)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *text = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S");
	g_autofree char *stamp = g_strdup_printf("%s.%03dZ", text,
		g_date_time_get_microsecond(now) / 1000);

	jw_str(w, "time", stamp);
}

/* See status_json.h */
char *json_status(const struct status_netns *ns, size_t n, bool pretty)
{
	GString *out = g_string_new(NULL);
	struct jw_writer w;
	size_t i;

	jw_init(&w, out, pretty);
	jw_open(&w, NULL, '{');
	jw_uint(&w, "schema_version", JSON_SCHEMA_VERSION);
	add_time(&w);
	jw_open(&w, "namespaces", '[');
	for (i = 0; i < n; i++)
		add_netns(&w, &ns[i]);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return g_string_free(out, FALSE);
}
