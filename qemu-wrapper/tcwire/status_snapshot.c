/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - a snapshot of one network namespace from rtnetlink dumps
 *
 * Theory of operation
 *
 * Everything comes from dumps, so that the cost does not grow with one
 * request per device and per question:
 *
 *  1. RTM_GETLINK dump: every device with its kind, MTU, flags, carrier,
 *     master, veth peer, drop counters and tun data (persistence, queues);
 *  2. RTM_GETQDISC dump of the whole namespace (with TCA_DUMP_INVISIBLE,
 *     so that the per-queue children of an mq root are listed too): which
 *     devices have an ingress hook, what qdisc sits on their egress, and
 *     its drops;
 *  3. the kernel dumps filters only per device (RTM_GETTFILTER needs an
 *     ifindex or a shared block): so only the devices that step 2 showed
 *     with an ingress or clsact qdisc get their ingress hook scanned, by
 *     the wire model (wire_model.c), which also reads the counters of each
 *     redirect's mirred action;
 *  4. for wired veths whose peer is in another namespace, one link dump of
 *     that namespace per namespace id (IFLA_TARGET_NETNSID), for the peer's
 *     name and MTU. The kernel wants CAP_NET_ADMIN over that namespace;
 *     without it the peer stays unknown and nothing fails;
 *  5. for the same namespaces, the name "ip netns add" gave them, if any:
 *     each file of /run/netns is asked for its id here (RTM_GETNSID with
 *     NETNSA_FD), which needs no privilege.
 *
 * libnl parses links and qdiscs into objects (nl_msg_parse()); the tun
 * data, which libnl does not parse, comes from the same message.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <linux/net_namespace.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <glib.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>

#include "status_classify.h"
#include "status_snapshot.h"
#include "wire/wire_model.h"

/* State of a link dump: where devices go, and the message being parsed */
struct link_dump {
	GArray *links;
	struct nl_msg *msg;
};

/* What ip -json -s shows of @o and the model does not need: flags,
 * operstate, address and counters */
static void link_fill_ip(struct status_link *l, struct rtnl_link *o)
{
	struct nl_addr *a = rtnl_link_get_addr(o);

	l->flags = rtnl_link_get_flags(o);
	l->operstate = rtnl_link_get_operstate(o);
	if (a && nl_addr_get_len(a) == 6)
		nl_addr2str(a, l->address, sizeof(l->address));
	l->rx.packets = rtnl_link_get_stat(o, RTNL_LINK_RX_PACKETS);
	l->rx.bytes = rtnl_link_get_stat(o, RTNL_LINK_RX_BYTES);
	l->rx.errors = rtnl_link_get_stat(o, RTNL_LINK_RX_ERRORS);
	l->tx.packets = rtnl_link_get_stat(o, RTNL_LINK_TX_PACKETS);
	l->tx.bytes = rtnl_link_get_stat(o, RTNL_LINK_TX_BYTES);
	l->tx.errors = rtnl_link_get_stat(o, RTNL_LINK_TX_ERRORS);
}

/* Fill @l from the parsed @o and the raw message it came from */
static void link_fill(struct status_link *l, struct rtnl_link *o,
		      struct nl_msg *msg)
{
	const char *kind = rtnl_link_get_type(o);
	struct tcw_tun_state st;
	int32_t netnsid;

	memset(l, 0, sizeof(*l));
	l->ifindex = rtnl_link_get_ifindex(o);
	g_strlcpy(l->name, rtnl_link_get_name(o) ? rtnl_link_get_name(o) : "?",
		  sizeof(l->name));
	g_strlcpy(l->kind, kind ? kind : "", sizeof(l->kind));
	l->mtu = rtnl_link_get_mtu(o);
	l->up = rtnl_link_get_flags(o) & IFF_UP;
	l->carrier = rtnl_link_get_carrier(o);
	l->master = rtnl_link_get_master(o);
	l->peer_netnsid = -1;
	if (!strcmp(l->kind, "veth")) {
		l->peer_ifindex = rtnl_link_get_link(o);
		if (rtnl_link_get_link_netnsid(o, &netnsid) == 0) {
			l->peer_elsewhere = true;
			l->peer_netnsid = netnsid;
		}
	}
	link_fill_ip(l, o);
	l->tx_dropped = rtnl_link_get_stat(o, RTNL_LINK_TX_DROPPED);
	l->rx_dropped = rtnl_link_get_stat(o, RTNL_LINK_RX_DROPPED);
	l->tun_queues = STATUS_QUEUES_UNKNOWN;
	l->tun_disabled = STATUS_QUEUES_UNKNOWN;
	if (!tcw_tap_alias_partner(rtnl_link_get_ifalias(o), l->for_partner,
				   &l->persistent_wire))
		l->for_partner[0] = '\0';
	if (!strcmp(l->kind, "tun") && tcw_tun_state_parse(msg, &st)) {
		l->tun_persist = st.persist;
		l->tun_queues = st.queues;
		l->tun_disabled = st.disabled;
	}
}

