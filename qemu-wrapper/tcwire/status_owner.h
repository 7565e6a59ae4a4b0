/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - which process holds which tap, from /proc/PID/fdinfo
 */
#ifndef TCWIRE_STATUS_OWNER_H
#define TCWIRE_STATUS_OWNER_H

#include <glib.h>

#include "status_model.h"

/**
 * struct status_proc - A process and its network namespace
 * @pid:	Process id
 * @netns_ino:	Inode of its network namespace
 */
struct status_proc {
	int pid;
	uint64_t netns_ino;
};

/**
 * owner_procs_list() - Every process whose network namespace we may see
 *
 * One walk of /proc; processes of other users are not readable without
 * privileges and are left out.
 *
 * Return: array of struct status_proc by ascending PID; g_array_unref()
 */
GArray *owner_procs_list(void);

/**
 * owner_scan() - Find the processes that hold tap fds
 * @procs:	From owner_procs_list()
 * @ns:		Namespaces: only processes in those that have a wire with a
 *		tap are looked at
 * @n:		How many
 *
 * For each such process: every fd that is /dev/net/tun, and the "iff:"
 * line of its /proc/PID/fdinfo/FD (the tap it is attached to). A tap is
 * attributed to the network namespace its holder runs in. When several
 * processes hold one tap (a launcher that passed the fd on to qemu), a
 * process named qemu* is preferred, then the smallest PID.
 *
 * Return: table from "INO:IFNAME" to struct status_owner; g_hash_table_unref()
 */
GHashTable *owner_scan(GArray *procs, const struct status_netns *ns,
			     size_t n);

/**
 * owner_attach() - Give the wires of some namespaces their owners
 * @owners:	From owner_scan()
 * @ns:		Namespaces (their @ino picks the entries)
 * @n:		How many
 */
void owner_attach(GHashTable *owners, struct status_netns *ns, size_t n);

/**
 * owner_netns_ino_of() - The inode of a process's network namespace
 * @pid_dir:	"/proc/self", "/proc/41", ...
 *
 * Return: the inode, or 0 if it cannot be read
 */
uint64_t owner_netns_ino_of(const char *pid_dir);

#endif /* TCWIRE_STATUS_OWNER_H */
