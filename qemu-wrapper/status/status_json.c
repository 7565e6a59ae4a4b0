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
#include <json-glib/json-glib.h>

#include "status_classify.h"
#include "status_json.h"
#include "status_text.h"
#include "wire_model.h"

/* "name": unsigned number */
static void add_uint(JsonBuilder *b, const char *name, uint64_t v)
{
	json_builder_set_member_name(b, name);
	json_builder_add_int_value(b, (gint64)v);
}

/* "name": "string" */
static void add_str(JsonBuilder *b, const char *name, const char *v)
{
	json_builder_set_member_name(b, name);
	json_builder_add_string_value(b, v);
}

/* "name": true/false */
static void add_bool(JsonBuilder *b, const char *name, bool v)
{
	json_builder_set_member_name(b, name);
	json_builder_add_boolean_value(b, v);
}

/* One device as a member @name */
static void add_link(JsonBuilder *b, const char *name, const struct tcws_link *l)
{
	json_builder_set_member_name(b, name);
	json_builder_begin_object(b);
	add_str(b, "ifname", l->name);
	add_uint(b, "ifindex", (uint64_t)l->ifindex);
	if (l->kind[0])
		add_str(b, "kind", l->kind);
	add_uint(b, "mtu", l->mtu);
	add_bool(b, "up", l->up);
	add_bool(b, "carrier", l->carrier);
	if (l->master)
		add_str(b, "master", l->master_name);
	if (l->peer_mtu)
		add_uint(b, "peer_mtu", l->peer_mtu);
	if (l->peer_name[0])
		add_str(b, "peer", l->peer_name);
	if (l->qdisc[0])
		add_str(b, "qdisc", l->qdisc);
	add_uint(b, "qdisc_drops", l->qdisc_drops);
	add_uint(b, "tx_dropped", l->tx_dropped);
	add_uint(b, "rx_dropped", l->rx_dropped);
	if (tcws_link_is_tap(l)) {
		add_bool(b, "persistent", l->tun_persist);
		if (l->tun_queues != TCWS_QUEUES_UNKNOWN)
			add_uint(b, "queues", l->tun_queues);
	}
	json_builder_end_object(b);
}

/* One direction as a member @name, if its redirect exists */
static void add_flow(JsonBuilder *b, const char *name,
		     const struct tcws_wire *w, enum tcws_dir dir)
{
	const struct tcws_link *from = dir == TCWS_TO_VM ? w->partner : w->tap;
	const struct tcws_link *to = dir == TCWS_TO_VM ? w->tap : w->partner;
	struct tcws_flow f;

	tcws_wire_flow(w, dir, &f);
	if (!f.present)
		return;
	json_builder_set_member_name(b, name);
	json_builder_begin_object(b);
	add_str(b, "dev", from->name);
	add_str(b, "to_dev", to->name);
	add_uint(b, "pref", TCW_FILTER_PRIO);
	json_builder_set_member_name(b, "stats");
	json_builder_begin_object(b);
	add_uint(b, "packets", f.act.packets);
	add_uint(b, "bytes", f.act.bytes);
	add_uint(b, "drops", f.act.drops);
	add_uint(b, "overlimits", f.act.overlimits);
	json_builder_end_object(b);
	add_uint(b, "qdisc_drops", f.qdisc_drops);
	add_uint(b, "dev_drops", f.dev_drops);
	add_uint(b, "drops", f.drops);
	if (w->have_rates) {
		json_builder_set_member_name(b, "rates");
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "packets_per_s");
		json_builder_add_double_value(b, w->rates[dir][0]);
		json_builder_set_member_name(b, "bytes_per_s");
		json_builder_add_double_value(b, w->rates[dir][1]);
		json_builder_set_member_name(b, "drops_per_s");
		json_builder_add_double_value(b, w->rates[dir][2]);
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
}

/* The "findings" array of @w */
static void add_findings(JsonBuilder *b, const struct tcws_wire *w)
{
	int f;

	json_builder_set_member_name(b, "findings");
	json_builder_begin_array(b);
	for (f = 0; f < TCWS_N_FINDINGS; f++) {
		GString *note;

		if (!tcws_has(w, (enum tcws_finding)f))
			continue;
		note = g_string_new(NULL);
		tcws_finding_note(w, (enum tcws_finding)f, note);
		json_builder_begin_object(b);
		add_str(b, "code", tcws_finding_code((enum tcws_finding)f));
		add_str(b, "note", note->str);
		json_builder_end_object(b);
		g_string_free(note, TRUE);
	}
	json_builder_end_array(b);
}

/* One wire, as an array element */
static void add_wire(JsonBuilder *b, const struct tcws_wire *w)
{
	json_builder_begin_object(b);
	add_str(b, "state", tcws_state_name(w->state));
	if (w->bridge)
		add_str(b, "bridge", w->bridge->name);
	if (w->partner)
		add_link(b, "partner", w->partner);
	if (w->tap)
		add_link(b, "tap", w->tap);
	add_flow(b, "to_vm", w, TCWS_TO_VM);
	add_flow(b, "from_vm", w, TCWS_FROM_VM);
	if (w->owner.pid) {
		json_builder_set_member_name(b, "qemu");
		json_builder_begin_object(b);
		add_uint(b, "pid", (uint64_t)w->owner.pid);
		add_str(b, "comm", w->owner.comm);
		json_builder_end_object(b);
	}
	add_findings(b, w);
	json_builder_end_object(b);
}

/* One namespace, as an array element */
static void add_netns(JsonBuilder *b, const struct tcws_netns *ns)
{
	size_t i;

	json_builder_begin_object(b);
	if (ns->label)
		add_str(b, "netns", ns->label);
	if (ns->error) {
		add_str(b, "error", ns->error_msg ? ns->error_msg : "");
	} else {
		json_builder_set_member_name(b, "wires");
		json_builder_begin_array(b);
		for (i = 0; i < ns->report.n; i++)
			add_wire(b, &ns->report.wires[i]);
		json_builder_end_array(b);
	}
	json_builder_end_object(b);
}

/* See status_json.h */
char *tcws_json_status(const struct tcws_netns *ns, size_t n, bool pretty)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	size_t i;

	json_builder_begin_object(b);
	add_uint(b, "schema_version", TCWS_JSON_SCHEMA_VERSION);
	json_builder_set_member_name(b, "namespaces");
	json_builder_begin_array(b);
	for (i = 0; i < n; i++)
		add_netns(b, &ns[i]);
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, pretty);
	return json_generator_to_data(gen, NULL);
}
