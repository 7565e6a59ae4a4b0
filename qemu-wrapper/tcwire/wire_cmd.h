/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire wire / tcwire unwire - persistent wires for libvirt's system mode
 */
#ifndef TCWIRE_WIRE_CMD_H
#define TCWIRE_WIRE_CMD_H

#include <stdbool.h>

/**
 * wire_cmd_main() - Run tcwire wire or tcwire unwire
 * @argc:	Arguments from the subcommand on
 * @argv:	argv[0] is "wire" or "unwire"
 * @net_admin:	CAP_NET_ADMIN is effective (else only --help works)
 *
 * Return: exit status: 0, 1 when a wire could not be made or removed, 2
 *	   for a usage error
 */
int wire_cmd_main(int argc, char **argv, bool net_admin);

#endif /* TCWIRE_WIRE_CMD_H */
