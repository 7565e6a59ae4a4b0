/* SPDX-License-Identifier: GPL-2.0-or-later
 * wire-client - drive tcwire-helper exactly as qemu does, for tests
 *
 * Usage: wire-client --helper PATH --br NAME [--use-vnet] [--queues N]
 *		      [--reserve] [--mgmt [--mgmt-local-tcp LIST]]
 *		      [-- COMMAND [ARGS...]]
 *
 * Runs the helper through the shared protocol client (helper_client.c, the
 * code tcwire-qemu uses), receives the tap fd(s), then either prints the tap
 * name and exits (closing the fds deletes the tap), or runs COMMAND with the
 * fds inherited, like qemu: TCWIRE_TAP_FD (first fd), TCWIRE_TAP_FDS
 * ("a:b:..."), TCWIRE_TAP_NAME, TCWIRE_TAP_VNET (1 if IFF_VNET_HDR).
 * Exit status: COMMAND's, or 1 if the helper failed.
 *
 * Hostile variants for error tests: --shutdown-socket shuts our socket end
 * down before reading, so the helper's send fails after it wired
 * everything; --keep-fds lets the helper inherit all our fds;
 * --make-persistent does what any holder of a tap fd may do without
 * privileges: TUNSETOWNER to itself and TUNSETPERSIST, so the tap outlives
 * the fd (the helper must treat such an orphan as a stale wire).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <net/if.h>
#include <linux/if_tun.h>

#include "client/helper_client.h"

/* spawned hook: refuse to read, so the helper's sendmsg gets EPIPE */
static void shutdown_socket(int sock, pid_t pid, void *ctx)
{
	shutdown(sock, SHUT_RDWR);
}

/* Run @cmd with the tap fds inherited and described in TCWIRE_TAP_*;
 * returns 127 if it cannot be run */
static int exec_with_taps(const struct tcw_helper_reply *reply,
			  const struct ifreq *ifr, char **cmd)
{
	char fds[256] = "", num[16];
	size_t i;

	for (i = 0; i < reply->n; i++) {
		fcntl(reply->fds[i], F_SETFD, 0);
		snprintf(num, sizeof(num), "%s%d", i ? ":" : "", reply->fds[i]);
		strncat(fds, num, sizeof(fds) - strlen(fds) - 1);
	}
	snprintf(num, sizeof(num), "%d", reply->fds[0]);
	setenv("TCWIRE_TAP_FD", num, 1);
	setenv("TCWIRE_TAP_FDS", fds, 1);
	setenv("TCWIRE_TAP_NAME", ifr->ifr_name, 1);
	setenv("TCWIRE_TAP_VNET", (ifr->ifr_flags & IFF_VNET_HDR) ? "1" : "0", 1);
	execvp(cmd[0], cmd);
	fprintf(stderr, "wire-client: %s: %s\n", cmd[0], strerror(errno));
	return 127;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "helper", required_argument, NULL, 'h' },
		{ "br", required_argument, NULL, 'b' },
		{ "use-vnet", no_argument, NULL, 'v' },
		{ "queues", required_argument, NULL, 'q' },
		{ "shutdown-socket", no_argument, NULL, 's' },
		{ "keep-fds", no_argument, NULL, 'k' },
		{ "make-persistent", no_argument, NULL, 'p' },
		{ "reserve", no_argument, NULL, 'r' },
		{ "mgmt", no_argument, NULL, 'm' },
		{ "mgmt-local-tcp", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct tcw_helper_request req = { .queues = 1 };
	struct tcw_helper_reply reply;
	struct tcw_err err = { "" };
	struct ifreq ifr;
	bool persist = false;
	int c;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'h': req.helper = optarg; break;
		case 'b': req.partner = optarg; break;
		case 'v': req.use_vnet = true; break;
		case 'q': req.queues = (unsigned int)atoi(optarg); break;
		case 's': req.spawned = shutdown_socket; break;
		case 'k': req.keep_caller_fds = true; break;
		case 'p': persist = true; break;
		case 'r': req.reserve = true; break;
		case 'm': req.mgmt = true; break;
		case 'l': req.mgmt_local = optarg; break;
		default: return 2;
		}
	}
	if (!req.helper || !req.partner) {
		fprintf(stderr, "usage: wire-client --helper PATH --br NAME [--use-vnet] [--queues N] [--reserve] [--mgmt [--mgmt-local-tcp LIST]] [-- CMD...]\n");
		return 2;
	}
	if (tcw_helper_run(&req, &reply, &err)) {
		fprintf(stderr, "wire-client: %s\n", err.msg);
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(reply.fds[0], TUNGETIFF, &ifr) < 0) {
		perror("wire-client: TUNGETIFF");
		return 1;
	}
	if (persist && (ioctl(reply.fds[0], TUNSETOWNER, (unsigned long)getuid()) < 0 ||
			ioctl(reply.fds[0], TUNSETPERSIST, 1UL) < 0)) {
		perror("wire-client: TUNSETPERSIST");
		return 1;
	}
	if (optind >= argc) {
		printf("%s\n", ifr.ifr_name);
		return 0;
	}
	return exec_with_taps(&reply, &ifr, argv + optind);
}
