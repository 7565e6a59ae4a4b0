/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - from the devices of a namespace to its wires and states
 */
#ifndef TCWS_STATUS_CLASSIFY_H
#define TCWS_STATUS_CLASSIFY_H

#include "status_model.h"

/**
 * tcws_classify() - Find the wires in a snapshot and say what is wrong
 * @s:		Devices of one namespace
 * @r:		Result, pointing into @s; free with tcws_report_free()
 *
 * A wire is a pair (partner, tap) joined by tcwire redirects, or what is
 * left of one: a redirect to a deleted device, a single direction, a
 * tcwire tap ("tcw<N>") nobody wired, or a tcw tap that is a bridge port
 * (bridge mode: the partner shown is the bridge). A device carrying a
 * foreign filter at tcwire's priority makes a wire too. Each wire gets its
 * findings and the state of the first finding in the order of enum
 * tcws_state. Pure: no system calls.
 */
void tcws_classify(const struct tcws_snapshot *s, struct tcws_report *r);

/**
 * tcws_report_free() - Free what tcws_classify() allocated; safe to repeat
 * @r:		Report
 */
void tcws_report_free(struct tcws_report *r);

/**
 * tcws_snapshot_find() - Look a device up by index
 * @s:		Snapshot
 * @ifindex:	Index; 0 finds nothing
 *
 * Return: the device, or NULL
 */
const struct tcws_link *tcws_snapshot_find(const struct tcws_snapshot *s,
					   int ifindex);

/**
 * tcws_state_name() - The name of a state as printed and in JSON
 * @state:	State
 *
 * Return: "ok", "stale", "one-way", ... (a static string)
 */
const char *tcws_state_name(enum tcws_state state);

/**
 * tcws_finding_code() - The stable name of a finding (JSON, doctor)
 * @f:		Finding
 *
 * Return: "tap-gone", "partner-down", ... (a static string)
 */
const char *tcws_finding_code(enum tcws_finding f);

/**
 * tcws_link_is_tap() - Whether a device is a tun/tap device
 * @l:		Device, may be NULL
 *
 * Return: true for link kind "tun"
 */
bool tcws_link_is_tap(const struct tcws_link *l);

/**
 * tcws_wire_healthy() - Whether a wire is in a healthy state and has no
 *			 finding at all
 * @w:		Wire
 *
 * Return: true if tcwire doctor has nothing to say about @w
 */
bool tcws_wire_healthy(const struct tcws_wire *w);

/**
 * tcws_wire_flow() - The counters of one direction of a wire
 * @w:		Wire
 * @dir:	Direction
 * @f:		Result; all zero with present = false when the redirect of
 *		that direction does not exist
 */
void tcws_wire_flow(const struct tcws_wire *w, enum tcws_dir dir,
		    struct tcws_flow *f);

#endif /* TCWS_STATUS_CLASSIFY_H */
