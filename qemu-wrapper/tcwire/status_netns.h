/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - the network namespaces to read, and reading them
 */
#ifndef TCWIRE_STATUS_NETNS_H
#define TCWIRE_STATUS_NETNS_H

#include <glib.h>

#include "client/error.h"
#include "status_model.h"
#include "status_snapshot.h"

/**
 * netns_array_new() - An empty array for netns_read_all()
 *
 * Return: array that frees its elements' contents; g_array_unref()
 */
GArray *netns_array_new(void);

/**
 * netns_collect() - Read our namespace, or all of them, with owners
 * @all:	Every namespace of the host (netns_read_all()), else
 *		only ours
 * @out:	From netns_array_new(), appended to
 * @cost:	If not NULL, the requests it took
 * @err:	Filled on failure
 *
 * Reads the namespaces, then finds the processes holding the taps
 * (status_owner.c) and gives each wire its owner.
 *
 * Return: 0 or negative errno: our own namespace could not be read (not
 *	   --all), or could not be returned to (--all)
 */
int netns_collect(bool all, GArray *out, struct snapshot_cost *cost,
		       struct tcw_err *err);

#endif /* TCWIRE_STATUS_NETNS_H */
