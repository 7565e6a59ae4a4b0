/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - the tap device handed to qemu
 */
#ifndef TCWIRE_TAP_DEVICE_H
#define TCWIRE_TAP_DEVICE_H

#include <stdbool.h>
#include <sys/types.h>
#include <net/if.h>

#include "client/error.h"
#include "client/fd_passing.h"
#include "wire/netlink.h"

/**
 * struct tap_device - A tap being created for qemu
 * @fds:	One open /dev/net/tun fd per queue, -1 where none is
 * @n_fds:	Number of @fds
 * @name:	Interface name once created ("tcw%d")
 * @ifindex:	Interface index once created
 * @owner:	User the tap belongs to (the caller)
 * @group:	Group the tap belongs to (the caller's)
 */
struct tap_device {
	int fds[TCW_MAX_FDS];
	unsigned int n_fds;
	char name[IFNAMSIZ];
	int ifindex;
	uid_t owner;
	gid_t group;
};

/**
 * tap_device_init() - A tap with no fds (all -1) and no device yet
 * @tap:	Tap to initialise where it is declared
 */
void tap_device_init(struct tap_device *tap);

/**
 * tap_open_queues() - Open /dev/net/tun once per queue
 * @tap:	Tap from tap_device_init(), no fd open yet
 * @queues:	Number of queues, 1 to TCW_MAX_FDS
 * @owner:	User the tap will belong to: the caller's real uid
 * @group:	Group the tap will belong to: the caller's real gid
 * @err:	Filled on failure
 *
 * Done early: as euid 0, the node's owner, before a setuid helper drops
 * (privileges_tun_as_root()), or while a file capability's
 * CAP_DAC_OVERRIDE is still held. No interface exists yet: nothing to undo
 * but closing the fds.
 *
 * Return: 0 or negative errno
 */
int tap_open_queues(struct tap_device *tap, unsigned int queues,
		    uid_t owner, gid_t group, struct tcw_err *err);

/**
 * tap_create() - Create the non-persistent tap "tcw%d" on the open fds
 * @tap:	Tap with open fds
 * @want_vnet:	Ask for IFF_VNET_HDR if the kernel supports it
 * @err:	Filled on failure
 *
 * IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE (also for one queue: only a
 * multiqueue tap tells whether an fd still holds it). The
 * tap lives as long as one of its fds is open. It belongs to the caller
 * (TUNSETOWNER, TUNSETGROUP) before a second queue attaches or any fd
 * leaves the helper: the kernel lets anybody attach a queue to a
 * multiqueue tap without an owner.
 *
 * Return: 0 or negative errno
 */
int tap_create(struct tap_device *tap, bool want_vnet, struct tcw_err *err);

/**
 * tap_configure_link() - Set the tap's MTU, MAC, master and alias, and
 *			  bring it up
 * @nl:		rtnetlink socket
 * @tap:	Created tap; ifindex is filled in
 * @mtu:	MTU to copy from the partner
 * @master:	Bridge to enslave the tap to, or 0
 * @partner:	The partner it is for: its alias becomes "tcwire:PARTNER"
 *		(TCW_TAP_ALIAS_PREFIX), which only CAP_NET_ADMIN may change
 * @err:	Filled on failure
 *
 * The MAC keeps the kernel's random bytes but its first byte becomes 0xFE,
 * like qemu-bridge-helper: locally administered, unicast, and numerically
 * high, so a bridge never takes it as its own address and it cannot be
 * mistaken for a guest's MAC.
 *
 * Return: 0 or negative errno
 */
int tap_configure_link(struct tcw_nl *nl, struct tap_device *tap,
		       unsigned int mtu, int master, const char *partner,
		       struct tcw_err *err);

/**
 * tap_close() - Close the fds; the kernel then deletes the tap
 * @tap:	Tap
 */
void tap_close(struct tap_device *tap);

#endif /* TCWIRE_TAP_DEVICE_H */
