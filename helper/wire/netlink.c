/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - rtnetlink socket with the kernel's extended ACK messages
 *
 * libnl does not read extended ACKs. We turn them on with NETLINK_EXT_ACK
 * (and NETLINK_CAP_ACK, so the kernel does not echo our request back) and
 * install our own error callback, which keeps the errno and the
 * NLMSGERR_ATTR_MSG string of the last NLMSG_ERROR (read out by ext_ack.c, the
 * one parser of kernel-composed bytes). libnl's NLE_* codes lose
 * information (several errnos map to one code), so every request goes
 * through tcw_nl_call(), which returns the recorded errno, and every
 * failure message through tcw_nl_fail(), which appends the kernel's text.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <net/if.h>

#include <linux/netlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>

#include "wire/ext_ack.h"
#include "wire/netlink.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* libnl error callback: remember errno and extended ACK, stop receiving */
static int nl_error_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	const struct nlmsghdr *hdr =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	struct tcw_nl *nl = arg;

	/* libnl checked that nlmsg_len bytes were received (nlmsg_ok()) */
	nl->errnum = -e->error;
	tcw_ext_ack_text(hdr, hdr->nlmsg_len, nl->ext_ack, sizeof(nl->ext_ack));
	return NL_STOP;
}

/*
 * See netlink.h
 * #syscalls socket setsockopt bind getsockname getpid close
 */
