/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - qemu netdev helper: a tap wired to a partner with tc mirred
 *
 * qemu ("-netdev tap,br=eth1,helper=tcwire-helper") or libvirt (session
 * mode, bridge_helper in qemu.conf) runs us with a socket on --fd. We
 * create a tap, wire it to the partner interface --br, send the tap fd back
 * and exit 0; or print one line, undo everything and exit 1.
 *
 * The order of steps is the security argument, so it is all here:
 *  1. parse and validate argv          (no side effects)
 *  2. sanitise env, umask and fds      (when privileges were gained)
 *  3. check the --fd socket
 *  4. refuse, with the cause and the fix, if a container runtime kept the
 *     installed power from us (bounding set, no_new_privs, nosuid)
 *  5. setuid root: open /dev/net/tun while euid is 0, the node's owner (a
 *     fixed path: nothing of the caller's is left to reach it)
 *  6. drop to the caller's uid, keep CAP_NET_ADMIN alone; file
 *     capabilities: keep CAP_DAC_OVERRIDE only if granted, open
 *     /dev/net/tun now, as the caller, and drop the override
 *  7. read the ACL as the caller and enforce it   (when privileges were gained)
 *     and confine the rest to a seccomp allow-list (seccomp.c)
 *  8. create, configure and wire the tap           (wiring.c)
 *  9. send the fd, waiting at most SEND_TIMEOUT_S for the caller to make
 *     room; exit 0 only if that worked
 *
 * With --reserve (reserve.c) step 8 makes the tap, for a partner that
 * need not exist yet, and wires it to nothing.
 *
 * With --rewire (rewire.c) the caller re-wires a tap it holds to a partner
 * that was created again: no /dev/net/tun is opened in steps 5 and 6;
 * after the drop the tap fd is received from the caller and checked (a
 * tcwire tap of this network namespace) before the ACL; step 8 replaces
 * the stale wire; step 9 is exiting 0, which closes the socket the caller
 * waits on.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "config.h"

#include "acl.h"
#include "acl_file.h"
#include "cmdline.h"
#include "wiring.h"
#include "client/error.h"
#include "client/fd_passing.h"
#include "wire/netlink.h"
#include "privileges.h"
#include "reserve.h"
#include "rewire.h"
#include "seccomp.h"
#include "tap_device.h"

#define PROG "tcwire-helper"

/*
 * How long the caller may leave its socket full. Past that the wiring is
 * rolled back: a caller must not keep a partner wired, and its lock held,
 * by not reading.
 */
#define SEND_TIMEOUT_S	5

/*
 * Print the one line a failure produces and return the exit status
 * #syscalls write
 */
static int fail(const struct tcw_err *err)
{
	fprintf(stderr, PROG ": %s\n", err->msg);
	return EXIT_FAILURE;
}

/*
 * Put the partner's name in front of the ACL failure in @err (result @rc),
 * so that two NICs refused for one broken file give two different lines
 */
static int acl_refusal_name(const char *partner, int rc, struct tcw_err *err)
{
	char why[TCW_ERR_LEN];

	snprintf(why, sizeof(why), "%s", err->msg);
	return tcw_err_set(err, -rc, "%s: %s", partner, why);
}

/* Refuse @partner unless the ACL file allows it for the caller in @priv */
static int acl_enforce(const char *partner, const struct privileges *priv,
		       struct tcw_err *err)
{
	const struct acl_caller caller = {
		.uid = priv->caller_uid,
		.gid = priv->caller_gid,
		.groups = priv->caller_groups,
		.n_groups = (size_t)priv->n_caller_groups,
		.wants = partner,
	};
	struct acl acl = { 0 };
	const struct acl_rule *deny;
	int rc;

	if (priv->n_caller_groups < 0)
		return tcw_err_set(err, E2BIG,
				   "%s: uid %u is in more than %d groups, too many to check the ACL",
				   partner, (unsigned int)priv->caller_uid,
				   PRIV_MAX_GROUPS);
	rc = acl_load_file(&acl, TCWIRE_ACL_FILE, &caller, true, err);
	if (rc)
		rc = acl_refusal_name(partner, rc, err);
	else if ((deny = acl_deny_rule(&acl, partner)))
		rc = tcw_err_set(err, EACCES,
				 "%s: not allowed by %s: the rule \"deny %s\" refuses it",
				 partner, TCWIRE_ACL_FILE,
				 deny->all ? "all" : deny->pattern);
	else if (!acl_allows(&acl, partner))
		rc = tcw_err_set(err, EACCES,
				 "%s: not allowed by %s: no rule allows it (add the line \"allow %s\")",
				 partner, TCWIRE_ACL_FILE, partner);
	acl_free(&acl);
	return rc;
}

/*
 * Step 9: send the tap's fds to the caller, within SEND_TIMEOUT_S
 * #syscalls setsockopt
 */
static int send_tap_fds(const struct helper_args *args,
			const struct tap_device *tap, struct tcw_err *err)
{
	const struct timeval limit = { .tv_sec = SEND_TIMEOUT_S };
	int rc;

	if (setsockopt(args->sock_fd, SOL_SOCKET, SO_SNDTIMEO, &limit,
		       sizeof(limit)))
		return tcw_err_set(err, errno, "--fd=%d: cannot set a send timeout: %s",
				   args->sock_fd, strerror(errno));
	rc = tcw_fds_send(args->sock_fd, tap->fds, tap->n_fds);
	if (rc == -EAGAIN || rc == -EWOULDBLOCK)
		return tcw_err_set(err, ETIMEDOUT,
				   "%s: the caller did not take the tap fd within %d s",
				   args->partner, SEND_TIMEOUT_S);
	if (rc)
		return tcw_err_set(err, -rc, "%s: cannot send the tap fd: %s",
				   args->partner, strerror(-rc));
	return 0;
}

