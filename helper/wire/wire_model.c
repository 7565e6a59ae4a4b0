/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - the wire model: what a tcwire filter is, read from kernel state
 *
 * Theory of operation
 *
 * tcwire keeps no state of its own: a wire is recognised in the kernel.
 * One end of a wire is a filter on a device's ingress hook with (the
 * filter kind itself is defined in tc_filter.c)
 *
 *	priority TCW_FILTER_PRIO, chain 0, kind u32, a key node in the root
 *	hash table of that u32 instance, and a mirred egress redirect action
 *
 * Anything else at that priority on chain 0 of the ingress hook is
 * "foreign": somebody else's filter in the place tcwire needs. Filters at
 * the same priority on other chains or on the clsact egress hook are not
 * tcwire's and are not in its way; they are neither wires nor foreign.
 *
 * u32 makes this subtle. All u32 instances of one qdisc (ingress and
 * egress of a clsact, every chain) share one list of hash tables, and a
 * dump of one instance lists every hash table of its priority from that
 * common list, each reported with the dumped instance's chain and parent.
 * So the dump alone cannot tell an egress or chain-7 redirect from ours.
 * The kernel can: asked for the handle ffff: on our priority and chain, it
 * answers with the root hash table of exactly that instance. Our key nodes
 * are the ones in that table. Other hash tables (an administrator's
 * "handle 5: u32 divisor 16") are left alone: they steer nothing unless a
 * node of the root table links to them, and such a node would be foreign.
 *
 * Taps, and which of them may be deleted. The helper's taps are named
 * tcw<N> and live as long as an fd holds them. One whose holder made it
 * persistent and let go is an orphan (tcw_tap_orphaned()): it keeps its
 * partner "wired" to nothing, so the helper deletes it when it wires that
 * partner again. The taps of tcwire wire (root, libvirt's qemu:///system)
 * are persistent by design and held by nobody while their VM is stopped:
 * they are never orphans. Two things keep them apart, each enough alone:
 * their names are never tcw<N> (tcwire wire refuses those), and their
 * alias carries the mark TCW_PERSISTENT_ALIAS_PREFIX, which only
 * CAP_NET_ADMIN can set.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/gen_stats.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_mirred.h>

#include <netlink/msg.h>
#include <netlink/route/act/mirred.h>
#include <netlink/route/action.h>
#include <netlink/route/cls/u32.h>
#include <netlink/route/tc.h>

#include "client/ifname.h"
#include "wire/wire_model.h"


/*
 * Action counters, read from the dump messages themselves: libnl parses
 * actions but not their TCA_ACT_STATS. Kept for u32 key nodes at our
 * priority, by handle (u32 handles are unique on a qdisc).
 */
#define HOOK_STATS_MAX	(2 * TCW_SCAN_MAX)

/**
 * struct hook_dump - One dump of a hook's filters
 * @cache:	The filters as libnl objects
 * @handle:	Handles of the nodes whose counters are in @stats
 * @stats:	The counters of each node's first mirred action
 * @n:		Number of @stats
 */
struct hook_dump {
	struct nl_cache *cache;
	uint32_t handle[HOOK_STATS_MAX];
	struct tcw_act_stats stats[HOOK_STATS_MAX];
	unsigned int n;
};

/* Read TCA_ACT_STATS (nested in one action) into @st */
static void act_stats_parse(struct nlattr *stats_attr, struct tcw_act_stats *st)
{
	struct nlattr *tb[TCA_STATS_MAX + 1];
	struct gnet_stats_basic basic;
	struct gnet_stats_queue queue;

	if (nla_parse_nested(tb, TCA_STATS_MAX, stats_attr, NULL) < 0)
		return;
	if (tb[TCA_STATS_BASIC] && nla_len(tb[TCA_STATS_BASIC]) >= (int)sizeof(basic)) {
		memcpy(&basic, nla_data(tb[TCA_STATS_BASIC]), sizeof(basic));
		st->bytes = basic.bytes;
		st->packets = basic.packets;
	}
	/* 32-bit packets in the basic counters; newer kernels add 64 */
	if (tb[TCA_STATS_PKT64] && nla_len(tb[TCA_STATS_PKT64]) >= 8)
		st->packets = nla_get_u64(tb[TCA_STATS_PKT64]);
	if (tb[TCA_STATS_QUEUE] && nla_len(tb[TCA_STATS_QUEUE]) >= (int)sizeof(queue)) {
		memcpy(&queue, nla_data(tb[TCA_STATS_QUEUE]), sizeof(queue));
		st->drops = queue.drops;
		st->overlimits = queue.overlimits;
	}
}

/* The counters of the first mirred action in a u32 filter's options */
static bool u32_mirred_stats(struct nlattr *options, struct tcw_act_stats *st)
{
	struct nlattr *u32[TCA_U32_MAX + 1], *act, *a[TCA_ACT_MAX + 1];
	int rem;

	if (nla_parse_nested(u32, TCA_U32_MAX, options, NULL) < 0 ||
	    !u32[TCA_U32_ACT])
		return false;
	nla_for_each_nested(act, u32[TCA_U32_ACT], rem) {
		if (nla_parse_nested(a, TCA_ACT_MAX, act, NULL) < 0 ||
		    !a[TCA_ACT_KIND] || !a[TCA_ACT_STATS] ||
		    strcmp(nla_get_string(a[TCA_ACT_KIND]), "mirred"))
			continue;
		act_stats_parse(a[TCA_ACT_STATS], st);
		return true;
	}
	return false;
}

/* NL_CB_VALID handler of hook_dump_take(): object plus counters */
static int hook_dump_parse(struct nl_msg *msg, void *arg)
{
	struct hook_dump *d = arg;
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct nlattr *tb[TCA_MAX + 1];
	const struct tcmsg *tcm;

	if (nl_cache_parse_and_add(d->cache, msg) < 0)
		return NL_SKIP;
	if (!nlmsg_valid_hdr(hdr, sizeof(*tcm)) ||
	    nlmsg_parse(hdr, sizeof(*tcm), tb, TCA_MAX, NULL) < 0)
		return NL_OK;
	tcm = nlmsg_data(hdr);
	if (TC_H_MAJ(tcm->tcm_info) >> 16 != TCW_FILTER_PRIO ||
	    !TCW_U32_NODE(tcm->tcm_handle) || !tb[TCA_KIND] || !tb[TCA_OPTIONS] ||
	    strcmp(nla_get_string(tb[TCA_KIND]), "u32") ||
	    d->n == HOOK_STATS_MAX)
		return NL_OK;
	memset(&d->stats[d->n], 0, sizeof(d->stats[d->n]));
	if (u32_mirred_stats(tb[TCA_OPTIONS], &d->stats[d->n]))
		d->handle[d->n++] = tcm->tcm_handle;
	return NL_OK;
}

/*
 * Dump the filters of @ifindex's hook @parent into @d (one request).
 * Return: 0, -EINVAL or -ENOENT when there is no such hook, or negative
 * errno; d->cache is set only on success.
 * #syscalls sendmsg recvmsg
 */
static int hook_dump_take(struct tcw_nl *nl, int ifindex, uint32_t parent,
			  struct hook_dump *d)
{
	struct tcmsg tcm = {
		.tcm_family = AF_UNSPEC,
		.tcm_ifindex = ifindex,
		.tcm_parent = parent,
	};
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETTFILTER, 0);
	int rc = -ENOMEM;

	memset(d, 0, sizeof(*d));
	if (msg && nl_cache_alloc_name("route/cls", &d->cache) == 0 &&
	    nlmsg_append(msg, &tcm, sizeof(tcm), NLMSG_ALIGNTO) == 0)
		rc = tcw_nl_dump(nl, msg, hook_dump_parse, d);
	nlmsg_free(msg);
	if (rc < 0 && d->cache) {
		nl_cache_free(d->cache);
		d->cache = NULL;
	}
	return rc;
}

