/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - per-partner lock, so two helpers never wire one partner at once
 */
#ifndef TCWIRE_WIRE_LOCK_H
#define TCWIRE_WIRE_LOCK_H

#include "client/error.h"

/* How long wire_lock() waits for another helper, in milliseconds */
#define WIRE_LOCK_WAIT_MS	10000

/**
 * wire_lock() - Take the wire lock of a partner, waiting a bounded time
 * @ifindex:	Partner device
 * @name:	Partner name, for messages
 * @err:	Filled on failure
 *
 * The lock is a unix socket bound to the abstract name
 * "tcwire/wire-lock/<ifindex>". Such names live in the network namespace,
 * need no file, and are released by the kernel when the holder exits,
 * even by SIGKILL.
 *
 * Return: lock fd (close it to release), -EBUSY after WIRE_LOCK_WAIT_MS,
 *	   or another negative errno
 */
int wire_lock(int ifindex, const char *name, struct tcw_err *err);

#endif /* TCWIRE_WIRE_LOCK_H */
