/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - management passthrough: the VM owns eth0's address
 * (see mgmt.c)
 */
#ifndef TCWIRE_MGMT_H
#define TCWIRE_MGMT_H

#include <stdbool.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <glib.h>

#include "client/error.h"
#include "client/fd_passing.h"

/**
 * struct mgmt_nic - The management interface, what the VM's bootstrap is
 *		     told of it, and the VM's NIC wired to it
 * @ifname:	The container's management interface ("eth0")
 * @mac:	Its MAC, which the VM's NIC takes
 * @mtu:	Its MTU (the NIC's host_mtu)
 * @ipv4:	Its global IPv4 address, "" if none
 * @ipv4_len:	Its prefix length
 * @ipv4_gw:	The IPv4 default gateway, "" if none
 * @ipv6:	Its global IPv6 address, "" if none
 * @ipv6_len:	Its prefix length
 * @ipv6_gw:	The IPv6 default gateway, "" if none
 * @fds:	Tap fds from the helper, -1 where none (one queue: the
 *		management NIC needs no multiqueue)
 * @n_fds:	Number of @fds
 * @file:	The file the bootstrap reads (TCWIRE_MGMT_FILE), NULL if none
 * @file_ours:	We made @file up (a temporary name): remove it at the end
 */
struct mgmt_nic {
	char ifname[IFNAMSIZ];
	uint8_t mac[6];
	unsigned int mtu;
	char ipv4[INET_ADDRSTRLEN];
	unsigned int ipv4_len;
	char ipv4_gw[INET_ADDRSTRLEN];
	char ipv6[INET6_ADDRSTRLEN];
	unsigned int ipv6_len;
	char ipv6_gw[INET6_ADDRSTRLEN];
	int fds[TCW_MAX_FDS];
	size_t n_fds;
	char *file;
	bool file_ours;
};

/**
 * mgmt_nic_read() - Read the management interface and the routes
 * @m:		Result (every fd -1)
 * @ifname:	The interface ("eth0")
 * @err:	Filled on failure
 *
 * Its MAC, MTU, first global IPv4 and IPv6 address and the default
 * gateways of the main table, as vrnetlab's get_mgmt_address() and
 * get_mgmt_gw() read them. Needs no privileges.
 *
 * Return: 0, -ENODEV if there is no such interface, or negative errno
 */
int mgmt_nic_read(struct mgmt_nic *m, const char *ifname, struct tcw_err *err);

/**
 * mgmt_nic_publish() - Hand the bootstrap eth0's addresses
 * @m:		Read by mgmt_nic_read(); @file is set here
 * @path:	The file to write (replaced atomically), or NULL for a new
 *		temporary file in $XDG_RUNTIME_DIR or /tmp
 * @err:	Filled on failure
 *
 * TCWIRE_MGMT_INTERFACE, _MAC, _MTU, _IPV4_ADDRESS, _IPV4_PREFIX_LENGTH,
 * _IPV4_GATEWAY, _IPV6_ADDRESS, _IPV6_PREFIX_LENGTH, _IPV6_GATEWAY (an
 * address or gateway that is not there is left out): written to the file
 * (shell syntax, mode 0644), and put, with
 * TCWIRE_MGMT_FILE=<the file>, in our environment, which qemu (or a
 * bootstrap script run as qemu) inherits.
 *
 * Return: 0 or negative errno
 */
int mgmt_nic_publish(struct mgmt_nic *m, const char *path, struct tcw_err *err);

/**
 * mgmt_nic_argv() - The management NIC's -netdev and -device
 * @a:		Arguments to append to
 * @m:		The NIC, with its tap fds
 * @model:	qemu device model
 * @symbolic:	Show fds as {eth0} (--print)
 *
 * "-netdev tap,id=tcwmgmt,fd=N -device MODEL,netdev=tcwmgmt,id=tcwmgmtnic,
 * mac=<eth0's MAC>[,host_mtu=<eth0's MTU>]"; appended before the
 * pci-bridges, so it is the first NIC the guest finds.
 */
void mgmt_nic_argv(GPtrArray *a, const struct mgmt_nic *m, const char *model,
		   bool symbolic);

/**
 * mgmt_nic_cleanup() - Close the tap fds, remove a temporary file
 * @m:		The NIC
 */
void mgmt_nic_cleanup(struct mgmt_nic *m);

#endif