/* The counters @d holds for the node @handle, zero if none */
static struct tcw_act_stats hook_dump_stats(const struct hook_dump *d,
					    uint32_t handle)
{
	struct tcw_act_stats none = { 0, 0, 0, 0 };
	unsigned int i;

	for (i = 0; i < d->n; i++)
		if (d->handle[i] == handle)
			return d->stats[i];
	return none;
}

/* NL_CB_VALID handler of u32_root_htid(): the answer's handle */
static int root_htid_parse(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	const struct tcmsg *tcm;

	if (hdr->nlmsg_type != RTM_NEWTFILTER ||
	    !nlmsg_valid_hdr(hdr, sizeof(*tcm)))
		return NL_SKIP;
	tcm = nlmsg_data(hdr);
	*(uint32_t *)arg = tcm->tcm_handle;
	return NL_OK;
}

/**
 * u32_root_htid() - Ask the kernel for the root hash table of the u32
 *			 filter at tcwire's priority on one hook and chain
 * @nl:		rtnetlink socket
 * @ifindex:	Device
 * @parent:	Hook: TCW_INGRESS_PARENT or the clsact egress parent
 * @chain:	Chain
 * @htid:	Result: the hash table id (e.g. 0x80000000 for 800:)
 *
 * u32 keeps the hash tables of all its instances on one qdisc in a common
 * list, so a dump of one instance lists hash tables of other chains and of
 * the clsact egress hook too. Only the root hash table (asked for by the
 * handle ffff:) tells which key nodes are really on our hook and chain.
 * Needs no privileges.
 *
 * Return: 0, -ENOENT if there is no filter at that priority, -EINVAL if
 *	   the filter there is not u32 with protocol all, or negative errno
 */
