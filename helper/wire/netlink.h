/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - rtnetlink socket with the kernel's extended ACK messages
 */
#ifndef TCWIRE_NETLINK_H
#define TCWIRE_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "client/error.h"

/**
 * struct tcw_nl - An rtnetlink socket and what the kernel said last
 * @sk:		libnl socket, NETLINK_ROUTE, extended ACK enabled
 * @errnum:	Positive errno of the last NLMSG_ERROR, 0 if none
 * @ext_ack:	Kernel's extended ACK text of that error, "" if none
 */
struct tcw_nl {
	struct nl_sock *sk;
	int errnum;
	char ext_ack[256];
};

/**
 * tcw_nl_open() - Open and connect an rtnetlink socket
 * @nl:		Socket state to initialise
 * @err:	Filled on failure
 *
 * The callbacks are libnl's defaults chosen explicitly, so the NLCB
 * environment variable has no effect; errors are recorded with their
 * extended ACK text for tcw_nl_fail().
 *
 * Return: 0 or negative errno
 */
int tcw_nl_open(struct tcw_nl *nl, struct tcw_err *err);

/**
 * tcw_nl_close() - Close the socket opened by tcw_nl_open(); safe to repeat
 * @nl:		Socket state
 */
void tcw_nl_close(struct tcw_nl *nl);

/**
 * tcw_nl_begin() - Forget the previous error before a new request; for
 *		    tcw_nl_call()
 * @nl:		Socket state
 */
void tcw_nl_begin(struct tcw_nl *nl);

/**
 * tcw_nl_result() - Turn a libnl return value into 0 or a negative errno;
 *		     for tcw_nl_call()
 * @nl:		Socket state
 * @nlerr:	Return value of a libnl call
 *
 * Return: 0 if @nlerr >= 0; else the kernel's errno when the kernel
 *	   answered with an error, otherwise the closest errno for @nlerr
 */
int tcw_nl_result(const struct tcw_nl *nl, int nlerr);

/*
 * tcw_nl_call() - Make one libnl request: forget the last error, run @call,
 * and turn its result into 0 or a negative errno (see tcw_nl_result()).
 * Every libnl call that talks to the kernel goes through it.
 */
#define tcw_nl_call(nl, call)	(tcw_nl_begin(nl), tcw_nl_result((nl), (call)))

/**
 * tcw_nl_fail() - Record a failed request as the one-line error message
 * @nl:		Socket state (its extended ACK text is appended)
 * @err:	Error to fill, may be NULL
 * @rc:		Negative errno of the failure
 * @fmt:	What failed, printf-style, object first: "eth1: cannot add X"
 *
 * The message is "<what>: <strerror>[: <kernel's extended ACK>]".
 *
 * Return: @rc
 */
int tcw_nl_fail(const struct tcw_nl *nl, struct tcw_err *err, int rc,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * tcw_nl_get() - Send one request and collect its answers and the ACK
 * @nl:		Socket state
 * @msg:	Request (not a dump); the caller still owns and frees it
 * @parse:	Called for each answer (NL_CB_VALID)
 * @arg:	Passed to @parse
 *
 * Return: 0 or negative errno (with the kernel's text in @nl)
 */
int tcw_nl_get(struct tcw_nl *nl, struct nl_msg *msg, nl_recvmsg_msg_cb_t parse,
	       void *arg);

/**
 * tcw_nl_dump() - Send one dump request and hand each answer to @parse
 * @nl:		Socket state
 * @msg:	Request; NLM_F_DUMP is added. The caller still owns it
 * @parse:	Called for each answer (NL_CB_VALID)
 * @arg:	Passed to @parse
 *
 * Return: 0 once the dump is complete, or negative errno (with the
 *	   kernel's text in @nl)
 */
int tcw_nl_dump(struct tcw_nl *nl, struct nl_msg *msg,
		nl_recvmsg_msg_cb_t parse, void *arg);

/**
 * tcw_link_get_by_name() - Query one link by name (no dump of all links)
 * @nl:		Socket state
 * @name:	Interface name
 * @link:	On success, a new link reference (rtnl_link_put() it)
 *
 * Return: 0, -ENODEV if there is no such interface, or negative errno
 */
int tcw_link_get_by_name(struct tcw_nl *nl, const char *name,
			 struct rtnl_link **link);

/**
 * tcw_link_get_by_index() - Query one link by ifindex
 * @nl:		Socket state
 * @ifindex:	Interface index
 * @link:	On success, a new link reference (rtnl_link_put() it)
 *
 * Return: 0, -ENODEV if there is no such interface, or negative errno
 */
int tcw_link_get_by_index(struct tcw_nl *nl, int ifindex,
			  struct rtnl_link **link);

/**
 * struct tcw_link_change - What tcw_link_set() changes on a link; a zero
 *			    field leaves its attribute as it is
 * @mtu:	New MTU
 * @master:	New master (a bridge's ifindex)
 * @up:		Set IFF_UP
 * @down:	Clear IFF_UP
 * @mac:	New MAC address (6 bytes), or NULL
 * @alias:	New alias (IFLA_IFALIAS), or NULL
 */
struct tcw_link_change {
	unsigned int mtu;
	int master;
	bool up;
	bool down;
	const unsigned char *mac;
	const char *alias;
};

/**
 * tcw_link_set() - Change a link's MTU, master, flags or MAC at once
 *		    (RTM_NEWLINK) and wait for the ACK
 * @nl:		Socket state
 * @ifindex:	Link to change
 * @c:		What to change
 *
 * Return: 0 or negative errno (with the kernel's text in @nl)
 */
int tcw_link_set(struct tcw_nl *nl, int ifindex,
		 const struct tcw_link_change *c);
/**
 * struct tcw_tun_state - What the kernel says about a tun/tap device
 * @have_data:	The kernel reported tun data at all
 * @persist:	IFF_PERSIST is set: the device outlives its fds
 * @multi_queue: IFF_MULTI_QUEUE is set
 * @queues:	Queues (fds) attached right now; the kernel reports it for
 *		multiqueue taps only, else ~0U
 * @disabled:	Queues whose fds are held but detached (TUNSETQUEUE with
 *		IFF_DETACH_QUEUE); multiqueue taps only, else ~0U
 */
struct tcw_tun_state {
	bool have_data;
	bool persist;
	bool multi_queue;
	unsigned int queues;
	unsigned int disabled;
};

/**
 * tcw_tun_state_parse() - Read the tun data of an RTM_NEWLINK message
 * @msg:	The message (an answer of RTM_GETLINK, or of a link dump)
 * @st:		Result; reset first
 *
 * Return: true if the message carried tun data (st->have_data)
 */
bool tcw_tun_state_parse(struct nl_msg *msg, struct tcw_tun_state *st);

/**
 * tcw_tun_state_get() - Read a tun device's IFLA_INFO_DATA (libnl has no
 *			 parser for it)
 * @nl:		Socket state
 * @ifindex:	Device
 * @st:		Result
 *
 * Return: 0, -ENODATA if the device reports no tun data, or negative errno
 */
int tcw_tun_state_get(struct tcw_nl *nl, int ifindex, struct tcw_tun_state *st);

/**
 * tcw_link_delete() - Delete a link (RTM_DELLINK)
 * @nl:		Socket state
 * @ifindex:	Device
 *
 * Return: 0 or negative errno
 */
int tcw_link_delete(struct tcw_nl *nl, int ifindex);

#endif /* TCWIRE_NETLINK_H */
