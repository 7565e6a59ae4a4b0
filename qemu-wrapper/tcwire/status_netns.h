/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - the network namespaces to read, and reading them
 */
#ifndef TCWS_STATUS_NETNS_H
#define TCWS_STATUS_NETNS_H

#include <glib.h>

#include "client/error.h"
#include "status_model.h"
#include "status_snapshot.h"

/**
 * tcws_netns_read_here() - Read the network namespace we run in
 * @ns:		Result (label and enter prefix NULL); on failure @ns->error
 *		and @ns->error_msg say why
 * @cost:	If not NULL, the requests it took
 *
 * Return: 0 or negative errno
 */
int tcws_netns_read_here(struct tcws_netns *ns, struct tcws_snapshot_cost *cost);

/**
 * tcws_netns_read_all() - Read every network namespace of the host
 * @out:	Array of struct tcws_netns, appended to: named namespaces
 *		(/run/netns) by name, then the others found through
 *		/proc/PID/ns/net, one per namespace: "host" (that of PID 1),
 *		"container:HOSTNAME" for a process with its own UTS namespace,
 *		"pid:PID:COMM" otherwise. A namespace that cannot be read is
 *		in the array with its error.
 * @procs:	The processes (tcws_procs_list())
 * @cost:	If not NULL, the requests it took, summed
 * @err:	Filled on failure
 *
 * Needs CAP_SYS_ADMIN (to enter namespaces) and CAP_SYS_PTRACE (to see
 * other users' processes): the caller checks that first. Enters each
 * namespace only to open an rtnetlink socket there and returns at once.
 *
 * Return: 0, or negative errno if our own namespace cannot be returned to
 *	   (then the process must exit)
 */
int tcws_netns_read_all(GArray *out, GArray *procs,
			struct tcws_snapshot_cost *cost, struct tcw_err *err);

/**
 * tcws_netns_array_new() - An empty array for tcws_netns_read_all()
 *
 * Return: array that frees its elements' contents; g_array_unref()
 */
GArray *tcws_netns_array_new(void);

/**
 * tcws_netns_collect() - Read our namespace, or all of them, with owners
 * @all:	Every namespace of the host (tcws_netns_read_all()), else
 *		only ours
 * @out:	From tcws_netns_array_new(), appended to
 * @cost:	If not NULL, the requests it took
 * @err:	Filled on failure
 *
 * Reads the namespaces, then finds the processes holding the taps
 * (status_owner.c) and gives each wire its owner.
 *
 * Return: 0 or negative errno: our own namespace could not be read (not
 *	   --all), or could not be returned to (--all)
 */
int tcws_netns_collect(bool all, GArray *out, struct tcws_snapshot_cost *cost,
		       struct tcw_err *err);

#endif /* TCWS_STATUS_NETNS_H */
