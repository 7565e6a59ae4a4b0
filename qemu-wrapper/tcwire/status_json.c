/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - the JSON output (schema in docs/tcwire.1)
 *
 * The conventions of ip -json and tc -json: lower-case snake_case keys
 * named as there ("ifname", "ifindex", "mtu", "master", "kind", "dev",
 * "to_dev", "pref", "stats" with "packets", "bytes", "drops",
 * "overlimits"), numbers as JSON numbers, and a key is left out when
 * there is nothing to say (a missing redirect, an unknown owner). Unlike
 * ip, the document is an object, so that it can carry its schema version.
 */
#include "status_classify.h"
#include "status_findings.h"
#include "status_json.h"
#include "status_jsonw.h"
#include "status_text.h"
#include "wire/wire_model.h"

/* One device as a member @name */
static void add_link(struct jw_writer *w, const char *name,
		     const struct status_link *l)
{
	jw_open(w, name, '{');
	jw_str(w, "ifname", l->name);
	jw_uint(w, "ifindex", (uint64_t)l->ifindex);
	if (l->kind[0])
		jw_str(w, "kind", l->kind);
	jw_uint(w, "mtu", l->mtu);
	jw_bool(w, "up", l->up);
	jw_bool(w, "carrier", l->carrier);
	if (l->master)
		jw_str(w, "master", l->master_name);
	if (l->peer_mtu)
		jw_uint(w, "peer_mtu", l->peer_mtu);
	if (l->peer_name[0])
		jw_str(w, "peer", l->peer_name);
	if (l->qdisc[0])
		jw_str(w, "qdisc", l->qdisc);
	jw_uint(w, "qdisc_drops", l->qdisc_drops);
	jw_uint(w, "tx_dropped", l->tx_dropped);
	jw_uint(w, "rx_dropped", l->rx_dropped);
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

/* A management passthrough: the TCP ports that stay in the container */
static void add_mgmt(struct jw_writer *w, const struct status_link *partner)
{
	unsigned int i;
	char b[16];

	jw_open(w, "mgmt", '{');
	jw_open(w, "local_tcp", '[');
	for (i = 0; i < partner->n_mgmt_local; i++)
		jw_str(w, NULL, tcw_port_block_print(b, sizeof(b),
						     &partner->mgmt_local[i]));
	jw_close(w, ']');
	jw_close(w, '}');
}

/* One wire, as an array element */
static void add_wire(struct jw_writer *w, const struct status_wire *wire)
{
	jw_open(w, NULL, '{');
	jw_str(w, "state", classify_state_name(wire->state));
	if (wire->state == STATUS_WAITING)
		jw_str(w, "waiting_for", wire->tap->for_partner);
	if (wire->bridge)
		jw_str(w, "bridge", wire->bridge->name);
	if (wire->partner && wire->partner->mgmt)
		add_mgmt(w, wire->partner);
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

/* See status_json.h */
char *json_status(const struct status_netns *ns, size_t n, bool pretty)
{
	GString *out = g_string_new(NULL);
	struct jw_writer w;
	size_t i;

	jw_init(&w, out, pretty);
	jw_open(&w, NULL, '{');
	jw_uint(&w, "schema_version", JSON_SCHEMA_VERSION);
	jw_open(&w, "namespaces", '[');
	for (i = 0; i < n; i++)
		add_netns(&w, &ns[i]);
	jw_close(&w, ']');
	jw_close(&w, '}');
	return g_string_free(out, FALSE);
}
