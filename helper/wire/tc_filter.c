/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - the tcwire filter: one kind, built, recognised and printed here
 *
 * See tc_filter.h. Why u32: it is everywhere, while matchall and flower
 * are modules that some kernels (this project's CI among them) do not
 * have (vrnetlab#345). Why a key node of the root hash table, and not just
 * "a u32 filter at our priority": see the theory of operation of
 * wire_model.c (all u32 instances of a qdisc share their hash tables).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/if_ether.h>
#include <linux/tc_act/tc_mirred.h>

#include <netlink/route/act/mirred.h>
#include <netlink/route/cls/u32.h>
#include <netlink/route/tc.h>

#include "wire/tc_filter.h"

/* See tc_filter.h */
void tcw_filter_init(struct rtnl_cls *cls, int ifindex)
{
	rtnl_tc_set_ifindex(TC_CAST(cls), ifindex);
	rtnl_tc_set_parent(TC_CAST(cls), TCW_INGRESS_PARENT);
	rtnl_tc_set_kind(TC_CAST(cls), "u32");
	rtnl_tc_set_chain(TC_CAST(cls), 0);
	rtnl_cls_set_prio(cls, TCW_FILTER_PRIO);
	rtnl_cls_set_protocol(cls, ETH_P_ALL);
}

/* See tc_filter.h */
int tcw_filter_set_redirect(struct rtnl_cls *cls, struct rtnl_act *act,
			    int to)
{
	/*
	 * No explicit handle: u32 hash table ids are shared by all u32
	 * filters of the device's block, so 800::800 may belong to another
	 * priority. Duplicates are prevented by the wire lock and by clearing
	 * stale wires first.
	 */
	if (rtnl_u32_add_key_uint32(cls, 0, 0, 0, 0) < 0 ||
	    rtnl_u32_set_cls_terminal(cls) < 0)
		return -ENOMEM;
	rtnl_tc_set_kind(TC_CAST(act), "mirred");
	/* Positive return means "unsupported" here, not success */
	if (rtnl_mirred_set_action(act, TCA_EGRESS_REDIR) != 0 ||
	    rtnl_mirred_set_policy(act, TC_ACT_STOLEN) != 0 ||
	    rtnl_mirred_set_ifindex(act, (uint32_t)to) != 0)
		return -EINVAL;
	return rtnl_u32_add_action(cls, act) < 0 ? -ENOMEM : 0;
}

/* See tc_filter.h */
uint32_t tcw_filter_chain(struct rtnl_cls *cls)
{
	uint32_t chain = 0;

	if (rtnl_tc_get_chain(TC_CAST(cls), &chain) < 0)
		chain = 0;
	return chain;
}

/* See tc_filter.h */
bool tcw_filter_in_our_place(struct rtnl_cls *cls)
{
	return rtnl_cls_get_prio(cls) == TCW_FILTER_PRIO &&
	       tcw_filter_chain(cls) == 0;
}

/* Whether @cls is a u32 filter at tcwire's priority */
static bool u32_at_our_prio(struct rtnl_cls *cls)
{
	const char *kind = rtnl_tc_get_kind(TC_CAST(cls));

	return rtnl_cls_get_prio(cls) == TCW_FILTER_PRIO && kind &&
	       !strcmp(kind, "u32");
}

/* See tc_filter.h */
bool tcw_filter_is_u32_node(struct rtnl_cls *cls, uint32_t root_htid)
{
	const char *kind = rtnl_tc_get_kind(TC_CAST(cls));
	uint32_t handle = rtnl_tc_get_handle(TC_CAST(cls));

	return kind && !strcmp(kind, "u32") && root_htid &&
	       TCW_U32_HTID(handle) == root_htid && TCW_U32_NODE(handle);
}

/* See tc_filter.h */
bool tcw_filter_is_u32_instance(struct rtnl_cls *cls)
{
	return u32_at_our_prio(cls) && rtnl_tc_get_handle(TC_CAST(cls)) == 0;
}

/* See tc_filter.h */
bool tcw_filter_is_u32_table(struct rtnl_cls *cls)
{
	uint32_t handle = rtnl_tc_get_handle(TC_CAST(cls));

	return u32_at_our_prio(cls) && handle && !TCW_U32_NODE(handle);
}

/* The target of @cls's first mirred egress redirect, or -1 if none */
static int mirred_redirect_target(struct rtnl_cls *cls)
{
	struct rtnl_act *act;

	for (act = rtnl_u32_get_action(cls); act; act = rtnl_act_next(act)) {
		const char *kind = rtnl_tc_get_kind(TC_CAST(act));

		if (kind && !strcmp(kind, "mirred") &&
		    rtnl_mirred_get_action(act) == TCA_EGRESS_REDIR)
			return (int)rtnl_mirred_get_ifindex(act);
	}
	return -1;
}

/* See tc_filter.h */
bool tcw_filter_redirect_target(struct rtnl_cls *cls, uint32_t root_htid,
				int *target)
{
	int t;

	if (!tcw_filter_in_our_place(cls) ||
	    !tcw_filter_is_u32_node(cls, root_htid))
		return false;
	t = mirred_redirect_target(cls);
	if (t < 0)
		return false;
	*target = t;
	return true;
}

/* See tc_filter.h */
bool tcw_filter_is_foreign(struct rtnl_cls *cls, uint32_t root_htid)
{
	const char *kind = rtnl_tc_get_kind(TC_CAST(cls));
	int target;

	if (!tcw_filter_in_our_place(cls))
		return false;
	if (!kind || strcmp(kind, "u32"))
		return true;		/* another classifier in our place */
	if (!tcw_filter_is_u32_node(cls, root_htid))
		return false;		/* a hash table, or not our instance */
	return !tcw_filter_redirect_target(cls, root_htid, &target);
}

/* See tc_filter.h */
char *tcw_filter_print_add(char *buf, size_t len, const char *dev,
			   const char *to_dev)
{
	snprintf(buf, len,
		 "tc filter add dev %s ingress pref %d protocol all u32 match u8 0 0 action mirred egress redirect dev %s",
		 dev, TCW_FILTER_PRIO, to_dev);
	return buf;
}

/* See tc_filter.h */
char *tcw_filter_print_del(char *buf, size_t len, const char *dev)
{
	snprintf(buf, len, "tc filter del dev %s ingress pref %d", dev,
		 TCW_FILTER_PRIO);
	return buf;
}

/* See tc_filter.h */
char *tcw_filter_print_show(char *buf, size_t len, const char *dev)
{
	snprintf(buf, len, "tc filter show dev %s ingress pref %d", dev,
		 TCW_FILTER_PRIO);
	return buf;
}
