/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - rtnetlink socket with the kernel's extended ACK messages
 *
 * libnl does not read extended ACKs. We turn them on with NETLINK_EXT_ACK
 * (and NETLINK_CAP_ACK, so the kernel does not echo our request back) and
 * install our own error callback, which keeps the errno and the
 * NLMSGERR_ATTR_MSG string of the last NLMSG_ERROR. libnl's NLE_* codes
 * lose information (several errnos map to one code), so callers use the
 * recorded errno, see tcw_nl_errno().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>

#include "netlink.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Copy NLMSGERR_ATTR_MSG out of the TLVs that follow an nlmsgerr, if any */
static void nl_save_ext_ack(struct tcw_nl *nl, const struct nlmsgerr *e)
{
	const struct nlmsghdr *hdr =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	size_t off = sizeof(*e), total;
	const char *base = (const char *)e;

	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (hdr->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return;
	total = hdr->nlmsg_len - NLMSG_HDRLEN;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	while (off + NLA_HDRLEN <= total) {
		const struct nlattr *a = (const struct nlattr *)(base + off);
		size_t alen = a->nla_len;

		if (alen < NLA_HDRLEN || off + alen > total)
			return;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG &&
		    alen > NLA_HDRLEN) {
			size_t n = alen - NLA_HDRLEN;

			if (n >= sizeof(nl->ext_ack))
				n = sizeof(nl->ext_ack) - 1;
			memcpy(nl->ext_ack, base + off + NLA_HDRLEN, n);
			nl->ext_ack[n] = '\0';
			nl->ext_ack[strcspn(nl->ext_ack, "\n")] = '\0';
			return;
		}
		off += NLA_ALIGN(alen);
	}
}

/* libnl error callback: remember errno and extended ACK, stop receiving */
static int nl_error_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct tcw_nl *nl = arg;

	nl->errnum = -e->error;
	nl_save_ext_ack(nl, e);
	return NL_STOP;
}

/* See netlink.h */
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

	rc = nl_connect(nl->sk, NETLINK_ROUTE);
	if (rc < 0) {
		rc = tcw_nl_errno(nl, rc);
		tcw_nl_close(nl);
		return tcw_err_set(err, -rc, "netlink: cannot open socket: %s",
				   strerror(-rc));
	}
	fd = nl_socket_get_fd(nl->sk);
	/* Best effort: old kernels lack them, messages are then plainer */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

/* See netlink.h */
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

/* See netlink.h */
int tcw_nl_errno(const struct tcw_nl *nl, int nlerr)
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
	return nlerr < 0 ? tcw_nl_errno(nl, nlerr) : 0;
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

/* See netlink.h */
const char *tcw_nl_reason(const struct tcw_nl *nl, int errnum, char *buf,
			  size_t len)
{
	if (nl->ext_ack[0])
		snprintf(buf, len, "%s: %s", strerror(-errnum), nl->ext_ack);
	else
		snprintf(buf, len, "%s", strerror(-errnum));
	return buf;
}

/* Common part of the two single-link queries */
static int link_get(struct tcw_nl *nl, int ifindex, const char *name,
		    struct rtnl_link **link)
{
	int rc;

	tcw_nl_begin(nl);
	*link = NULL;
	rc = rtnl_link_get_kernel(nl->sk, ifindex, name, link);
	if (rc < 0) {
		rc = tcw_nl_errno(nl, rc);
		return rc == -ENOENT ? -ENODEV : rc;
	}
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

/* See netlink.h */
int tcw_link_apply(struct tcw_nl *nl, struct rtnl_link *orig,
		   struct rtnl_link *change)
{
	int rc;

	tcw_nl_begin(nl);
	rc = rtnl_link_change(nl->sk, orig, change, 0);
	return rc < 0 ? tcw_nl_errno(nl, rc) : 0;
}

/* See netlink.h */
bool tcw_tun_state_parse(struct nl_msg *msg, struct tcw_tun_state *st)
{
	struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	struct nlattr *tun[IFLA_TUN_MAX + 1];

	st->persist = false;
	st->have_data = false;
	st->queues = ~0U;	/* only multiqueue taps report it */
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
	if (tun[IFLA_TUN_NUM_QUEUES])
		st->queues = nla_get_u32(tun[IFLA_TUN_NUM_QUEUES]);
	return st->have_data;
}

/* NL_CB_VALID handler of tcw_tun_state_get() */
static int tun_state_parse(struct nl_msg *msg, void *arg)
{
	return tcw_tun_state_parse(msg, arg) ? NL_OK : NL_SKIP;
}

/* See netlink.h */
int tcw_nl_get(struct tcw_nl *nl, struct nl_msg *msg, nl_recvmsg_msg_cb_t parse,
	       void *arg)
{
	struct nl_cb *cb = nl_cb_clone(nl_socket_get_cb(nl->sk));
	int rc;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, parse, arg);
	tcw_nl_begin(nl);
	rc = nl_send_auto(nl->sk, msg);	/* asks for an ACK too */
	if (rc >= 0)
		rc = nl_recvmsgs(nl->sk, cb);
	if (rc >= 0)	/* leave no ACK behind for the next request */
		rc = nl_wait_for_ack(nl->sk);
	nl_cb_put(cb);
	return rc < 0 ? tcw_nl_errno(nl, rc) : 0;
}

/* See netlink.h */
int tcw_nl_dump(struct tcw_nl *nl, struct nl_msg *msg, nl_recvmsg_msg_cb_t parse,
		void *arg)
{
	struct nl_cb *cb = nl_cb_clone(nl_socket_get_cb(nl->sk));
	int rc;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, parse, arg);
	tcw_nl_begin(nl);
	/* A dump ends with NLMSG_DONE: ask for no ACK, none is left over */
	nl_complete_msg(nl->sk, msg);
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_DUMP;
	nlmsg_hdr(msg)->nlmsg_flags &= ~NLM_F_ACK;
	rc = nl_send(nl->sk, msg);
	if (rc >= 0)
		rc = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	return rc < 0 ? tcw_nl_errno(nl, rc) : 0;
}

/* See netlink.h */
int tcw_tun_state_get(struct tcw_nl *nl, int ifindex, struct tcw_tun_state *st)
{
	struct nl_msg *msg = NULL;
	int rc;

	st->persist = false;
	st->have_data = false;
	st->queues = ~0U;	/* only multiqueue taps report it */
	rc = rtnl_link_build_get_request(ifindex, NULL, &msg);
	if (rc < 0)
		return -ENOMEM;
	rc = tcw_nl_get(nl, msg, tun_state_parse, st);
	nlmsg_free(msg);
	if (rc == 0 && !st->have_data)
		rc = -ENODATA;
	return rc;
}

/* See netlink.h */
int tcw_link_delete(struct tcw_nl *nl, int ifindex)
{
	struct rtnl_link *link = rtnl_link_alloc();
	int rc;

	if (!link)
		return -ENOMEM;
	rtnl_link_set_ifindex(link, ifindex);
	tcw_nl_begin(nl);
	rc = rtnl_link_delete(nl->sk, link);
	rtnl_link_put(link);
	return rc < 0 ? tcw_nl_errno(nl, rc) : 0;
}
