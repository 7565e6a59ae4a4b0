/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - waiting for the container's data interfaces
 */
#ifndef TCWIRE_IFACE_WAIT_H
#define TCWIRE_IFACE_WAIT_H

#include <glib.h>

#include "client/error.h"
#include "live/link_monitor.h"

/**
 * struct iface_request - Which data interfaces the VM gets
 * @names:	Explicit list (--interfaces), in NIC order; NULL if none
 * @prefix:	Otherwise interfaces named PREFIX<K>, K >= 1, at position K
 * @count:	With @prefix: wait until this many exist; 0 takes what is
 *		there now without waiting
 */
struct iface_request {
	char **names;
	const char *prefix;
	unsigned int count;
};

/**
 * iface_wait() - Wait, event-driven, until the requested interfaces exist
 * @m:		Link monitor (opened before, kept after, so that the
 *		supervisor sees every change that follows)
 * @req:	What to wait for
 * @timeout_ms:	Give up after this long
 * @partners:	Result: partner names by NIC position (index 0 = position
 *		1), NULL entries for gaps below the highest present one
 * @err:	Filled on failure: names every missing interface
 *
 * Re-evaluates after every batch of rtnetlink link notifications
 * (interfaces may appear, vanish or be renamed while we wait), once the
 * monitor's first dump is complete. Never polls on a timer, never waits
 * forever.
 *
 * Return: 0, -ETIMEDOUT, or another negative errno
 */
int iface_wait(struct link_monitor *m, const struct iface_request *req,
	       int timeout_ms, GPtrArray **partners, struct tcw_err *err);

/* How long --print waits for the kernel's link table */
#define IFACE_DUMP_TIMEOUT_MS	5000

/**
 * iface_plan_now() - What iface_wait() returns if the wait ended now, with
 *		      what it still waits for there under the names it waits for
 * @m:		Link monitor, opened
 * @req:	Request with @names, or @prefix and @count
 * @partners:	Result, as iface_wait()'s: the interfaces present laid out
 *		as a real run lays them out (every PREFIX<K> at position K,
 *		also beyond @count), and a request not yet met completed:
 *		every listed name, or the lowest free PREFIX<K> until @count
 *		exist
 * @assumed:	Result: the names in @partners that do not exist now
 * @err:	Filled on failure
 *
 * Used by --print, which never waits and runs no helper, so that it shows
 * the plan of a real run started now.
 *
 * Return: 0 or negative errno (the link table could not be read)
 */
int iface_plan_now(struct link_monitor *m, const struct iface_request *req,
		   GPtrArray **partners, GPtrArray **assumed,
		   struct tcw_err *err);

/**
 * iface_suffix() - K of "PREFIX<K>", for names of that form
 * @name:	Interface name
 * @prefix:	Prefix
 *
 * Return: K >= 1, or 0 if @name is not PREFIX followed by digits
 */
unsigned int iface_suffix(const char *name, const char *prefix);

#endif