static int u32_root_htid(struct tcw_nl *nl, int ifindex, uint32_t parent,
		      uint32_t chain, uint32_t *htid)
{
	struct tcmsg tcm = {
		.tcm_family = AF_UNSPEC,
		.tcm_ifindex = ifindex,
		.tcm_handle = TCW_U32_ROOT,
		.tcm_parent = parent,
		.tcm_info = TC_H_MAKE((uint32_t)TCW_FILTER_PRIO << 16,
				      htons(ETH_P_ALL)),
	};
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETTFILTER, 0);
	int rc = -ENOMEM;

	*htid = 0;
	if (msg && nlmsg_append(msg, &tcm, sizeof(tcm), NLMSG_ALIGNTO) == 0 &&
	    nla_put_string(msg, TCA_KIND, "u32") == 0 &&
	    nla_put_u32(msg, TCA_CHAIN, chain) == 0)
		rc = tcw_nl_get(nl, msg, root_htid_parse, htid);
	nlmsg_free(msg);
	if (rc == 0 && (!*htid || TCW_U32_NODE(*htid)))
		rc = -EIO;	/* an answer that was not a hash table */
	return rc;
}

/**
 * struct u32_roots - Root hash tables of the u32 instances at our priority
 * @htid:	Their ids
 * @n:		Number of @htid
 */
struct u32_roots {
	uint32_t htid[64];
	unsigned int n;
};

/* Add the roots of the u32 instances at our priority in @cache (@parent) */
static int roots_collect(struct tcw_nl *nl, int ifindex, uint32_t parent,
			 struct nl_cache *cache, struct u32_roots *roots)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_cls *cls = (struct rtnl_cls *)obj;
		uint32_t htid;
		int rc;

		if (!tcw_filter_is_u32_instance(cls) || roots->n == 64)
			continue;
		rc = u32_root_htid(nl, ifindex, parent, tcw_filter_chain(cls),
				       &htid);
		if (rc == 0)
			roots->htid[roots->n++] = htid;
		else if (rc != -ENOENT && rc != -EINVAL)
			return rc;
	}
	return 0;
}

/* Whether @htid is one of @roots */
static bool roots_contain(const struct u32_roots *roots, uint32_t htid)
{
	unsigned int i;

	for (i = 0; i < roots->n; i++)
		if (roots->htid[i] == htid)
			return true;
	return false;
}

/*
 * Whether a u32 hash table at our priority in @ingress is somebody's own
 * (handle 5: divisor 16), not the root of some u32 instance. Deleting our
 * last key node destroys the instance with every table in it, so such a
 * table makes our priority foreign. Only called when a table other than
 * our root is listed: then the roots of all instances at our priority, on
 * the ingress and the egress hook, are asked for.
 * #syscalls sendmsg recvmsg
 */
