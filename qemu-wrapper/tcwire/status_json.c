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
static void add_link(struct tcws_jw *w, const char *name,
		     const struct tcws_link *l)
{
	tcws_jw_open(w, name, '{');
	tcws_jw_str(w, "ifname", l->name);
	tcws_jw_uint(w, "ifindex", (uint64_t)l->ifindex);
	if (l->kind[0])
		tcws_jw_str(w, "kind", l->kind);
	tcws_jw_uint(w, "mtu", l->mtu);
	tcws_jw_bool(w, "up", l->up);
	tcws_jw_bool(w, "carrier", l->carrier);
	if (l->master)
		tcws_jw_str(w, "master", l->master_name);
	if (l->peer_mtu)
		tcws_jw_uint(w, "peer_mtu", l->peer_mtu);
	if (l->peer_name[0])
		tcws_jw_str(w, "peer", l->peer_name);
	if (l->qdisc[0])
		tcws_jw_str(w, "qdisc", l->qdisc);
	tcws_jw_uint(w, "qdisc_drops", l->qdisc_drops);
	tcws_jw_uint(w, "tx_dropped", l->tx_dropped);
	tcws_jw_uint(w, "rx_dropped", l->rx_dropped);
	if (tcws_link_is_tap(l)) {
		tcws_jw_bool(w, "persistent", l->tun_persist);
		if (l->tun_queues != TCWS_QUEUES_UNKNOWN)
			tcws_jw_uint(w, "queues", l->tun_queues);
	}
	tcws_jw_close(w, '}');
}

/* One direction as a member @name, if its redirect exists */
static void add_flow(struct tcws_jw *w, const char *name,
		     const struct tcws_wire *wire, enum tcws_dir dir)
{
	const struct tcws_link *from = dir == TCWS_TO_VM ? wire->partner : wire->tap;
	const struct tcws_link *to = dir == TCWS_TO_VM ? wire->tap : wire->partner;
	struct tcws_flow f;

	tcws_wire_flow(wire, dir, &f);
	if (!f.present)
		return;
	tcws_jw_open(w, name, '{');
	tcws_jw_str(w, "dev", from->name);
	tcws_jw_str(w, "to_dev", to->name);
	tcws_jw_uint(w, "pref", TCW_FILTER_PRIO);
	tcws_jw_open(w, "stats", '{');
	tcws_jw_uint(w, "packets", f.act.packets);
	tcws_jw_uint(w, "bytes", f.act.bytes);
	tcws_jw_uint(w, "drops", f.act.drops);
	tcws_jw_uint(w, "overlimits", f.act.overlimits);
	tcws_jw_close(w, '}');
	tcws_jw_uint(w, "qdisc_drops", f.qdisc_drops);
	tcws_jw_uint(w, "dev_drops", f.dev_drops);
	tcws_jw_uint(w, "drops", f.drops);
	if (wire->have_rates) {
		tcws_jw_open(w, "rates", '{');
		tcws_jw_double(w, "packets_per_s", wire->rates[dir][0]);
		tcws_jw_double(w, "bytes_per_s", wire->rates[dir][1]);
		tcws_jw_double(w, "drops_per_s", wire->rates[dir][2]);
		tcws_jw_close(w, '}');
	}
	tcws_jw_close(w, '}');
}

/* The "findings" array of @wire */
static void add_findings(struct tcws_jw *w, const struct tcws_wire *wire)
{
	GString *note = g_string_new(NULL);
	int f;

	tcws_jw_open(w, "findings", '[');
	for (f = 0; f < TCWS_N_FINDINGS; f++) {
		if (!tcws_has(wire, (enum tcws_finding)f))
			continue;
		g_string_truncate(note, 0);
		tcws_finding_note(wire, (enum tcws_finding)f, note);
		tcws_jw_open(w, NULL, '{');
		tcws_jw_str(w, "code", tcws_finding_code((enum tcws_finding)f));
		tcws_jw_str(w, "note", note->str);
		tcws_jw_close(w, '}');
	}
	tcws_jw_close(w, ']');
	g_string_free(note, TRUE);
}

/* One wire, as an array element */
static void add_wire(struct tcws_jw *w, const struct tcws_wire *wire)
{
	tcws_jw_open(w, NULL, '{');
	tcws_jw_str(w, "state", tcws_state_name(wire->state));
	if (wire->bridge)
		tcws_jw_str(w, "bridge", wire->bridge->name);
	if (wire->partner)
		add_link(w, "partner", wire->partner);
	if (wire->tap)
		add_link(w, "tap", wire->tap);
	add_flow(w, "to_vm", wire, TCWS_TO_VM);
	add_flow(w, "from_vm", wire, TCWS_FROM_VM);
	if (wire->owner.pid) {
		tcws_jw_open(w, "qemu", '{');
		tcws_jw_uint(w, "pid", (uint64_t)wire->owner.pid);
		tcws_jw_str(w, "comm", wire->owner.comm);
		tcws_jw_close(w, '}');
	}
	add_findings(w, wire);
	tcws_jw_close(w, '}');
}

/* One namespace, as an array element */
static void add_netns(struct tcws_jw *w, const struct tcws_netns *ns)
{
	size_t i;

	tcws_jw_open(w, NULL, '{');
	if (ns->label)
		tcws_jw_str(w, "netns", ns->label);
	if (ns->error) {
		tcws_jw_str(w, "error", ns->error_msg ? ns->error_msg : "");
	} else {
		tcws_jw_open(w, "wires", '[');
		for (i = 0; i < ns->report.n; i++)
			add_wire(w, &ns->report.wires[i]);
		tcws_jw_close(w, ']');
	}
	tcws_jw_close(w, '}');
}

/* See status_json.h */
char *tcws_json_status(const struct tcws_netns *ns, size_t n, bool pretty)
{
	GString *out = g_string_new(NULL);
	struct tcws_jw w;
	size_t i;

	tcws_jw_init(&w, out, pretty);
	tcws_jw_open(&w, NULL, '{');
	tcws_jw_uint(&w, "schema_version", TCWS_JSON_SCHEMA_VERSION);
	tcws_jw_open(&w, "namespaces", '[');
	for (i = 0; i < n; i++)
		add_netns(&w, &ns[i]);
	tcws_jw_close(&w, ']');
	tcws_jw_close(&w, '}');
	return g_string_free(out, FALSE);
}