/* nl_msg_parse() callback: one device */
static void link_object(struct nl_object *obj, void *arg)
{
	struct link_dump *d = arg;
	struct status_link l;

	link_fill(&l, (struct rtnl_link *)obj, d->msg);
	g_array_append_val(d->links, l);
}

/* NL_CB_VALID handler of the link dump */
static int link_dump_parse(struct nl_msg *msg, void *arg)
{
	struct link_dump *d = arg;

	d->msg = msg;
	nl_msg_parse(msg, link_object, d);
	return NL_OK;
}

/* Dump the devices of our namespace (@netnsid < 0) or of the one with
 * that id, into @links */
static int links_dump(struct tcw_nl *nl, int netnsid, GArray *links)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETLINK, 0);
	struct link_dump d = { links, NULL };
	int rc = -ENOMEM;

	if (msg && nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) == 0 &&
	    (netnsid < 0 || nla_put_s32(msg, IFLA_TARGET_NETNSID, netnsid) == 0))
		rc = tcw_nl_dump(nl, msg, link_dump_parse, &d);
	nlmsg_free(msg);
	return rc;
}

/* nl_msg_parse() callback: one qdisc, added to its device */
static void qdisc_object(struct nl_object *obj, void *arg)
{
	struct status_snapshot *s = arg;
	struct rtnl_tc *tc = TC_CAST(obj);
	struct status_link *l = (struct status_link *)
		classify_link_by_ifindex(s, rtnl_tc_get_ifindex(tc));
	const char *kind = rtnl_tc_get_kind(tc);
	uint32_t parent = rtnl_tc_get_parent(tc);

	if (!l || !kind)
		return;
	if (parent == TC_H_INGRESS) {	/* ingress and clsact alike */
		l->ingress_hook = true;
		return;
	}
	if (!strcmp(kind, "fq"))
		l->qdisc_fq = true;
	if (parent == TC_H_ROOT) {
		/* A root's counters include its children's (mq sums them) */
		g_strlcpy(l->qdisc, kind, sizeof(l->qdisc));
		l->qdisc_drops = rtnl_tc_get_stat(tc, RTNL_TC_DROPS);
	}
}

/* NL_CB_VALID handler of the qdisc dump */
static int qdisc_dump_parse(struct nl_msg *msg, void *arg)
{
	nl_msg_parse(msg, qdisc_object, arg);
	return NL_OK;
}

/* Dump every qdisc of the namespace into the devices of @s */
static int qdiscs_dump(struct tcw_nl *nl, struct status_snapshot *s)
{
	struct tcmsg tcm = { .tcm_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETQDISC, 0);
	int rc = -ENOMEM;

	if (msg && nlmsg_append(msg, &tcm, sizeof(tcm), NLMSG_ALIGNTO) == 0 &&
	    nla_put_flag(msg, TCA_DUMP_INVISIBLE) == 0)
		rc = tcw_nl_dump(nl, msg, qdisc_dump_parse, s);
	nlmsg_free(msg);
	return rc;
}

/* Scan the ingress hook of every device that has one */
static int hooks_scan(struct tcw_nl *nl, struct status_snapshot *s,
		      unsigned int *scans, struct tcw_err *err)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct status_link *l = &s->links[i];
		struct tcw_ingress_scan scan;
		int rc;

		if (!l->ingress_hook)
			continue;
		rc = tcw_ingress_scan(nl, l->ifindex, &scan);
		(*scans)++;
		if (rc == -ENODEV || rc == -EINVAL)
			continue;	/* went away since the link dump */
		if (rc < 0)
			return tcw_nl_fail(nl, err, rc, "%s: cannot list tc filters",
					   l->name);
		l->foreign = scan.foreign;
		if (scan.n) {
			l->wired = true;
			l->target = scan.r[0].target_ifindex;
			l->act.packets = scan.r[0].stats.packets;
			l->act.bytes = scan.r[0].stats.bytes;
			l->act.drops = scan.r[0].stats.drops;
			l->act.overlimits = scan.r[0].stats.overlimits;
		}
	}
	return 0;
}

/* Give @l the name and MTU of its peer, found in @peers */
static void peer_fill(struct status_link *l, const struct status_link *peers,
		      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (peers[i].ifindex != l->peer_ifindex)
			continue;
		l->peer_mtu = peers[i].mtu;
		g_strlcpy(l->peer_name, peers[i].name, sizeof(l->peer_name));
		return;
	}
}