int tcw_nl_open(struct tcw_nl *nl, struct tcw_err *err)
{
	struct nl_cb *cb;
	int one = 1, rc, fd;

	memset(nl, 0, sizeof(*nl));
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return tcw_err_set(err, ENOMEM, "netlink: out of memory");
	nl_cb_err(cb, NL_CB_CUSTOM, nl_error_cb, nl);
	nl->sk = nl_socket_alloc_cb(cb);
	nl_cb_put(cb);
	if (!nl->sk)
		return tcw_err_set(err, ENOMEM, "netlink: out of memory");

	rc = tcw_nl_call(nl, nl_connect(nl->sk, NETLINK_ROUTE));
	if (rc < 0) {
		tcw_nl_close(nl);
		return tcw_nl_fail(nl, err, rc, "netlink: cannot open socket");
	}
	fd = nl_socket_get_fd(nl->sk);
	/* Best effort: old kernels lack them, messages are then plainer */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

/*
 * See netlink.h
 * #syscalls close
 */
void tcw_nl_close(struct tcw_nl *nl)
{
	if (nl->sk) {
		nl_socket_free(nl->sk);
		nl->sk = NULL;
	}
}

/* See netlink.h */
void tcw_nl_begin(struct tcw_nl *nl)
{
	nl->errnum = 0;
	nl->ext_ack[0] = '\0';
}

/*
 * The kernel's errno when the kernel answered with an error, otherwise the
 * closest errno for the negative libnl code @nlerr: libnl's NLE_* codes
 * lose information (several errnos map to one code)
 */
static int nl_errno(const struct tcw_nl *nl, int nlerr)
{
	if (nl->errnum)
		return -nl->errnum;
	switch (-nlerr) {
	case NLE_NOMEM:		return -ENOMEM;
	case NLE_PERM:		return -EPERM;
	case NLE_NODEV:		return -ENODEV;
	case NLE_EXIST:		return -EEXIST;
	case NLE_OBJ_NOTFOUND:	return -ENOENT;
	case NLE_OPNOTSUPP:	return -EOPNOTSUPP;
	case NLE_BUSY:		return -EBUSY;
	case NLE_INVAL:		return -EINVAL;
	default:		return -EIO;
	}
}

/* See netlink.h */
int tcw_nl_result(const struct tcw_nl *nl, int nlerr)
{
	return nlerr < 0 ? nl_errno(nl, nlerr) : 0;
}

/* See netlink.h */
int tcw_nl_fail(const struct tcw_nl *nl, struct tcw_err *err, int rc,
		const char *fmt, ...)
{
	char what[TCW_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (nl->ext_ack[0])
		return tcw_err_set(err, -rc, "%s: %s: %s", what, strerror(-rc),
				   nl->ext_ack);
	return tcw_err_set(err, -rc, "%s: %s", what, strerror(-rc));
}

/*
 * Common part of the two single-link queries
 * #syscalls sendmsg recvmsg
 */
static int link_get(struct tcw_nl *nl, int ifindex, const char *name,
		    struct rtnl_link **link)
{
	int rc;

	*link = NULL;
	rc = tcw_nl_call(nl, rtnl_link_get_kernel(nl->sk, ifindex, name, link));
	if (rc < 0)
		return rc == -ENOENT ? -ENODEV : rc;
	return *link ? 0 : -EIO;	/* an answer that was not a link */
}

/* See netlink.h */
int tcw_link_get_by_name(struct tcw_nl *nl, const char *name,
			 struct rtnl_link **link)
{
	return link_get(nl, 0, name, link);
}

/* See netlink.h */
int tcw_link_get_by_index(struct tcw_nl *nl, int ifindex,
			  struct rtnl_link **link)
{
	return link_get(nl, ifindex, NULL, link);
}

/*
 * See netlink.h
 * #syscalls sendmsg recvmsg
 */
int tcw_link_set(struct tcw_nl *nl, int ifindex,
		 const struct tcw_link_change *c)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *change = rtnl_link_alloc();
	struct nl_addr *mac = NULL;
	int rc = -ENOMEM;

	if (!orig || !change ||
	    (c->mac && !(mac = nl_addr_build(AF_LLC, c->mac, 6))))
		goto out;
	rtnl_link_set_ifindex(orig, ifindex);
	if (c->mtu)
		rtnl_link_set_mtu(change, c->mtu);
	if (c->master)
		rtnl_link_set_master(change, c->master);
	if (c->up)
		rtnl_link_set_flags(change, IFF_UP);
	if (c->down)
		rtnl_link_unset_flags(change, IFF_UP);
	if (mac)
		rtnl_link_set_addr(change, mac);
	if (c->alias)
		rtnl_link_set_ifalias(change, c->alias);
	rc = tcw_nl_call(nl, rtnl_link_change(nl->sk, orig, change, 0));
out:
	if (mac)
		nl_addr_put(mac);
	if (orig)
		rtnl_link_put(orig);
	if (change)
		rtnl_link_put(change);
	return rc;
}

/* See netlink.h */
bool tcw_tun_state_parse(struct nl_msg *msg, struct tcw_tun_state *st)
{
	struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	struct nlattr *tun[IFLA_TUN_MAX + 1];

	st->persist = false;
	st->multi_queue = false;
	st->have_data = false;
	st->queues = ~0U;	/* only multiqueue taps report these two */
	st->disabled = ~0U;
	if (nlmsg_parse(nlmsg_hdr(msg), sizeof(struct ifinfomsg), tb, IFLA_MAX,
			NULL) < 0 || !tb[IFLA_LINKINFO] ||
	    nla_parse_nested(info, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) < 0 ||
	    !info[IFLA_INFO_DATA] ||
	    nla_parse_nested(tun, IFLA_TUN_MAX, info[IFLA_INFO_DATA], NULL) < 0)
		return false;
	if (tun[IFLA_TUN_PERSIST]) {
		st->persist = nla_get_u8(tun[IFLA_TUN_PERSIST]);
		st->have_data = true;
	}
	if (tun[IFLA_TUN_MULTI_QUEUE])
		st->multi_queue = nla_get_u8(tun[IFLA_TUN_MULTI_QUEUE]);
	if (tun[IFLA_TUN_NUM_QUEUES])
		st->queues = nla_get_u32(tun[IFLA_TUN_NUM_QUEUES]);
	if (tun[IFLA_TUN_NUM_DISABLED_QUEUES])
		st->disabled = nla_get_u32(tun[IFLA_TUN_NUM_DISABLED_QUEUES]);
	return st->have_data;
}

/* NL_CB_VALID handler of tcw_tun_state_get() */
static int tun_state_parse(struct nl_msg *msg, void *arg)
{
	return tcw_tun_state_parse(msg, arg) ? NL_OK : NL_SKIP;
}

/*
 * Send @msg, collect the answers with @cb and wait for the ACK
 * #syscalls sendmsg recvmsg
 */
static int nl_exchange(struct nl_sock *sk, struct nl_msg *msg, struct nl_cb *cb)
{
	int rc = nl_send_auto(sk, msg);	/* asks for an ACK too */

	if (rc >= 0)
		rc = nl_recvmsgs(sk, cb);
	if (rc >= 0)	/* leave no ACK behind for the next request */
		rc = nl_wait_for_ack(sk);
	return rc;
}

/*
 * A copy of @sk's callbacks to customise. nl_socket_get_cb() returns a
 * reference of its own, which is dropped here: kept, it would keep the
 * socket's callbacks alive after nl_socket_free().
 */
static struct nl_cb *nl_cb_clone_of(struct nl_sock *sk)
{
	struct nl_cb *mine = nl_socket_get_cb(sk);
	struct nl_cb *cb = nl_cb_clone(mine);

	nl_cb_put(mine);
	return cb;
}

/* Run @exchange for @msg with @parse as the handler of every answer */
static int nl_request(struct tcw_nl *nl, struct nl_msg *msg,
		      int (*exchange)(struct nl_sock *, struct nl_msg *,
				      struct nl_cb *),
		      nl_recvmsg_msg_cb_t parse, void *arg)
{
	struct nl_cb *cb = nl_cb_clone_of(nl->sk);
	int rc;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, parse, arg);
	rc = tcw_nl_call(nl, exchange(nl->sk, msg, cb));
	nl_cb_put(cb);
	return rc;
}

