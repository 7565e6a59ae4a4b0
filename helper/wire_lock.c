/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - per-partner lock, so two helpers never wire one partner at once
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "wire_lock.h"

/* See wire_lock.h */
char *tcw_wire_lock_name(int ifindex, char *buf, size_t len)
{
	snprintf(buf, len, "tcwire/wire-lock/%d", ifindex);
	return buf;
}

/*
 * See wire_lock.h
 * #syscalls socket bind close clock_nanosleep nanosleep?
 */
int tcw_wire_lock(int ifindex, const char *name, struct tcw_err *err)
{
	const struct timespec pause = { 0, 5 * 1000 * 1000 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char lock[64];
	socklen_t salen;
	int fd, waited_ms;

	tcw_wire_lock_name(ifindex, lock, sizeof(lock));
	/* sun_path[0] stays '\0': abstract namespace */
	memcpy(sa.sun_path + 1, lock, strlen(lock));
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			    strlen(lock));

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return tcw_err_set(err, errno, "%s: cannot create lock socket: %s",
				   name, strerror(errno));
	for (waited_ms = 0; ; waited_ms += 5) {
		if (bind(fd, (struct sockaddr *)&sa, salen) == 0)
			return fd;
		if (errno != EADDRINUSE)
			break;
		if (waited_ms >= TCW_WIRE_LOCK_WAIT_MS) {
			close(fd);
			return tcw_err_set(err, EBUSY,
					   "%s: busy: another tcwire-helper is wiring it",
					   name);
		}
		nanosleep(&pause, NULL);
	}
	waited_ms = errno;
	close(fd);
	return tcw_err_set(err, waited_ms, "%s: cannot take wire lock: %s",
			   name, strerror(waited_ms));
}
