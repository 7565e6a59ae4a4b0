/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - client side of the helper protocol: run tcwire-helper as qemu does
 */
#ifndef TCWIRE_HELPER_CLIENT_H
#define TCWIRE_HELPER_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "client/error.h"
#include "client/fd_passing.h"

/**
 * struct tcw_helper_request - One tap to ask the helper for
 * @helper:	Path of tcwire-helper (or any qemu-bridge-helper compatible)
 * @partner:	Partner interface, passed as --br=
 * @use_vnet:	Pass --use-vnet (tap with virtio-net header)
 * @queues:	Queue count; above 1 passes --queues=N for a multiqueue tap
 * @rewire:	Pass --rewire (tcw_helper_rewire())
 * @reserve:	Pass --reserve: a tap for @partner, which need not exist
 *		yet, wired to nothing (re-wired once it appears)
 * @mgmt:	Pass --mgmt: a management passthrough of @partner
 * @mgmt_local:	With @mgmt, pass --mgmt-local-tcp=LIST (NULL: the helper's
 *		default); over 200 bytes the helper is not run
 * @keep_caller_fds:	Let the helper inherit all our fds, as a careless
 *			parent would (tests of the helper's fd hygiene)
 * @spawned:	If set, called in the parent right after the fork with our
 *		socket end, before reading (tests use it to misbehave)
 * @spawned_ctx:	Passed to @spawned
 */
struct tcw_helper_request {
	const char *helper;
	const char *partner;
	bool use_vnet;
	unsigned int queues;
	bool rewire;
	bool reserve;
	bool mgmt;
	const char *mgmt_local;
	bool keep_caller_fds;
	void (*spawned)(int sock, pid_t pid, void *ctx);
	void *spawned_ctx;
};

/**
 * struct tcw_helper_reply - What the helper sent back
 * @fds:	Tap fds, one per queue, close-on-exec; -1 past @n
 * @n:		Number of @fds
 */
struct tcw_helper_reply {
	int fds[TCW_MAX_FDS];
	size_t n;
};

/**
 * struct tcw_helper_call - A helper started by tcw_helper_start()
 * @req:	The request (must outlive the call)
 * @sock:	Our end of the socketpair
 * @pid:	The helper's pid
 * @partner:	Partner name quoted for messages
 * @send_rc:	How sending the tap fd went (tcw_helper_rewire_start())
 */
struct tcw_helper_call {
	const struct tcw_helper_request *req;
	int sock;
	pid_t pid;
	char partner[64];
	int send_rc;
};

/**
 * tcw_helper_start() - Fork and exec the helper, without waiting for it
 * @req:	What to ask for
 * @call:	Filled for tcw_helper_finish()
 * @err:	Filled on failure
 *
 * Our socket end is close-on-exec, so helpers started side by side never
 * inherit each other's sockets (a helper holding another's socket would
 * make that one's reader hang, qemu gitlab #166).
 *
 * Return: 0 or negative errno
 */
int tcw_helper_start(const struct tcw_helper_request *req,
		     struct tcw_helper_call *call, struct tcw_err *err);

/**
 * tcw_helper_finish() - Read a started helper's fds and reap it
 * @call:	From tcw_helper_start()
 * @reply:	Filled with the fds on success
 * @err:	Filled on failure
 *
 * Return: 0 or negative errno; on failure no fd is left open
 */
int tcw_helper_finish(struct tcw_helper_call *call,
		      struct tcw_helper_reply *reply, struct tcw_err *err);

/**
 * tcw_helper_collect() - Read the fds of a started helper that was reaped
 *			  elsewhere (a main loop's child watch)
 * @call:	From tcw_helper_start()
 * @status:	Its exit status (128 + signal if it was killed)
 * @reply:	Filled with the fds on success
 * @err:	Filled on failure
 *
 * For callers that must not block: the helper has exited, so what it sent
 * waits in the socket. The rules are tcw_helper_finish()'s.
 *
 * Return: 0 or negative errno; on failure no fd is left open
 */
int tcw_helper_collect(struct tcw_helper_call *call, int status,
		       struct tcw_helper_reply *reply, struct tcw_err *err);

/**
 * tcw_helper_run() - Run the helper over a socketpair and collect its fds
 * @req:	What to ask for
 * @reply:	Filled with the fds on success
 * @err:	Filled on failure
 *
 * Exactly qemu's protocol (net/tap.c): socketpair, fork, the child keeps
 * only 0/1/2 and its socket end and execs the helper with "--use-vnet
 * --fd=N --br=NAME"; the parent reads one SCM_RIGHTS message, then reaps the
 * helper and requires exit status 0. The helper's stderr is ours, so its
 * one-line message reaches the user unchanged.
 *
 * Return: 0 or negative errno; on failure no fd is left open
 */
int tcw_helper_run(const struct tcw_helper_request *req,
		   struct tcw_helper_reply *reply, struct tcw_err *err);

/**
 * tcw_helper_reply_close() - Close every fd of a reply
 * @reply:	Reply filled by tcw_helper_run()
 */
void tcw_helper_reply_close(struct tcw_helper_reply *reply);

/**
 * tcw_helper_rewire() - Have the helper wire an existing tap to a partner
 * @helper:	Path of tcwire-helper
 * @partner:	The partner, passed as --br=
 * @tap_fd:	An fd of the tap (any queue): sent to the helper, which
 *		takes holding it as proof that the tap is the caller's
 * @err:	Filled on failure
 *
 * Runs "helper --rewire --fd=N --br=PARTNER", sends @tap_fd over the
 * socket (one SCM_RIGHTS message, as the helper sends fds), waits until
 * the helper closes the socket and requires exit status 0. The helper's
 * own one-line message goes to our stderr.
 *
 * Return: 0 or negative errno
 */
int tcw_helper_rewire(const char *helper, const char *partner, int tap_fd,
		      struct tcw_err *err);

/**
 * tcw_helper_rewire_start() - tcw_helper_rewire() without waiting
 * @req:	Request with @rewire set (must outlive the call)
 * @tap_fd:	As for tcw_helper_rewire()
 * @call:	Filled for tcw_helper_rewire_collect()
 * @err:	Filled on failure
 *
 * Starts the helper and sends @tap_fd; the caller reaps the helper (a
 * main loop's child watch) and then calls tcw_helper_rewire_collect().
 *
 * Return: 0 or negative errno (the helper could not be started)
 */
int tcw_helper_rewire_start(const struct tcw_helper_request *req, int tap_fd,
			    struct tcw_helper_call *call, struct tcw_err *err);

/**
 * tcw_helper_rewire_collect() - The outcome of a re-wire that has exited
 * @call:	From tcw_helper_rewire_start()
 * @status:	The helper's exit status
 * @err:	Filled on failure
 *
 * Return: 0 if the tap was re-wired, else negative errno
 */
int tcw_helper_rewire_collect(struct tcw_helper_call *call, int status,
			      struct tcw_err *err);

#endif /* TCWIRE_HELPER_CLIENT_H */
