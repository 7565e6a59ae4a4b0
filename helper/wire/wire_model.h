/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - the wire model: what a tcwire filter is, read from kernel state
 *
 * The one definition of "a tcwire filter", shared by the helper (which
 * clears stale wires, adds and removes wires) and by the tools that only look
 * (tcwire status). See wire_model.c for the theory of operation.
 */
#ifndef TCWIRE_WIRE_MODEL_H
#define TCWIRE_WIRE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include <linux/pkt_sched.h>
#include <netlink/route/classifier.h>
#include <netlink/route/link.h>

#include "wire/netlink.h"
#include "wire/tc_filter.h"

/*
 * Every tap the helper makes carries the name of the partner it is for as
 * its alias, "tcwire:eth3" (IFLA_IFALIAS; only CAP_NET_ADMIN may change
 * it, not the tap's owner): so a tap whose partner is gone, or was never
 * there (a reserved tap, helper/reserve.c), still says what it waits for.
 */
#define TCW_TAP_ALIAS_PREFIX	"tcwire:"

/*
 * A tap made by "tcwire wire" (root, for libvirt's qemu:///system) is
 * persistent on purpose: it outlives its VM, which libvirt starts and
 * stops on it. Its alias, "tcwire-persistent:eth3", is the mark that keeps
 * the orphan reaper off it (tcw_tap_orphaned()) and lets tcwire status
 * show a stopped VM's tap as healthy. Its name is never in the helper's
 * tcw<N> pattern either: tcwire wire refuses those names.
 */
#define TCW_PERSISTENT_ALIAS_PREFIX	"tcwire-persistent:"
#define TCW_TAP_ALIAS_MAX	(sizeof(TCW_PERSISTENT_ALIAS_PREFIX) + IFNAMSIZ)

/* Most tcwire redirects one device can carry that a scan reports */
#define TCW_SCAN_MAX		8

/**
 * struct tcw_act_stats - Counters of a redirect's mirred action, as
 *			  tc -s shows them
 * @packets:	Frames redirected
 * @bytes:	Their bytes (at ingress, without the Ethernet header)
 * @drops:	Frames dropped
 * @overlimits:	Frames the target could not take (down or gone)
 */
struct tcw_act_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t drops;
	uint64_t overlimits;
};

/**
 * struct tcw_redirect - One tcwire redirect filter found on a device
 * @handle:		u32 handle of the filter (htid:hash:node)
 * @target_ifindex:	Where it sends frames; 0 when the target device is
 *			gone (the kernel reports 0 once it disappeared)
 * @stats:		Its mirred action's counters (libnl does not parse
 *			them; the scan reads them from the same dump)
 */
struct tcw_redirect {
	uint32_t handle;
	int target_ifindex;
	struct tcw_act_stats stats;
};

/**
 * struct tcw_ingress_scan - tcwire's priority on one device's ingress hook
 * @hook:	The device has an ingress hook (an ingress or clsact qdisc)
 * @filters:	Filters of any kind and priority on the ingress hook
 * @foreign:	Something that is not a tcwire redirect sits at
 *		TCW_FILTER_PRIO on chain 0 of the ingress hook: another
 *		classifier, a u32 key node without a redirect, or a u32 hash
 *		table of somebody's that removing our filter would destroy
 * @root_htid:	The u32 root hash table of that priority, 0 if none
 * @root_nodes:	Key nodes in it, tcwire's and foreign
 * @n:		Number of tcwire redirects found
 * @overflow:	More than TCW_SCAN_MAX were there (only the first are in @r)
 * @r:		The redirects
 */
struct tcw_ingress_scan {
	bool hook;
	unsigned int filters;
	bool foreign;
	uint32_t root_htid;
	unsigned int root_nodes;
	unsigned int n;
	bool overflow;
	struct tcw_redirect r[TCW_SCAN_MAX];
};

/**
 * tcw_tap_alias() - The alias of a tap made for @partner
 * @buf:	Result, TCW_TAP_ALIAS_MAX bytes
 * @len:	Size of @buf
 * @partner:	Partner name
 *
 * Return: @buf
 */
