/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - the container's links as the kernel reports them, kept current
 *
 * Theory of operation: one rtnetlink socket subscribed to RTNLGRP_LINK
 * *before* it asks for a dump of all links, so every change after the dump
 * arrives as a notification and nothing is polled. The table maps ifindex
 * to what the last message said (name, flags, operstate, MTU); each change
 * is handed to one callback. Used first to wait for the data interfaces
 * (iface_wait.c), then, on the same socket so that nothing falls between,
 * to keep the VM's links in step with the container's (live_links.c).
 *
 * If the kernel drops notifications (ENOBUFS on a busy host), the table is
 * rebuilt from a new dump: every entry carries the generation of the dump
 * or event that last confirmed it, and entries the new dump did not confirm
 * are reported gone when it completes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>

#include <glib.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/utils.h>
#include <netlink/route/rtnl.h>

#include "live/link_monitor.h"

/* One table entry: the link and the generation that last confirmed it */
struct entry {
	struct monitored_link link;
	unsigned int gen;
};

struct link_monitor {
	struct nl_sock *sk;		/* NULL: fed by link_monitor_apply() */
	int idle_fd, idle_wr;		/* detached: a pipe nobody writes to */
	GHashTable *by_index;		/* ifindex -> struct entry */
	unsigned int gen;		/* bumped by every dump request */
	bool dumping;			/* a dump is in flight */
	bool resync_wanted;		/* events were lost during that dump */
	bool synced;			/* a dump completed, none in flight */
	link_monitor_fn fn;
	void *ctx;
};

/* Tell the callback, if any */
static void notify(struct link_monitor *m, const struct monitored_link *l,
		   enum link_change what)
{
	if (m->fn)
		m->fn(l, what, m->ctx);
}

/* Ask for a dump of every link, starting a new generation */
static int request_dump(struct link_monitor *m)
{
	int rc;

	if (m->dumping) {	/* one dump at a time per socket */
		m->resync_wanted = true;
		return 0;
	}
	rc = nl_rtgen_request(m->sk, RTM_GETLINK, AF_UNSPEC, NLM_F_DUMP);
	if (rc < 0)
		return -EIO;
	m->gen++;
	m->dumping = true;
	m->synced = false;
	return 0;
}

/* The link a RTM_NEWLINK message describes; false if it cannot be read */
static bool link_from_msg(struct nlmsghdr *h, struct monitored_link *l)
{
	struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;

	if (nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0 ||
	    !tb[IFLA_IFNAME])
		return false;
	ifi = nlmsg_data(h);
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	nla_strlcpy(l->name, tb[IFLA_IFNAME], sizeof(l->name));
	if (tb[IFLA_OPERSTATE])
		l->operstate = nla_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_MTU])
		l->mtu = nla_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_ADDRESS] && nla_len(tb[IFLA_ADDRESS]) == ETH_ALEN) {
		memcpy(l->address, nla_data(tb[IFLA_ADDRESS]), ETH_ALEN);
		l->has_address = true;
	}
	return true;
}

/* Apply a RTM_NEWLINK: insert or update, and tell what changed */
static void apply_new(struct link_monitor *m, const struct monitored_link *l)
{
	struct entry *e = g_hash_table_lookup(m->by_index,
					      GINT_TO_POINTER(l->ifindex));

	if (!e) {
		e = g_new0(struct entry, 1);
		e->link = *l;
		e->gen = m->gen;
		g_hash_table_insert(m->by_index, GINT_TO_POINTER(l->ifindex), e);
		notify(m, &e->link, LINK_NEW);
		return;
	}
	e->gen = m->gen;
	if (!memcmp(&e->link, l, sizeof(*l)))
		return;
	e->link = *l;
	notify(m, &e->link, LINK_CHANGED);
}

/* Remove @ifindex and tell, if it was known */
static void apply_gone(struct link_monitor *m, int ifindex)
{
	struct entry *e = g_hash_table_lookup(m->by_index,
					      GINT_TO_POINTER(ifindex));

	if (!e)
		return;
	g_hash_table_steal(m->by_index, GINT_TO_POINTER(ifindex));
	notify(m, &e->link, LINK_GONE);
	g_free(e);
}

