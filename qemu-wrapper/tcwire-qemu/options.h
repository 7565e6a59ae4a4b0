/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - command line options
 */
#ifndef TCWIRE_OPTIONS_H
#define TCWIRE_OPTIONS_H

#include <stdbool.h>

#include "client/error.h"
#include "qemu_argv.h"

/* Exit statuses of tcwire-qemu itself (after exec they are qemu's) */
#define EXIT_USAGE		1	/* bad options */
#define EXIT_INTERFACES	2	/* data interfaces did not appear */
#define EXIT_HELPER	3	/* tcwire-helper failed */

#define OPTIONS_DEFAULT_WAIT_S	300

/**
 * struct wrapper_options - Everything the command line and CLAB_INTFS say
 * @interfaces:		--interfaces list, NULL-terminated, or NULL
 * @prefix:		--prefix (default "eth")
 * @count:		--count, or CLAB_INTFS, or 0 (take what is there)
 * @slots:		--slots, else @count: NIC positions the VM boots with at
 *			least (a missing interface's position is a slot)
 * @wait_timeout_s:	--wait-timeout in seconds
 * @helper:		--helper path
 * @mac_seed:		--mac-seed (default: "LAB/NODE" from containerlab's
 *			CLAB_LABEL_CONTAINERLAB and CLAB_LABEL_CLAB_NODE_NAME,
 *			else the node name or hostname)
 * @show_version:	--version: print it, do nothing else
 * @print_only:		--print
 * @no_supervise:	--no-supervise: exec qemu, follow no links
 * @partner_mac:	--partner-mac: a NIC gets its partner's MAC, not the
 *			derived one (mac_from_partner())
 * @nic:		--nic-model, --queues, --vhost
 * @qemu_argv:		Everything after "--"
 */
struct wrapper_options {
	char **interfaces;
	char *prefix;
	unsigned int count;
	unsigned int slots;
	unsigned int wait_timeout_s;
	char *helper;
	char *mac_seed;
	bool show_version;
	bool print_only;
	bool no_supervise;
	bool partner_mac;
	struct qemu_nic_options nic;
	char **qemu_argv;
};

/**
 * wrapper_options_parse() - Parse argv (and CLAB_INTFS) into @o
 * @argc:	Argument count
 * @argv:	Arguments
 * @o:		Result; free with wrapper_options_free(), also on failure
 * @err:	Filled on failure
 *
 * Return: 0, or -EINVAL with @err set
 */
int wrapper_options_parse(int argc, char **argv, struct wrapper_options *o,
			  struct tcw_err *err);

/**
 * wrapper_options_free() - Free what wrapper_options_parse() allocated
 * @o:		Options
 */
void wrapper_options_free(struct wrapper_options *o);

#endif