/* See netlink.h */
int tcw_nl_get(struct tcw_nl *nl, struct nl_msg *msg, nl_recvmsg_msg_cb_t parse,
	       void *arg)
{
	return nl_request(nl, msg, nl_exchange, parse, arg);
}

/*
 * Send the dump request @msg and collect the answers with @cb until
 * NLMSG_DONE. A dump is never acknowledged: ask for no ACK, so that none
 * is left over for the next request.
 * #syscalls sendmsg recvmsg
 */
static int nl_dump_exchange(struct nl_sock *sk, struct nl_msg *msg,
			    struct nl_cb *cb)
{
	int rc;

	nl_complete_msg(sk, msg);
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_DUMP;
	nlmsg_hdr(msg)->nlmsg_flags &= ~NLM_F_ACK;
	rc = nl_send(sk, msg);
	return rc < 0 ? rc : nl_recvmsgs(sk, cb);
}

/*
 * See netlink.h
 * #syscalls sendmsg recvmsg
 */
int tcw_nl_dump(struct tcw_nl *nl, struct nl_msg *msg, nl_recvmsg_msg_cb_t parse,
		void *arg)
{
	return nl_request(nl, msg, nl_dump_exchange, parse, arg);
}

/* See netlink.h */
int tcw_tun_state_get(struct tcw_nl *nl, int ifindex, struct tcw_tun_state *st)
{
	struct nl_msg *msg = NULL;
	int rc;

	st->persist = false;
	st->multi_queue = false;
	st->have_data = false;
	st->queues = ~0U;	/* only multiqueue taps report these two */
	st->disabled = ~0U;
	rc = rtnl_link_build_get_request(ifindex, NULL, &msg);
	if (rc < 0)
		return -ENOMEM;
	rc = tcw_nl_get(nl, msg, tun_state_parse, st);
	nlmsg_free(msg);
	if (rc == 0 && !st->have_data)
		rc = -ENODATA;
	return rc;
}

/*
 * See netlink.h
 * #syscalls sendmsg recvmsg
 */
int tcw_link_delete(struct tcw_nl *nl, int ifindex)
{
	struct rtnl_link *link = rtnl_link_alloc();
	int rc;

	if (!link)
		return -ENOMEM;
	rtnl_link_set_ifindex(link, ifindex);
	rc = tcw_nl_call(nl, rtnl_link_delete(nl->sk, link));
	rtnl_link_put(link);
	return rc;
}