/* Whether @l is an end of a wire: wired itself or the target of one */
static bool wire_end(const struct status_snapshot *s, const struct status_link *l)
{
	size_t i;

	for (i = 0; !l->wired && i < s->n; i++)
		if (s->links[i].wired && s->links[i].target == l->ifindex)
			return true;
	return l->wired;
}

/* NL_CB_VALID handler of RTM_GETNSID: the id in the answer */
static int nsid_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[NETNSA_MAX + 1];
	int *id = arg;

	if (nlmsg_parse(nlmsg_hdr(msg), sizeof(struct rtgenmsg), tb, NETNSA_MAX,
			NULL) == 0 && tb[NETNSA_NSID])
		*id = (int)nla_get_s32(tb[NETNSA_NSID]);
	return NL_OK;
}

/* The id here of the namespace of the open file @fd, or -1 */
static int nsid_of_fd(struct tcw_nl *nl, int fd)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETNSID, 0);
	int id = -1;

	if (msg && nlmsg_append(msg, &g, sizeof(g), NLMSG_ALIGNTO) == 0 &&
	    nla_put_u32(msg, NETNSA_FD, (uint32_t)fd) == 0 &&
	    tcw_nl_get(nl, msg, nsid_parse, &id) < 0)
		id = -1;
	nlmsg_free(msg);
	return id;
}

/* Step 5: into @name, the /run/netns name of the namespace with id @id
 * here; "" if it has none */
static void netns_name_of_id(struct tcw_nl *nl, int id, char *name,
			     size_t len)
{
	DIR *d = opendir("/run/netns");
	struct dirent *e;

	name[0] = '\0';
	while (d && (e = readdir(d))) {
		int fd = e->d_name[0] == '.' ? -1 :
			 openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			continue;
		if (nsid_of_fd(nl, fd) == id)
			g_strlcpy(name, e->d_name, len);
		close(fd);
		if (name[0])
			break;
	}
	if (d)
		closedir(d);
}

/* Peers of wired veths: here, or in other namespaces when allowed */
static void peers_resolve(struct tcw_nl *nl, struct status_snapshot *s,
			  unsigned int *dumps)
{
	GArray *there = g_array_new(FALSE, FALSE, sizeof(struct status_link));
	GArray *tried = g_array_new(FALSE, FALSE, sizeof(int));
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		struct status_link *l = &s->links[i];
		int id = l->peer_netnsid;

		if (!l->peer_ifindex || !wire_end(s, l))
			continue;
		if (!l->peer_elsewhere) {
			peer_fill(l, s->links, s->n);
			continue;
		}
		for (j = 0; j < tried->len; j++)
			if (g_array_index(tried, int, j) == id)
				break;
		if (j < tried->len)
			continue;	/* that namespace was dumped already */
		g_array_append_val(tried, id);
		g_array_set_size(there, 0);
		(*dumps)++;
		netns_name_of_id(nl, id, l->peer_netns, sizeof(l->peer_netns));
		if (links_dump(nl, id, there) < 0)
			g_array_set_size(there, 0);	/* not allowed: unknown */
		for (j = i; j < s->n; j++) {
			struct status_link *o = &s->links[j];

			if (!o->peer_elsewhere || o->peer_netnsid != id ||
			    !wire_end(s, o))
				continue;
			g_strlcpy(o->peer_netns, l->peer_netns,
				  sizeof(o->peer_netns));
			peer_fill(o, (struct status_link *)(void *)there->data,
				  there->len);
		}
	}
	g_array_free(there, TRUE);
	g_array_free(tried, TRUE);
}

/* See status_snapshot.h */
int snapshot_take(struct tcw_nl *nl, struct status_snapshot *s,
		       struct snapshot_cost *cost, struct tcw_err *err)
{
	struct snapshot_cost c = { 1, 1, 0 };
	GArray *links = g_array_new(FALSE, FALSE, sizeof(struct status_link));
	size_t i;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = links_dump(nl, -1, links);
	s->n = links->len;
	s->links = (struct status_link *)(void *)g_array_free(links, FALSE);
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "cannot list network devices");
	rc = qdiscs_dump(nl, s);
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "cannot list qdiscs");
	rc = hooks_scan(nl, s, &c.hook_scans, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < s->n; i++) {
		const struct status_link *m = classify_link_by_ifindex(s, s->links[i].master);

		if (m)
			g_strlcpy(s->links[i].master_name, m->name, IFNAMSIZ);
	}
	peers_resolve(nl, s, &c.link_dumps);
	if (cost)
		*cost = c;
	return 0;
}

/* See status_snapshot.h */
void snapshot_free(struct status_snapshot *s)
{
	g_clear_pointer(&s->links, g_free);
	s->n = 0;
}
