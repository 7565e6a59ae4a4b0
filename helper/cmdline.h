/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - command line: qemu's and libvirt's bridge helper protocol
 */
#ifndef TCWIRE_CMDLINE_H
#define TCWIRE_CMDLINE_H

#include <stdbool.h>
#include <net/if.h>

#include "client/error.h"
#include "client/port_blocks.h"

/* More arguments than any valid command line can have */
#define HELPER_MAX_ARGS		8

enum helper_action {
	HELPER_WIRE,		/* create and wire a tap, send its fd */
	HELPER_SHOW_HELP,
	HELPER_SHOW_VERSION,
};

/**
 * struct helper_args - What the caller asked for
 * @action:	Wire (normal), or print help or version
 * @use_vnet:	--use-vnet: the tap carries a virtio-net header
 * @sock_fd:	--fd=N: unix socket to send the tap fd over
 * @partner:	--br=NAME: the partner interface (or bridge)
 * @queues:	--queues=N: queues of a multiqueue tap (1 to TCW_MAX_FDS, one fd
 *		each), 1 if not given
 * @rewire:	--rewire: receive a tap fd over @sock_fd and wire that tap to
 *		@partner (rewire.c) instead of creating one
 * @reserve:	--reserve: create a tap for @partner, which need not exist
 *		yet, wire it to nothing and send its fds (reserve.c); the
 *		caller wires it with --rewire once @partner appears
 * @mgmt:	--mgmt: a management passthrough (mgmt_wire.c): the wire
 *		to @partner keeps @local and mirrors ARP and ND
 * @local:	--mgmt-local-tcp=LIST: TCP ports that stay in the container
 *		(default TCW_MGMT_DEFAULT_LOCAL)
 * @n_local:	Number of @local blocks
 */
struct helper_args {
	enum helper_action action;
	bool use_vnet;
	int sock_fd;
	char partner[IFNAMSIZ];
	unsigned int queues;
	bool rewire;
	bool reserve;
	bool mgmt;
	struct tcw_port_block local[TCW_MGMT_MAX_BLOCKS];
	unsigned int n_local;
};

/**
 * helper_args_parse() - Parse and validate argv; no side effects
 * @argc:	Argument count
 * @argv:	Arguments, untrusted
 * @args:	Result
 * @err:	Filled on failure
 *
 * Accepts --use-vnet, --fd=N, --br=NAME, --queues=N in any order, each at
 * most once, or --help / --version. --fd and --br are required. --rewire
 * goes with --fd and --br only; --reserve not with --rewire; --mgmt with
 * neither, and --mgmt-local-tcp only with --mgmt. NAME must
 * pass tcw_ifname_check() and must not be one of tcwire's own taps. N of
 * --fd must be a decimal number above 2 (0, 1 and 2 are the standard
 * streams, never qemu's socket).
 *
 * Return: 0, or -EINVAL with @err set to one line for the user
 */
int helper_args_parse(int argc, char *const argv[], struct helper_args *args,
		      struct tcw_err *err);

/**
 * helper_usage() - Usage text for --help
 *
 * Return: static string
 */
const char *helper_usage(void);

#endif /* TCWIRE_CMDLINE_H */
