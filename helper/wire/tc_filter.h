/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - the tcwire filter: one kind, built, recognised and printed here
 *
 * One end of a wire is one filter on a device's ingress hook:
 *
 *	tc filter add dev FROM ingress pref 29795 protocol all \
 *		u32 match u8 0 0 action mirred egress redirect dev TO
 *
 * This module is its one definition, kept together as iproute2's
 * tc/f_u32.c keeps a filter kind: the fields that identify it and the
 * match-all key and action that make it (used by tc_wire.c to add and
 * remove it), the rule that recognises it in a dump (used by the wire
 * model's scan), and the tc(8) commands that add or remove it by hand
 * (used by tcwire doctor). No other file knows its shape.
 *
 * A management passthrough (helper/mgmt_wire.c) puts exceptions in front
 * of the partner's redirect, as more key nodes of the same u32 instance
 * (same priority, same root hash table; u32 tries a table's nodes in the
 * order of their node ids, and the redirect is added last):
 *
 *	local:   TCP to a port block the container serves itself (its
 *		 console ports), IPv4 or IPv6: terminal, no action, so the
 *		 frame goes on to the container's stack
 *	  ... u32 match u16 0x0800 0xffff at -2 match u8 0x45 0xff at 0 \
 *		  match u16 0 0x1fff at 6 match u8 6 0xff at 9 \
 *		  match u16 0x1388 0xfff8 at 22			(5000-5007)
 *	  ... u32 match u16 0x86dd 0xffff at -2 match u8 6 0xff at 6 \
 *		  match u16 0x1388 0xfff8 at 42
 *	mirror:  ARP, and ICMPv6 router and neighbour discovery (types
 *		 133-137): a copy to the tap, the frame goes on to the
 *		 container too (mirred egress mirror, then ok)
 *	  ... u32 match u16 0x0806 0xffff at -2 action mirred egress mirror dev TAP pass
 *
 * "at -2" is the Ethernet type: u32's offsets count from the network
 * header, and the MAC header is still in front of it on ingress.
 */
#ifndef TCWIRE_TC_FILTER_H
#define TCWIRE_TC_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pkt_sched.h>
#include <netlink/route/action.h>
#include <netlink/route/classifier.h>

#include "client/port_blocks.h"

/* tcwire owns this filter priority on the ingress hook of wired devices */
#define TCW_FILTER_PRIO		0x7463		/* 29795, "tc" in ASCII */

/* Filters go to the ingress hook; this parent works for ingress and clsact */
#define TCW_INGRESS_PARENT	TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)

/* The parts of a u32 handle (htid:hash:node) */
#define TCW_U32_HTID(h)		((h) & 0xfff00000u)	/* hash table */
#define TCW_U32_NODE(h)		((h) & 0x00000fffu)	/* key node */
#define TCW_U32_ROOT		0xfff00000u		/* "the root table" */

/* The kinds of node in a tcwire u32 instance (tcw_filter_node_kind()) */
enum tcw_node_kind {
	TCW_NODE_OTHER,		/* not one of tcwire's */
	TCW_NODE_REDIRECT,	/* the wire: match-all, mirred egress redirect */
	TCW_NODE_MGMT_LOCAL,	/* passthrough exception: stays local */
	TCW_NODE_MGMT_MIRROR,	/* passthrough exception: copied to the tap */
};

/* The passthrough's mirrored kinds of frame */
enum tcw_mgmt_mirror {
	TCW_MIRROR_ARP,		/* ARP */
	TCW_MIRROR_ND_LOW,	/* ICMPv6 types 132-135 (RS, RA, NS) */
	TCW_MIRROR_ND_HIGH,	/* ICMPv6 types 136-137 (NA, redirect) */
	TCW_MIRROR_KINDS,
};

/**
 * tcw_filter_init() - Set the fields that identify a tcwire filter
 * @cls:	Filter to fill
 * @ifindex:	Device whose ingress hook it is on
 *
 * Kind u32, TCW_INGRESS_PARENT, chain 0, TCW_FILTER_PRIO, protocol all:
 * enough to delete one by handle, or the u32 instance as a whole.
 */
void tcw_filter_init(struct rtnl_cls *cls, int ifindex);

/**
 * tcw_filter_set_redirect() - Make @cls a tcwire redirect towards @to
 * @cls:	Filter from tcw_filter_init()
 * @act:	A new action, configured here and added to @cls
 * @to:		Target device
 *
 * "match u8 0 0" (value 0, mask 0 at offset 0: every frame), terminal,
 * and a mirred egress redirect to @to that steals the frame.
 *
 * Return: 0 or negative errno
 */
int tcw_filter_set_redirect(struct rtnl_cls *cls, struct rtnl_act *act,
			    int to);

/**
 * tcw_filter_set_mgmt_local() - Make @cls a passthrough exception that
 *				 keeps TCP to a port block local
 * @cls:	Filter from tcw_filter_init()
 * @ipv6:	IPv6 (else IPv4: no IP options, first fragments only)
 * @b:		Destination ports
 *
 * Return: 0 or negative errno
 */
int tcw_filter_set_mgmt_local(struct rtnl_cls *cls, bool ipv6,
			      const struct tcw_port_block *b);

/**
 * tcw_filter_set_mgmt_mirror() - Make @cls a passthrough exception that
 *				  copies one kind of frame to @to
 * @cls:	Filter from tcw_filter_init()
 * @act:	A new action, configured here and added to @cls
 * @what:	Which frames
 * @to:		The tap
 *
 * Return: 0 or negative errno
 */
int tcw_filter_set_mgmt_mirror(struct rtnl_cls *cls, struct rtnl_act *act,
			       enum tcw_mgmt_mirror what, int to);

/**
 * tcw_filter_node_kind() - Which of tcwire's nodes a dumped filter is
 * @cls:	Filter from a dump of the ingress hook
 * @root_htid:	Root hash table of tcwire's priority
 * @target:	Set to the redirect's or mirror's target ifindex (0 when
 *		the target is gone), -1 for a local exception
 * @block:	Set to a local exception's ports (may be NULL)
 * @ipv6:	Set to whether a local exception is IPv6's (may be NULL)
 *
 * Return: the kind; TCW_NODE_OTHER for anything not at tcwire's place
 */
enum tcw_node_kind tcw_filter_node_kind(struct rtnl_cls *cls,
					uint32_t root_htid, int *target,
					struct tcw_port_block *block,
					bool *ipv6);

/**
 * tcw_filter_chain() - The chain of a dumped filter
 * @cls:	Filter
 *
 * Return: its chain; 0 on kernels without chains
 */
uint32_t tcw_filter_chain(struct rtnl_cls *cls);

/**
 * tcw_filter_in_our_place() - Whether a dumped filter is at tcwire's
 *			       priority on chain 0 of the hook dumped
 * @cls:	Filter
 *
 * Return: true if it is
 */
bool tcw_filter_in_our_place(struct rtnl_cls *cls);

/**
 * tcw_filter_is_u32_node() - Whether @cls is a key node of table @root_htid
 * @cls:	Filter
 * @root_htid:	Hash table id (0: none known, never a match)
 *
 * Return: true if it is a u32 key node in that table
 */
bool tcw_filter_is_u32_node(struct rtnl_cls *cls, uint32_t root_htid);

/**
 * tcw_filter_is_u32_instance() - Whether @cls is a u32 instance (handle 0)
 *				  at tcwire's priority
 * @cls:	Filter
 *
 * Return: true if it is
 */
bool tcw_filter_is_u32_instance(struct rtnl_cls *cls);

/**
 * tcw_filter_is_u32_table() - Whether @cls is a u32 hash table (not a node)
 *			       at tcwire's priority
 * @cls:	Filter
 *
 * Return: true if it is
 */
bool tcw_filter_is_u32_table(struct rtnl_cls *cls);

/**
 * tcw_filter_is_foreign() - Whether a dumped filter takes tcwire's place
 * @cls:	Filter from a dump of the ingress hook
 * @root_htid:	Root hash table of tcwire's priority (tcw_u32_root_htid())
 *
 * Return: true if @cls sits at TCW_FILTER_PRIO on chain 0 of the ingress
 *	   hook (in the root hash table, for u32) and is not a tcwire redirect
 */
bool tcw_filter_is_foreign(struct rtnl_cls *cls, uint32_t root_htid);

/**
 * tcw_filter_print_add() - The tc(8) command that adds a tcwire redirect
 * @buf:	Result
 * @len:	Its size
 * @dev:	Device name, as it should be printed (shell-quoted if needed)
 * @to_dev:	Target device name, likewise
 *
 * Return: @buf (truncated if too small)
 */
char *tcw_filter_print_add(char *buf, size_t len, const char *dev,
			   const char *to_dev);

/**
 * tcw_filter_print_mgmt() - What a passthrough keeps local, for people
 * @buf:	Result
 * @len:	Its size
 * @blocks:	Local port blocks
 * @n:		Number of @blocks
 *
 * "tcp 5000-5007,22 local; arp, nd to both"
 *
 * Return: @buf (truncated if too small)
 */
char *tcw_filter_print_mgmt(char *buf, size_t len,
			    const struct tcw_port_block *blocks,
			    unsigned int n);

/**
 * tcw_filter_print_del() - The tc(8) command that removes tcwire's
 *			    filters from a device
 * @buf:	Result
 * @len:	Its size
 * @dev:	Device name, as it should be printed (shell-quoted if needed)
 *
 * Return: @buf (truncated if too small)
 */
char *tcw_filter_print_del(char *buf, size_t len, const char *dev);

/**
 * tcw_filter_print_show() - The tc(8) command that shows what sits at
 *			     tcwire's priority on a device
 * @buf:	Result
 * @len:	Its size
 * @dev:	Device name, as it should be printed (shell-quoted if needed)
 *
 * Return: @buf (truncated if too small)
 */
char *tcw_filter_print_show(char *buf, size_t len, const char *dev);

#endif /* TCWIRE_TC_FILTER_H */