/* NL_CB_VALID handler: one RTM_NEWLINK or RTM_DELLINK */
static int on_message(struct nl_msg *msg, void *arg)
{
	struct link_monitor *m = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct monitored_link l;

	if (h->nlmsg_type == RTM_DELLINK &&
	    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		apply_gone(m, ((struct ifinfomsg *)nlmsg_data(h))->ifi_index);
	else if (h->nlmsg_type == RTM_NEWLINK && link_from_msg(h, &l))
		apply_new(m, &l);
	return NL_OK;
}

/* Whether an entry was not confirmed by the generation in @gen */
static gboolean entry_is_stale(gpointer key, gpointer value, gpointer gen)
{
	return ((struct entry *)value)->gen != GPOINTER_TO_UINT(gen);
}

/* NL_CB_FINISH handler: the dump is complete */
static int on_dump_done(struct nl_msg *msg, void *arg)
{
	struct link_monitor *m = arg;
	GHashTableIter it;
	gpointer k, v;
	GArray *gone = g_array_new(FALSE, FALSE, sizeof(int));
	guint i;

	g_hash_table_iter_init(&it, m->by_index);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (entry_is_stale(k, v, GUINT_TO_POINTER(m->gen)))
			g_array_append_val(gone, ((struct entry *)v)->link.ifindex);
	for (i = 0; i < gone->len; i++)
		apply_gone(m, g_array_index(gone, int, i));
	g_array_free(gone, TRUE);
	m->dumping = false;
	if (m->resync_wanted) {
		m->resync_wanted = false;
		request_dump(m);
	} else {
		m->synced = true;
	}
	return NL_STOP;
}

/* See link_monitor.h */
int link_monitor_open(struct link_monitor **out, struct tcw_err *err)
{
	struct link_monitor *m = g_new0(struct link_monitor, 1);

	*out = NULL;
	m->idle_fd = m->idle_wr = -1;
	m->by_index = g_hash_table_new_full(g_direct_hash, g_direct_equal,
					    NULL, g_free);
	m->sk = nl_socket_alloc();
	if (!m->sk) {
		link_monitor_free(m);
		return tcw_err_set(err, ENOMEM, "out of memory");
	}
	nl_socket_disable_seq_check(m->sk);
	nl_socket_modify_cb(m->sk, NL_CB_VALID, NL_CB_CUSTOM, on_message, m);
	nl_socket_modify_cb(m->sk, NL_CB_FINISH, NL_CB_CUSTOM, on_dump_done, m);
	if (nl_connect(m->sk, NETLINK_ROUTE) < 0 ||
	    fcntl(nl_socket_get_fd(m->sk), F_SETFD, FD_CLOEXEC) < 0 ||
	    nl_socket_add_membership(m->sk, RTNLGRP_LINK) < 0 ||
	    nl_socket_set_nonblocking(m->sk) < 0 || request_dump(m) < 0) {
		link_monitor_free(m);
		return tcw_err_set(err, EIO, "cannot listen to rtnetlink link events");
	}
	*out = m;
	return 0;
}

/* See link_monitor.h */
void link_monitor_set_callback(struct link_monitor *m, link_monitor_fn fn,
			       void *ctx)
{
	m->fn = fn;
	m->ctx = ctx;
}

/* See link_monitor.h */
int link_monitor_fd(struct link_monitor *m)
{
	return m->sk ? nl_socket_get_fd(m->sk) : m->idle_fd;
}

/* See link_monitor.h */
struct link_monitor *link_monitor_new_detached(void)
{
	struct link_monitor *m = g_new0(struct link_monitor, 1);
	int p[2];

	m->by_index = g_hash_table_new_full(g_direct_hash, g_direct_equal,
					    NULL, g_free);
	m->idle_fd = m->idle_wr = -1;
	if (pipe2(p, O_CLOEXEC) == 0) {	/* the writer stays open: never readable */
		m->idle_fd = p[0];
		m->idle_wr = p[1];
	}
	m->synced = true;
	return m;
}

/* See link_monitor.h */
void link_monitor_apply(struct link_monitor *m, const struct monitored_link *l)
{
	apply_new(m, l);
}

/* See link_monitor.h */
void link_monitor_remove(struct link_monitor *m, int ifindex)
{
	apply_gone(m, ifindex);
}

/* See link_monitor.h */
int link_monitor_receive(struct link_monitor *m)
{
	int rc;

	if (!m->sk)
		return 0;	/* detached: nothing to read */
	for (;;) {
		rc = nl_recvmsgs_default(m->sk);
		if (rc >= 0)
			continue;
		if (rc == -NLE_AGAIN)
			return 0;
		if (rc == -NLE_NOMEM) {		/* ENOBUFS: events lost */
			if (request_dump(m) < 0)
				return -EIO;
			continue;
		}
		if (rc == -NLE_INTR)
			continue;
		return -EIO;
	}
}

/* See link_monitor.h */
bool link_monitor_synced(struct link_monitor *m)
{
	return m->synced;
}

/* See link_monitor.h */
const struct monitored_link *link_monitor_find(struct link_monitor *m,
					  const char *name)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, m->by_index);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!strcmp(((struct entry *)v)->link.name, name))
			return &((struct entry *)v)->link;
	return NULL;
}

/* See link_monitor.h */
void link_monitor_foreach(struct link_monitor *m, link_monitor_fn fn,
			  void *ctx)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, m->by_index);
	while (g_hash_table_iter_next(&it, &k, &v))
		fn(&((struct entry *)v)->link, LINK_CHANGED, ctx);
}

/* See link_monitor.h */
void link_monitor_free(struct link_monitor *m)
{
	if (!m)
		return;
	if (m->sk)
		nl_socket_free(m->sk);
	if (!m->sk && m->idle_fd >= 0) {
		close(m->idle_fd);
		close(m->idle_wr);
	}
	g_hash_table_unref(m->by_index);
	g_free(m);
}
