/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - waiting for the container's data interfaces
 *
 * Lab tools attach a container's data links after the container started,
 * seconds or minutes later. vrnetlab polls /sys every 5 s with no timeout
 * and hangs forever when a name never appears (vrnetlab#442). We subscribe
 * to RTNLGRP_LINK first, then dump the links once: every change after the
 * dump arrives as a notification, so nothing is missed and nothing is
 * polled. If the kernel drops notifications (ENOBUFS on a busy host), the
 * table is rebuilt from a new dump.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/utils.h>
#include <netlink/route/rtnl.h>

#include "ifname.h"
#include "iface_wait.h"

/* ifindex -> name of every link in our namespace, kept current */
struct link_table {
	GHashTable *by_index;
};

/* NL_CB_VALID handler: apply one RTM_NEWLINK / RTM_DELLINK */
static int link_table_update(struct nl_msg *msg, void *arg)
{
	struct link_table *t = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;

	if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK)
		return NL_OK;
	if (nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return NL_OK;
	ifi = nlmsg_data(h);
	if (h->nlmsg_type == RTM_DELLINK) {
		g_hash_table_remove(t->by_index, GINT_TO_POINTER(ifi->ifi_index));
		return NL_OK;
	}
	if (tb[IFLA_IFNAME])
		g_hash_table_insert(t->by_index, GINT_TO_POINTER(ifi->ifi_index),
				    g_strndup(nla_data(tb[IFLA_IFNAME]),
					      IFNAMSIZ - 1));
	return NL_OK;
}

/* Whether a link called @name exists */
static bool link_table_has(struct link_table *t, const char *name)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, t->by_index);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!strcmp(v, name))
			return true;
	return false;
}

/* See iface_wait.h */
unsigned int iface_suffix(const char *name, const char *prefix)
{
	const char *digits;
	guint64 k;

	if (!g_str_has_prefix(name, prefix))
		return 0;
	digits = name + strlen(prefix);
	if (*digits == '0' ||	/* eth01 is not eth1, eth0 is management */
	    !g_ascii_string_to_unsigned(digits, 10, 1, 65535, &k, NULL))
		return 0;
	return (unsigned int)k;
}

/* Set position @k (1-based) of @partners to @name, growing it */
static void partners_set(GPtrArray *partners, unsigned int k, const char *name)
{
	while (partners->len < k)
		g_ptr_array_add(partners, NULL);
	g_free(partners->pdata[k - 1]);
	partners->pdata[k - 1] = g_strdup(name);
}

/* The partners by position as the table stands; sets *@found */
static GPtrArray *partners_from_table(const struct iface_request *req,
				      struct link_table *t, unsigned int *found)
{
	GPtrArray *partners = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k, v;
	size_t i;

	*found = 0;
	if (req->names) {
		for (i = 0; req->names[i]; i++) {
			bool have = link_table_has(t, req->names[i]);

			g_ptr_array_add(partners, have ? g_strdup(req->names[i]) : NULL);
			*found += have;
		}
		return partners;
	}
	g_hash_table_iter_init(&it, t->by_index);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		unsigned int pos = iface_suffix(v, req->prefix);

		if (pos) {
			partners_set(partners, pos, v);
			(*found)++;
		}
	}
	return partners;
}

/* Whether everything asked for is there */
static bool request_satisfied(const struct iface_request *req,
			      unsigned int found)
{
	if (req->names)
		return found == g_strv_length(req->names);
	return found >= req->count;
}

/* Message listing what is missing, for the timeout error */
static void report_missing(const struct iface_request *req,
			   struct link_table *t, unsigned int found,
			   int timeout_ms, struct tcw_err *err)
{
	GString *missing = g_string_new(NULL);
	unsigned int i, want;

	want = req->names ? g_strv_length(req->names) : req->count;
	for (i = 0; i < want; i++) {
		g_autofree char *name = req->names ? g_strdup(req->names[i]) :
					g_strdup_printf("%s%u", req->prefix, i + 1);

		if (!link_table_has(t, name))
			g_string_append_printf(missing, "%s%s",
					       missing->len ? ", " : "", name);
	}
	tcw_err_set(err, ETIMEDOUT,
		    "timed out after %d s waiting for data interfaces: %s missing (%u of %u present)",
		    timeout_ms / 1000, missing->str, found, want);
	g_string_free(missing, TRUE);
}

/* Ask for a dump of all links on the event socket */
static int request_dump(struct nl_sock *sk)
{
	return nl_rtgen_request(sk, RTM_GETLINK, AF_UNSPEC, NLM_F_DUMP);
}

/* Milliseconds on the monotonic clock */
static gint64 now_ms(void)
{
	return g_get_monotonic_time() / 1000;
}

/* See iface_wait.h */
int iface_wait(const struct iface_request *req, int timeout_ms,
	       GPtrArray **partners, struct tcw_err *err)
{
	struct link_table t = {
		g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free)
	};
	struct nl_sock *sk = nl_socket_alloc();
	gint64 deadline = now_ms() + timeout_ms;
	unsigned int found = 0;
	int rc;

	*partners = NULL;
	if (!sk)
		return tcw_err_set(err, ENOMEM, "out of memory");
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, link_table_update, &t);
	if (nl_connect(sk, NETLINK_ROUTE) < 0 ||
	    nl_socket_add_membership(sk, RTNLGRP_LINK) < 0 ||
	    nl_socket_set_nonblocking(sk) < 0 || request_dump(sk) < 0) {
		rc = tcw_err_set(err, EIO, "cannot listen to rtnetlink link events");
		goto out;
	}

	for (;;) {
		struct pollfd pfd = { nl_socket_get_fd(sk), POLLIN, 0 };
		gint64 left;

		/* Drain everything queued, then look */
		while ((rc = nl_recvmsgs_default(sk)) >= 0)
			;
		if (rc == -NLE_NOMEM) {		/* ENOBUFS: events lost */
			g_hash_table_remove_all(t.by_index);
			request_dump(sk);
			continue;
		}
		if (*partners)
			g_ptr_array_unref(*partners);
		*partners = partners_from_table(req, &t, &found);
		if (request_satisfied(req, found)) {
			rc = 0;
			break;
		}
		left = deadline - now_ms();
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			report_missing(req, &t, found, timeout_ms, err);
			rc = -ETIMEDOUT;
			break;
		}
	}
out:
	if (rc && *partners) {
		g_ptr_array_unref(*partners);
		*partners = NULL;
	}
	nl_socket_free(sk);
	g_hash_table_unref(t.by_index);
	return rc;
}

/* See iface_wait.h */
GPtrArray *iface_assume_present(const struct iface_request *req)
{
	GPtrArray *partners = g_ptr_array_new_with_free_func(g_free);
	unsigned int i;

	if (req->names) {
		for (i = 0; req->names[i]; i++)
			g_ptr_array_add(partners, g_strdup(req->names[i]));
	} else {
		for (i = 1; i <= req->count; i++)
			g_ptr_array_add(partners, g_strdup_printf("%s%u", req->prefix, i));
	}
	return partners;
}
