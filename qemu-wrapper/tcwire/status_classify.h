/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - from the devices of a namespace to its wires and states
 */
#ifndef TCWIRE_STATUS_CLASSIFY_H
#define TCWIRE_STATUS_CLASSIFY_H

#include "status_model.h"

/**
 * classify_wires() - Find the wires in a snapshot and say what is wrong
 * @s:		Devices of one namespace
 * @r:		Result, pointing into @s; free with classify_report_free()
 *
 * A wire is a pair (partner, tap) joined by tcwire redirects, or what is
 * left of one: a redirect to a deleted device, a single direction, a
 * tcwire tap ("tcw<N>") nobody wired, or a tcw tap that is a bridge port
 * (bridge mode: the partner shown is the bridge). A device carrying a
 * foreign filter at tcwire's priority makes a wire too. Each wire gets its
 * findings and the state of the first finding in the order of enum
 * status_state. Pure: no system calls.
 */
void classify_wires(const struct status_snapshot *s, struct status_report *r);

/**
 * classify_report_free() - Free what classify_wires() allocated; safe to repeat
 * @r:		Report
 */
void classify_report_free(struct status_report *r);

/**
 * classify_link_by_ifindex() - Look a device up by index
 * @s:		Snapshot
 * @ifindex:	Index; 0 finds nothing
 *
 * Return: the device, or NULL
 */
const struct status_link *classify_link_by_ifindex(const struct status_snapshot *s,
					   int ifindex);

/**
 * classify_state_name() - The name of a state as printed and in JSON
 * @state:	State
 *
 * Return: "ok", "stale", "one-way", ... (a static string)
 */
const char *classify_state_name(enum status_state state);

/**
 * classify_finding_code() - The stable name of a finding (JSON, doctor)
 * @f:		Finding
 *
 * Return: "tap-gone", "partner-down", ... (a static string)
 */
const char *classify_finding_code(enum status_finding f);

/**
 * classify_link_is_tap() - Whether a device is a tun/tap device
 * @l:		Device, may be NULL
 *
 * Return: true for link kind "tun"
 */
bool classify_link_is_tap(const struct status_link *l);

/**
 * classify_wire_healthy() - Whether a wire is in a healthy state and has no
 *			 finding at all
 * @w:		Wire
 *
 * Return: true if tcwire doctor has nothing to say about @w
 */
bool classify_wire_healthy(const struct status_wire *w);

/**
 * classify_wire_flow() - The counters of one direction of a wire
 * @w:		Wire
 * @dir:	Direction
 * @f:		Result; all zero with present = false when the redirect of
 *		that direction does not exist
 */
void classify_wire_flow(const struct status_wire *w, enum status_dir dir,
		    struct status_flow *f);

/**
 * classify_supervised() - Wires whose tap a tcwire-qemu holds and re-wires
 * @r:		Report, with the owners attached (owner_attach())
 *
 * A tap whose partner is gone (deleted, or a slot's interface not created
 * yet) is a problem when nobody will wire it again, but not when the
 * tcwire-qemu that holds it waits to re-wire it: such a wire, with no
 * other finding, is "waiting" (for the partner its alias names) and
 * healthy.
 */
void classify_supervised(struct status_report *r);

#endif /* TCWIRE_STATUS_CLASSIFY_H */