static int scan_find_own_tables(struct tcw_nl *nl, int ifindex,
				struct nl_cache *ingress, bool *found)
{
	const uint32_t egress = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS);
	struct nl_cache *eg = NULL;
	struct u32_roots roots = { .n = 0 };
	struct nl_object *obj;
	int rc;

	*found = false;
	rc = roots_collect(nl, ifindex, TCW_INGRESS_PARENT, ingress, &roots);
	if (rc == 0) {
		rc = tcw_nl_call(nl, rtnl_cls_alloc_cache(nl->sk, ifindex,
							   egress, &eg));
		if (rc == 0)
			rc = roots_collect(nl, ifindex, egress, eg, &roots);
		else if (rc == -EINVAL || rc == -ENOENT)
			rc = 0;		/* no egress hook */
	}
	for (obj = nl_cache_get_first(ingress); rc == 0 && obj;
	     obj = nl_cache_get_next(obj)) {
		struct rtnl_cls *cls = (struct rtnl_cls *)obj;

		if (tcw_filter_is_u32_table(cls) &&
		    !roots_contain(&roots, rtnl_tc_get_handle(TC_CAST(cls))))
			*found = true;
	}
	if (eg)
		nl_cache_free(eg);
	return rc;
}

/* Whether @cache lists a u32 table at our priority other than @root_htid */
static bool cache_has_other_tables(struct nl_cache *cache, uint32_t root_htid)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_cls *cls = (struct rtnl_cls *)obj;

		if (tcw_filter_is_u32_table(cls) &&
		    rtnl_tc_get_handle(TC_CAST(cls)) != root_htid)
			return true;
	}
	return false;
}

/* Whether the dump @cache has a u32 filter in tcwire's place */
static bool cache_has_our_u32(struct nl_cache *cache)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_cls *cls = (struct rtnl_cls *)obj;
		const char *kind = rtnl_tc_get_kind(TC_CAST(cls));

		if (tcw_filter_in_our_place(cls) && kind && !strcmp(kind, "u32"))
			return true;
	}
	return false;
}

/*
 * The root table of our u32 instance, read off the dump when that is
 * unambiguous. Every u32 instance of a qdisc lists all tables of its
 * priority and has a root table of its own; so when the dump shows our
 * chain-0 instance (protocol all) and exactly one table at our priority,
 * that table is its root. This spares the kernel query on every wired
 * device (tcwire status scans hundreds); anything else asks the kernel.
 */
static bool root_htid_from_dump(struct nl_cache *cache, uint32_t *htid)
{
	unsigned int tables = 0;
	bool instance = false;
	struct nl_object *obj;

	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_cls *cls = (struct rtnl_cls *)obj;

		if (tcw_filter_is_u32_instance(cls) && tcw_filter_chain(cls) == 0 &&
		    rtnl_cls_get_protocol(cls) == ETH_P_ALL)
			instance = true;
		if (tcw_filter_is_u32_table(cls)) {
			tables++;
			*htid = rtnl_tc_get_handle(TC_CAST(cls));
		}
	}
	if (instance && tables == 1)
		return true;
	*htid = 0;
	return false;
}

/* Sort the filters of @d into @scan, given the root table */
static void scan_classify(const struct hook_dump *d,
			  struct tcw_ingress_scan *scan)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(d->cache); obj;
	     obj = nl_cache_get_next(obj)) {
		struct rtnl_cls *cls = (struct rtnl_cls *)obj;
		int target;

		scan->filters++;
		if (tcw_filter_in_our_place(cls) && tcw_filter_is_u32_node(cls, scan->root_htid))
			scan->root_nodes++;
		if (tcw_filter_redirect_target(cls, scan->root_htid, &target)) {
			if (scan->n == TCW_SCAN_MAX) {
				scan->overflow = true;
				continue;
			}
			scan->r[scan->n].handle =
				rtnl_tc_get_handle(TC_CAST(cls));
			scan->r[scan->n].stats =
				hook_dump_stats(d, scan->r[scan->n].handle);
			scan->r[scan->n++].target_ifindex = target;
		} else if (tcw_filter_is_foreign(cls, scan->root_htid)) {
			scan->foreign = true;
		}
	}
}

