/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - the tcwire filter: one kind, built, recognised and printed here
 *
 * See tc_filter.h. Why u32: it is everywhere, while matchall and flower
 * are modules that some kernels (this project's CI among them) do not
 * have (vrnetlab#345). Why a key node of the root hash table, and not just
 * "a u32 filter at our priority": see the theory of operation of
 * wire_model.c (all u32 instances of a qdisc share their hash tables).
 */
#include <arpa/inet.h>
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

/*
 * A u32 key as the kernel holds it: 32 bits at a 4-aligned offset from
 * the network header, value and mask in network byte order
 */
struct u32_key {
	uint32_t val;
	uint32_t mask;
	int off;
};

/* Most keys of one of tcwire's passthrough nodes */
#define MGMT_MAX_KEYS	5

/* The key "u8 @val @mask at @at", as tc(8) and libnl pack it */
static struct u32_key key_u8(uint8_t val, uint8_t mask, int at)
{
	int shift = 24 - 8 * (at & 3);

	return (struct u32_key){ htonl((uint32_t)val << shift),
				 htonl((uint32_t)mask << shift), at & ~3 };
}

/* The key "u16 @val @mask at @at" (@at even) */
static struct u32_key key_u16(uint16_t val, uint16_t mask, int at)
{
	int shift = (at & 3) ? 0 : 16;

	return (struct u32_key){ htonl((uint32_t)val << shift),
				 htonl((uint32_t)mask << shift), at & ~3 };
}

/* The key on the Ethernet type, in front of the network header */
static struct u32_key key_ethertype(uint16_t type)
{
	return key_u16(type, 0xffff, -2);
}

/*
 * The keys of a local exception: IPv4 without options (IHL 5), not a
 * later fragment, TCP; or IPv6 whose next header is TCP (no extension
 * header); then the destination port. Return: the number of keys.
 */
static unsigned int mgmt_local_keys(bool ipv6, const struct tcw_port_block *b,
				    struct u32_key *k)
{
	if (ipv6) {
		k[0] = key_ethertype(ETH_P_IPV6);
		k[1] = key_u8(IPPROTO_TCP, 0xff, 6);
		k[2] = key_u16(b->value, b->mask, 40 + 2);
		return 3;
	}
	k[0] = key_ethertype(ETH_P_IP);
	k[1] = key_u8(0x45, 0xff, 0);
	k[2] = key_u16(0, 0x1fff, 6);
	k[3] = key_u8(IPPROTO_TCP, 0xff, 9);
	k[4] = key_u16(b->value, b->mask, 20 + 2);
	return 5;
}

/* The keys of a mirror exception. Return: the number of keys. */
static unsigned int mgmt_mirror_keys(enum tcw_mgmt_mirror what,
				     struct u32_key *k)
{
	if (what == TCW_MIRROR_ARP) {
		k[0] = key_ethertype(ETH_P_ARP);
		return 1;
	}
	k[0] = key_ethertype(ETH_P_IPV6);
	k[1] = key_u8(IPPROTO_ICMPV6, 0xff, 6);
	if (what == TCW_MIRROR_ND_LOW)
		k[2] = key_u8(132, 0xfc, 40);	/* 132-135 */
	else
		k[2] = key_u8(136, 0xfe, 40);	/* 136-137 */
	return 3;
}

/* Add @n keys to @cls and make it terminal */
static int add_keys(struct rtnl_cls *cls, const struct u32_key *k,
		    unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (rtnl_u32_add_key(cls, k[i].val, k[i].mask, k[i].off, 0) < 0)
			return -ENOMEM;
	return rtnl_u32_set_cls_terminal(cls) < 0 ? -ENOMEM : 0;
}

/* See tc_filter.h */
int tcw_filter_set_mgmt_local(struct rtnl_cls *cls, bool ipv6,
			      const struct tcw_port_block *b)
{
	struct u32_key k[MGMT_MAX_KEYS];

	/* No action: a terminal match ends classification with "ok" */
	return add_keys(cls, k, mgmt_local_keys(ipv6, b, k));
}

/* See tc_filter.h */
int tcw_filter_set_mgmt_mirror(struct rtnl_cls *cls, struct rtnl_act *act,
			       enum tcw_mgmt_mirror what, int to)
{
	struct u32_key k[MGMT_MAX_KEYS];
	int rc = add_keys(cls, k, mgmt_mirror_keys(what, k));

	if (rc)
		return rc;
	rtnl_tc_set_kind(TC_CAST(act), "mirred");
	/* the copy goes to the tap; the frame itself goes on ("pass") */
	if (rtnl_mirred_set_action(act, TCA_EGRESS_MIRROR) != 0 ||
	    rtnl_mirred_set_policy(act, TC_ACT_OK) != 0 ||
	    rtnl_mirred_set_ifindex(act, (uint32_t)to) != 0)
		return -EINVAL;
	return rtnl_u32_add_action(cls, act) < 0 ? -ENOMEM : 0;
}

/* Read up to @max keys of @cls; return how many it has (up to @max + 1) */
static unsigned int get_keys(struct rtnl_cls *cls, struct u32_key *k,
			     unsigned int max)
{
	unsigned int n;
	int offmask;

	for (n = 0; n <= max; n++) {
		struct u32_key dummy;
		struct u32_key *d = n < max ? &k[n] : &dummy;

		if (rtnl_u32_get_key(cls, (uint8_t)n, &d->val, &d->mask,
				     &d->off, &offmask) < 0)
			break;
	}
	return n;
}

/* Whether @got (@n keys) equals @want (@m keys) */
static bool keys_equal(const struct u32_key *got, unsigned int n,
		       const struct u32_key *want, unsigned int m)
{
	unsigned int i;

	if (n != m)
		return false;
	for (i = 0; i < n; i++)
		if (got[i].val != want[i].val || got[i].mask != want[i].mask ||
		    got[i].off != want[i].off)
			return false;
	return true;
}

/* Whether @k (@n keys) are a local exception's; its ports into @b */
static bool is_mgmt_local(const struct u32_key *k, unsigned int n,
			  struct tcw_port_block *b, bool *ipv6)
{
	struct u32_key want[MGMT_MAX_KEYS];
	int v6;

	if (n < 3)
		return false;
	/* the ports are in the low half of the last key (offset % 4 == 2) */
	b->value = (uint16_t)(ntohl(k[n - 1].val) & 0xffff);
	b->mask = (uint16_t)(ntohl(k[n - 1].mask) & 0xffff);
	for (v6 = 0; v6 < 2; v6++)
		if (keys_equal(k, n, want, mgmt_local_keys(v6, b, want))) {
			*ipv6 = v6;
			return true;
		}
	return false;
}

/* Whether @k (@n keys) are a mirror exception's */
static bool is_mgmt_mirror(const struct u32_key *k, unsigned int n)
{
	struct u32_key want[MGMT_MAX_KEYS];
	int what;

	for (what = 0; what < TCW_MIRROR_KINDS; what++)
		if (keys_equal(k, n, want, mgmt_mirror_keys(what, want)))
			return true;
	return false;
}

/* The target of @cls's first mirred action of kind @eaction, or -1 */
static int mirred_target(struct rtnl_cls *cls, int eaction)
{
	struct rtnl_act *act;

	for (act = rtnl_u32_get_action(cls); act; act = rtnl_act_next(act)) {
		const char *kind = rtnl_tc_get_kind(TC_CAST(act));

		if (kind && !strcmp(kind, "mirred") &&
		    rtnl_mirred_get_action(act) == eaction)
			return (int)rtnl_mirred_get_ifindex(act);
	}
	return -1;
}

/* See tc_filter.h */
enum tcw_node_kind tcw_filter_node_kind(struct rtnl_cls *cls,
					uint32_t root_htid, int *target,
					struct tcw_port_block *block,
					bool *ipv6)
{
	struct u32_key k[MGMT_MAX_KEYS];
	struct tcw_port_block b;
	unsigned int n;
	bool v6;

	if (!tcw_filter_in_our_place(cls) ||
	    !tcw_filter_is_u32_node(cls, root_htid))
		return TCW_NODE_OTHER;
	*target = mirred_target(cls, TCA_EGRESS_REDIR);
	if (*target >= 0)
		return TCW_NODE_REDIRECT;
	n = get_keys(cls, k, MGMT_MAX_KEYS);
	*target = mirred_target(cls, TCA_EGRESS_MIRROR);
	if (*target >= 0)
		return is_mgmt_mirror(k, n) ? TCW_NODE_MGMT_MIRROR :
					      TCW_NODE_OTHER;
	if (rtnl_u32_get_action(cls) || !is_mgmt_local(k, n, &b, &v6))
		return TCW_NODE_OTHER;
	if (block)
		*block = b;
	if (ipv6)
		*ipv6 = v6;
	return TCW_NODE_MGMT_LOCAL;
}

/* See tc_filter.h */
char *tcw_filter_print_mgmt(char *buf, size_t len,
			    const struct tcw_port_block *blocks,
			    unsigned int n)
{
	size_t used;
	unsigned int i;

	used = (size_t)snprintf(buf, len, "tcp ");
	for (i = 0; i < n && used < len; i++) {
		char one[16];

		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? "," : "",
					 tcw_port_block_print(one, sizeof(one),
							      &blocks[i]));
	}
	if (used < len)
		snprintf(buf + used, len - used, "%s local; arp, nd to both",
			 n ? "" : "none");
	return buf;
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
	return tcw_filter_node_kind(cls, root_htid, &target, NULL, NULL) ==
	       TCW_NODE_OTHER;
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
