/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - which process holds which tap, from /proc/PID/fdinfo
 */
#ifndef TCWS_STATUS_OWNER_H
#define TCWS_STATUS_OWNER_H

#include <glib.h>

#include "status_model.h"

/**
 * tcws_owners_scan() - Find the processes that hold tap fds
 * @only_ino:	Look only at processes in the network namespace with this
 *		inode; 0 looks at every process
 *
 * For each readable /proc/PID: every fd that is /dev/net/tun, and the
 * "iff:" line of its /proc/PID/fdinfo/FD (the tap it is attached to).
 * Processes of other users are unreadable without privileges: their taps
 * stay without owner. A tap is attributed to the network namespace its
 * holder runs in.
 *
 * Return: table from "INO:IFNAME" to struct tcws_owner; g_hash_table_unref()
 */
GHashTable *tcws_owners_scan(uint64_t only_ino);

/**
 * tcws_owners_attach() - Give the wires of some namespaces their owners
 * @owners:	From tcws_owners_scan()
 * @ns:		Namespaces (their @ino picks the entries)
 * @n:		How many
 */
void tcws_owners_attach(GHashTable *owners, struct tcws_netns *ns, size_t n);

/**
 * tcws_netns_ino_of() - The inode of a process's network namespace
 * @pid_dir:	"/proc/self", "/proc/41", ...
 *
 * Return: the inode, or 0 if it cannot be read
 */
uint64_t tcws_netns_ino_of(const char *pid_dir);

#endif /* TCWS_STATUS_OWNER_H */