const char *tcw_tap_alias(char *buf, size_t len, const char *partner);

/**
 * tcw_persistent_alias() - The alias of a persistent tap made for @partner
 *			    by tcwire wire
 * @buf:	Result, TCW_TAP_ALIAS_MAX bytes
 * @len:	Size of @buf
 * @partner:	Partner name
 *
 * Return: @buf
 */
const char *tcw_persistent_alias(char *buf, size_t len, const char *partner);

/**
 * tcw_tap_alias_partner() - The partner a tap's alias names
 * @alias:	A tap's alias, may be NULL
 * @partner:	Result, IFNAMSIZ bytes
 * @persistent:	Result: the alias is a persistent tap's (tcwire wire), may
 *		be NULL
 *
 * Return: true if @alias is one of tcwire's (a helper's tap or a
 *	   persistent one) and names a valid interface name
 */
bool tcw_tap_alias_partner(const char *alias, char *partner,
			   bool *persistent);

/**
 * tcw_ingress_scan() - Find tcwire's redirects on one device's ingress hook
 * @nl:		rtnetlink socket
 * @ifindex:	Device to inspect
 * @scan:	Result
 *
 * One filter dump of the ingress hook plus, when a u32 filter sits at our
 * priority, one query of its root hash table. Needs no privileges.
 *
 * Return: 0 or negative errno (with the kernel's text in @nl)
 */
int tcw_ingress_scan(struct tcw_nl *nl, int ifindex,
		     struct tcw_ingress_scan *scan);

/**
 * tcw_tap_orphaned() - Whether a device is a tcwire tap that its last user
 *			made persistent and then let go of
 * @name:	Device name
 * @kind:	Link kind ("tun" for a tap), may be NULL
 * @st:		Its tun state (tcw_tun_state_parse() or _get())
 *
 * The holder of a tap fd may make the tap persistent (TUNSETPERSIST and
 * TUNSETOWNER need no capability). Once it lets go, nobody holds the tap,
 * which keeps its partner "wired" forever: deleting it is then safe.
 *
 * Deleting a tap whose fd is still held is not: the fd is then attached to
 * nothing, and TUNSETIFF on it may attach it to another owner-less tap of
 * the namespace; a /dev/net/tun fd that root opened (setuid mode, tun at
 * 0600) would be a power its holder never had. So the decision is taken
 * only from state the holder of an fd cannot forge. Carrier is not such
 * state (TUNSETCARRIER), and neither is the count of attached queues alone
 * (TUNSETQUEUE IFF_DETACH_QUEUE). What the holder cannot change is that its
 * fd counts: a multiqueue tap reports attached and detached queues, and a
 * held fd is one or the other. The helper makes every tap multiqueue
 * (tap_device.c) for that reason; a single-queue tap reports no counts and
 * is never an orphan.
 *
 * A tap made by tcwire wire is never an orphan either, whatever its name:
 * root made it persistent for a VM that libvirt starts and stops, and
 * nobody holds it while that VM is stopped. Only tcwire unwire deletes it.
 *
 * Return: true for a persistent multiqueue "tcw<N>" tap, not marked as
 *	   tcwire wire's (@persistent_wire), with no queue attached and none
 *	   detached: no fd holds it
 */
bool tcw_tap_orphaned(const char *name, const char *kind,
		      bool persistent_wire, const struct tcw_tun_state *st);

/**
 * tcw_tap_is_orphan() - Whether a device is a tcwire tap nobody holds
 * @nl:		rtnetlink socket
 * @link:	Device
 *
 * As tcw_tap_orphaned(), with the tun state asked of the kernel.
 *
 * Return: true if @link is a persistent "tcw*" tap that no fd holds
 */
bool tcw_tap_is_orphan(struct tcw_nl *nl, struct rtnl_link *link);

#endif /* TCWIRE_WIRE_MODEL_H */
