/* SPDX-License-Identifier: GPL-2.0-or-later
 * hold-lock - hold a partner's wire lock, so a helper run waits for it
 *
 * Usage: hold-lock IFINDEX SECONDS
 *
 * Takes the lock exactly as tcwire-helper does (wire_lock.c), prints
 * "locked", and keeps it until SECONDS passed or it is killed. Privilege
 * tests use the wait to look at the running helper in /proc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "wire_lock.h"

int main(int argc, char **argv)
{
	struct tcw_err err;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: hold-lock IFINDEX SECONDS\n");
		return 2;
	}
	fd = wire_lock(atoi(argv[1]), argv[1], &err);
	if (fd < 0) {
		fprintf(stderr, "hold-lock: %s\n", err.msg);
		return 1;
	}
	printf("locked\n");
	fflush(stdout);
	sleep((unsigned int)atoi(argv[2]));
	return 0;
}
