/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - the container's links as the kernel reports them, kept current
 */
#ifndef TCWIRE_LINK_MONITOR_H
#define TCWIRE_LINK_MONITOR_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/if_ether.h>

#include "client/error.h"

/**
 * struct monitored_link - One link of our network namespace
 * @ifindex:	Interface index
 * @name:	Interface name
 * @flags:	IFF_* flags (IFF_UP, IFF_LOWER_UP, ...)
 * @operstate:	IF_OPER_* (RFC 2863 operational state)
 * @mtu:	MTU
 * @address:	Link-layer address, if it is an Ethernet one (@has_address)
 * @has_address: Whether @address is set
 */
struct monitored_link {
	int ifindex;
	char name[IFNAMSIZ];
	unsigned int flags;
	unsigned char operstate;
	unsigned int mtu;
	uint8_t address[ETH_ALEN];
	bool has_address;
};

/* What happened to a link */
enum link_change {
	LINK_NEW,	/* appeared (or first seen in a dump) */
	LINK_CHANGED,	/* flags, operstate, MTU or name changed */
	LINK_GONE,	/* deleted (or moved to another namespace) */
};

/**
 * link_monitor_fn - Called for every change the monitor applies
 * @link:	The link after the change (before it, for LINK_GONE)
 * @what:	What happened
 * @ctx:	From link_monitor_set_callback()
 */
typedef void (*link_monitor_fn)(const struct monitored_link *link,
				enum link_change what, void *ctx);

struct link_monitor;

/**
 * link_monitor_open() - Subscribe to link events, then request one dump
 * @m:		Result; free with link_monitor_free()
 * @err:	Filled on failure
 *
 * Subscribing before the dump means no change can fall between the two.
 * Nothing is read yet: call link_monitor_receive() when the fd is readable.
 *
 * Return: 0 or negative errno
 */
int link_monitor_open(struct link_monitor **m, struct tcw_err *err);

/**
 * link_monitor_set_callback() - Be told about every change from now on
 * @m:		Monitor
 * @fn:		Callback, NULL for none
 * @ctx:	Passed to @fn
 */
void link_monitor_set_callback(struct link_monitor *m, link_monitor_fn fn,
			       void *ctx);

/**
 * link_monitor_fd() - The netlink socket, to poll for readability
 * @m:		Monitor
 *
 * Return: file descriptor (non-blocking, close-on-exec)
 */
int link_monitor_fd(struct link_monitor *m);

/**
 * link_monitor_receive() - Read and apply everything queued on the socket
 * @m:		Monitor
 *
 * Calls the callback once per change. If the kernel dropped events
 * (ENOBUFS on a busy host), a new dump is requested: links missing from it
 * are reported LINK_GONE, the others as they are then.
 *
 * Return: 0, or negative errno if the socket failed
 */
int link_monitor_receive(struct link_monitor *m);

/**
 * link_monitor_synced() - Whether the table is complete (a dump finished)
 * @m:		Monitor
 *
 * Return: true once the first dump (and any resync dump) has completed
 */
bool link_monitor_synced(struct link_monitor *m);

/**
 * link_monitor_find() - Look a link up by name
 * @m:		Monitor
 * @name:	Interface name
 *
 * Return: the link, valid until the next link_monitor_receive(), or NULL
 */
const struct monitored_link *link_monitor_find(struct link_monitor *m,
					  const char *name);

/**
 * link_monitor_foreach() - Call @fn for every link in the table
 * @m:		Monitor
 * @fn:		Called as for a change of kind LINK_CHANGED
 * @ctx:	Passed to @fn
 */
void link_monitor_foreach(struct link_monitor *m, link_monitor_fn fn,
			  void *ctx);

/**
 * link_monitor_free() - Close the socket and free the table
 * @m:		Monitor, may be NULL
 */
void link_monitor_free(struct link_monitor *m);

/**
 * link_monitor_new_detached() - A link table without a netlink socket
 *
 * For the unit tests of the live links: the table is fed with
 * link_monitor_apply() and link_monitor_remove(), the same updates (and
 * callbacks) that rtnetlink messages make; link_monitor_fd() is a pipe
 * that never becomes readable, link_monitor_receive() reads nothing.
 *
 * Return: the table (free with link_monitor_free())
 */
struct link_monitor *link_monitor_new_detached(void);

/**
 * link_monitor_apply() - What an RTM_NEWLINK for @l does to the table
 * @m:		Table
 * @l:		The link as the kernel would report it
 */
void link_monitor_apply(struct link_monitor *m, const struct monitored_link *l);

/**
 * link_monitor_remove() - What an RTM_DELLINK for @ifindex does
 * @m:		Table
 * @ifindex:	The link deleted
 */
void link_monitor_remove(struct link_monitor *m, int ifindex);

#endif
