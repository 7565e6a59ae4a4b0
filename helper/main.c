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
 *  4. drop to the caller's uid, keep CAP_NET_ADMIN (+ DAC override)
 *  5. open /dev/net/tun, drop the DAC override
 *  6. read the ACL as the caller and enforce it   (when privileges were gained)
 *     and confine the rest to a seccomp allow-list (seccomp.c)
 *  7. create, configure and wire the tap           (connect.c)
 *  8. send the fd; exit 0 only if that worked
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "acl.h"
#include "acl_file.h"
#include "cmdline.h"
#include "connect.h"
#include "error.h"
#include "fd_passing.h"
#include "netlink.h"
#include "privileges.h"
#include "seccomp.h"
#include "tap_device.h"

#define PROG "tcwire-helper"

/*
 * Print the one line a failure produces and return the exit status
 * #syscalls write
 */
static int fail(const struct tcw_err *err)
{
	fprintf(stderr, PROG ": %s\n", err->msg);
	return EXIT_FAILURE;
}

/* Refuse @partner unless the ACL file allows it */
static int acl_enforce(const char *partner, struct tcw_err *err)
{
	struct acl acl = { 0 };
	int rc;

	rc = acl_load_file(&acl, TCWIRE_ACL_FILE, true, err);
	if (rc == 0 && !acl_allows(&acl, partner))
		rc = tcw_err_set(err, EACCES, "%s: not allowed by %s", partner,
				 TCWIRE_ACL_FILE);
	acl_free(&acl);
	return rc;
}

/* Steps 7 and 8: wire the tap, send its fds, or undo it all */
static int wire_and_send(const struct helper_args *args,
			 struct tap_device *tap, struct tcw_err *err)
{
	struct connection conn = { .partner_name = args->partner };
	struct tcw_nl nl;
	int rc;

	rc = tcw_nl_open(&nl, err);
	if (rc)
		return rc;
	rc = connect_tap_to_partner(&nl, &conn, tap, args->use_vnet, err);
	if (rc == 0) {
		rc = tcw_fds_send(args->sock_fd, tap->fds, tap->n_fds);
		if (rc)
			tcw_err_set(err, -rc, "%s: cannot send the tap fd: %s",
				    args->partner, strerror(-rc));
	}
	if (rc)
		connect_undo(&nl, &conn);
	connect_release(&conn);
	tcw_nl_close(&nl);
	return rc;
}

int main(int argc, char **argv)
{
	struct helper_args args;
	struct privileges priv;
	struct tap_device tap;
	struct tcw_err err = { "" };
	int rc;

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
	if (privileges_drop(&priv, &err))
		return fail(&err);
	rc = tap_open_queues(&tap, args.queues, &err);
	if (rc == 0)
		rc = privileges_drop_tun_override(&priv, &err);
	if (rc == 0 && privileges_boundary_crossed(&priv))
		rc = acl_enforce(args.partner, &err);
	if (rc == 0 && privileges_boundary_crossed(&priv))
		rc = seccomp_confine(&err);
	if (rc == 0)
		rc = wire_and_send(&args, &tap, &err);
	tap_close(&tap);
	return rc ? fail(&err) : EXIT_SUCCESS;
}
