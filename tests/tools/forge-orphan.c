/* SPDX-License-Identifier: GPL-2.0-or-later
 * forge-orphan - make a tap we hold look like nobody holds it, then try to
 *		  reuse our fd on another tap, as an attacker would
 *
 * Usage: wire-client ... -- forge-orphan carrier|detach STATE VICTIM
 *
 * Runs as the command of a wire-client, holding the tap's fds
 * (TCWIRE_TAP_FDS, "a:b:..."). Everything it does needs no privilege: the
 * tap is ours.
 *  1. TUNSETPERSIST on; then "carrier": TUNSETCARRIER off (what a
 *     single-queue tap shows once its last fd is gone); "detach":
 *     TUNSETQUEUE IFF_DETACH_QUEUE on every fd (what a multiqueue tap shows
 *     then: no attached queue).
 *  2. Writes the tap's name to STATE.ready, then waits for STATE.go (or
 *     for STATE's folder to go away: then it exits).
 *  3. Asks TUNSETIFF for VICTIM (an owner-less tap of root's) on the first
 *     fd, and writes "attached" to STATE.result if the kernel let it in
 *     (the fd, opened by root in setuid mode, outlived its tap), else the
 *     error's text.
 * Exit status 0 unless a step of 1 failed (2: usage).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <net/if.h>
#include <linux/if_tun.h>

/* Write @text to @state@suffix at once (a temporary file, renamed) */
static void put(const char *state, const char *suffix, const char *text)
{
	char tmp[4096], path[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s%s.tmp", state, suffix);
	snprintf(path, sizeof(path), "%s%s", state, suffix);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%s\n", text);
	fclose(f);
	rename(tmp, path);
}

/* Step 1 on every fd of @fds ("a:b:..."); 0 or the failing errno */
static int forge(const char *mode, char *fds)
{
	char *tok, *save = NULL;
	bool first = true;

	for (tok = strtok_r(fds, ":", &save); tok;
	     tok = strtok_r(NULL, ":", &save)) {
		int fd = atoi(tok), off = 0;
		struct ifreq ifr;

		if (first && ioctl(fd, TUNSETPERSIST, 1UL) < 0)
			return errno;
		if (!strcmp(mode, "carrier")) {
			if (first && ioctl(fd, TUNSETCARRIER, &off) < 0)
				return errno;
		} else {
			memset(&ifr, 0, sizeof(ifr));
			ifr.ifr_flags = IFF_DETACH_QUEUE;
			if (ioctl(fd, TUNSETQUEUE, &ifr) < 0)
				return errno;
		}
		first = false;
	}
	return 0;
}

/* Step 2: wait for STATE.go; false if the folder went away */
static bool wait_go(const char *state)
{
	char go[4096], dir[4096];
	struct stat st;

	snprintf(go, sizeof(go), "%s.go", state);
	snprintf(dir, sizeof(dir), "%s", state);
	dirname(dir);
	while (stat(go, &st) < 0) {
		if (stat(dir, &st) < 0)
			return false;
		usleep(20000);
	}
	return true;
}

int main(int argc, char **argv)
{
	const char *fds_env = getenv("TCWIRE_TAP_FDS");
	const char *name = getenv("TCWIRE_TAP_NAME");
	char fds[256];
	struct ifreq ifr;
	int e;

	if (argc != 4 || !fds_env || !name || strlen(argv[3]) >= IFNAMSIZ ||
	    (strcmp(argv[1], "carrier") && strcmp(argv[1], "detach"))) {
		fprintf(stderr, "usage: forge-orphan carrier|detach STATE VICTIM (as a wire-client command)\n");
		return 2;
	}
	snprintf(fds, sizeof(fds), "%s", fds_env);
	e = forge(argv[1], fds);
	if (e) {
		fprintf(stderr, "forge-orphan: %s: %s\n", argv[1], strerror(e));
		return 1;
	}
	put(argv[2], ".ready", name);
	if (!wait_go(argv[2]))
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[3]);
	put(argv[2], ".result", ioctl(atoi(fds_env), TUNSETIFF, &ifr) == 0 ?
	    "attached" : strerror(errno));
	return 0;
}