/* Steps 8 and 9: wire the tap, send its fds, or undo it all */
static int wire_and_send(const struct helper_args *args,
			 struct tap_device *tap, struct tcw_err *err)
{
	struct wiring wiring;
	struct tcw_nl nl;
	int rc;

	wiring_init(&wiring, args->partner);
	rc = tcw_nl_open(&nl, err);
	if (rc)
		return rc;
	rc = wiring_create(&nl, &wiring, tap, args->use_vnet, err);
	if (rc == 0)
		rc = send_tap_fds(args, tap, err);
	if (rc)
		wiring_undo(&nl, &wiring);
	wiring_release(&wiring);
	tcw_nl_close(&nl);
	return rc;
}

/* --reserve, steps 8 and 9: a tap wired to nothing, its fds sent */
static int reserve_and_send(const struct helper_args *args,
			    struct tap_device *tap, struct tcw_err *err)
{
	struct tcw_nl nl;
	int rc;

	rc = tcw_nl_open(&nl, err);
	if (rc)
		return rc;
	rc = reserve_tap(&nl, tap, args->use_vnet, args->partner, err);
	if (rc == 0)
		rc = send_tap_fds(args, tap, err);
	tcw_nl_close(&nl);
	return rc;	/* on failure the fds close and the tap goes */
}

/* --rewire, step 8: wire the caller's tap to the partner */
static int rewire(const struct helper_args *args, const struct rewire_tap *t,
		  struct tcw_err *err)
{
	struct tcw_nl nl;
	int rc;

	rc = tcw_nl_open(&nl, err);
	if (rc)
		return rc;
	rc = rewire_tap_to_partner(&nl, t, args->partner, err);
	tcw_nl_close(&nl);
	return rc;
}

/* --rewire, step 6: the caller's tap instead of new tun queues */
static int rewire_tap_get(const struct helper_args *args,
			  struct rewire_tap *rt, struct tcw_err *err)
{
	int rc = rewire_receive_tap(args->sock_fd, rt, err);

	return rc ? rc : rewire_check_tap(rt, args->partner, err);
}

/*
 * Steps 4 to 6: open the tun queues where that needs the least power (or,
 * with --rewire, receive and check the caller's tap), and give up all of
 * it but CAP_NET_ADMIN
 */
static int open_tun_and_drop(const struct helper_args *args,
			     struct privileges *priv, struct tap_device *tap,
			     struct rewire_tap *rt, struct tcw_err *err)
{
	bool as_root = !args->rewire && privileges_tun_as_root(priv);
	int rc;

	rc = privileges_check_granted(priv, err);
	if (rc == 0 && as_root)
		rc = tap_open_queues(tap, args->queues, priv->caller_uid,
				     priv->caller_gid, err);
	if (rc == 0)
		rc = privileges_drop(priv, err);
	if (rc == 0 && !as_root && !args->rewire)
		rc = tap_open_queues(tap, args->queues, priv->caller_uid,
				     priv->caller_gid, err);
	if (rc == 0 && args->rewire)
		rc = rewire_tap_get(args, rt, err);
	if (rc == 0)
		rc = privileges_drop_tun_override(priv, err);
	return rc;
}

int main(int argc, char **argv)
{
	struct helper_args args;
	struct privileges priv;
	struct tcw_err err = { "" };
	struct tap_device tap;
	struct rewire_tap rt;
	int rc;

	tap_device_init(&tap);
	rewire_tap_init(&rt);

	/*
	 * A caller's limits must not turn the one error line into a death
	 * by signal: a full RLIMIT_FSIZE file or a closed pipe on stderr
	 * makes write() fail instead, and we exit 1 as always.
	 */
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	privileges_detect(&priv);
	if (helper_args_parse(argc, argv, &args, &err))
		return fail(&err);
	if (args.action == HELPER_SHOW_HELP) {
		fputs(helper_usage(), stdout);
		return EXIT_SUCCESS;
	}
	if (args.action == HELPER_SHOW_VERSION) {
		printf(PROG " " TCWIRE_VERSION "\n");
		return EXIT_SUCCESS;
	}

	if (privileges_sanitize_process(&priv, args.sock_fd, &err))
		return fail(&err);
	rc = tcw_fd_check_unix_stream(args.sock_fd);
	if (rc) {
		tcw_err_set(&err, -rc, "--fd=%d: %s", args.sock_fd,
			    rc == -EBADF ? "not an open file descriptor" :
			    rc == -ENOTCONN ? "socket is not connected" :
			    "not a unix stream socket");
		return fail(&err);
	}
	rc = open_tun_and_drop(&args, &priv, &tap, &rt, &err);
	if (rc == 0 && privileges_boundary_crossed(&priv))
		rc = acl_enforce(args.partner, &priv, &err);
	if (rc == 0 && privileges_boundary_crossed(&priv))
		rc = seccomp_confine(&err);
	if (rc == 0 && args.rewire)
		rc = rewire(&args, &rt, &err);
	else if (rc == 0)
		rc = args.reserve ? reserve_and_send(&args, &tap, &err) :
		     wire_and_send(&args, &tap, &err);
	tap_close(&tap);
	rewire_tap_close(&rt);
	return rc ? fail(&err) : EXIT_SUCCESS;
}