/*
 * See wire_model.h
 * #syscalls sendmsg recvmsg
 */
int tcw_ingress_scan(struct tcw_nl *nl, int ifindex,
		     struct tcw_ingress_scan *scan)
{
	struct hook_dump d;
	struct nl_cache *cache;
	int rc;

	memset(scan, 0, sizeof(*scan));
	rc = hook_dump_take(nl, ifindex, TCW_INGRESS_PARENT, &d);
	cache = d.cache;
	if (rc == -EINVAL || rc == -ENOENT)
		return 0;	/* no ingress hook: nothing of anybody's */
	if (rc < 0)
		return rc;
	scan->hook = true;
	if (cache_has_our_u32(cache) &&
	    !root_htid_from_dump(cache, &scan->root_htid)) {
		rc = u32_root_htid(nl, ifindex, TCW_INGRESS_PARENT, 0,
				       &scan->root_htid);
		if (rc == -EINVAL)	/* u32 with another protocol */
			scan->foreign = true;
		else if (rc < 0 && rc != -ENOENT)
			goto out;
	}
	scan_classify(&d, scan);
	rc = 0;
	if (scan->root_htid && cache_has_other_tables(cache, scan->root_htid)) {
		bool own_tables;

		rc = scan_find_own_tables(nl, ifindex, cache, &own_tables);
		scan->foreign |= own_tables;
	}
out:
	nl_cache_free(cache);
	return rc;
}

/* See wire_model.h */
bool tcw_tap_orphaned(const char *name, const char *kind,
		      bool persistent_wire, const struct tcw_tun_state *st)
{
	if (!kind || strcmp(kind, "tun") || !tcw_ifname_is_tcwire_tap(name) ||
	    persistent_wire || !st->persist)
		return false;
	/* Unknown counts (a single-queue tap) are never an orphan */
	return st->queues == 0 && st->disabled == 0;
}

/* See wire_model.h */
bool tcw_tap_is_orphan(struct tcw_nl *nl, struct rtnl_link *link)
{
	struct tcw_tun_state st;
	const char *kind = rtnl_link_get_type(link);
	char partner[IFNAMSIZ];
	bool persistent = false;

	if (!kind || strcmp(kind, "tun") ||
	    !tcw_ifname_is_tcwire_tap(rtnl_link_get_name(link)))
		return false;
	if (tcw_tun_state_get(nl, rtnl_link_get_ifindex(link), &st) < 0)
		return false;
	tcw_tap_alias_partner(rtnl_link_get_ifalias(link), partner, &persistent);
	return tcw_tap_orphaned(rtnl_link_get_name(link), kind, persistent, &st);
}

/* See wire_model.h */
const char *tcw_tap_alias(char *buf, size_t len, const char *partner)
{
	snprintf(buf, len, TCW_TAP_ALIAS_PREFIX "%s", partner);
	return buf;
}

/* See wire_model.h */
const char *tcw_persistent_alias(char *buf, size_t len, const char *partner)
{
	snprintf(buf, len, TCW_PERSISTENT_ALIAS_PREFIX "%s", partner);
	return buf;
}

/* See wire_model.h */
bool tcw_tap_alias_partner(const char *alias, char *partner,
			   bool *persistent)
{
	size_t n = sizeof(TCW_TAP_ALIAS_PREFIX) - 1;
	size_t np = sizeof(TCW_PERSISTENT_ALIAS_PREFIX) - 1;
	bool is_persistent = alias && !strncmp(alias, TCW_PERSISTENT_ALIAS_PREFIX, np);
	struct tcw_err err;

	if (persistent)
		*persistent = false;
	if (is_persistent)
		n = np;
	else if (!alias || strncmp(alias, TCW_TAP_ALIAS_PREFIX, n))
		return false;
	if (tcw_ifname_check(alias + n, &err))
		return false;
	snprintf(partner, IFNAMSIZ, "%s", alias + n);
	if (persistent)
		*persistent = is_persistent;
	return true;
}
