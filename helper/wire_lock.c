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

/* Fill @sa with the abstract address of @ifindex's lock; returns its length */
static socklen_t lock_address(int ifindex, struct sockaddr_un *sa)
{
	int len;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	/* sun_path[0] stays '\0': the abstract namespace, no file */
	len = snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1,
		       "tcwire/wire-lock/%d", ifindex);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

/*
 * See wire_lock.h
 * #syscalls socket bind close clock_nanosleep nanosleep?
 */
int wire_lock(int ifindex, const char *name, struct tcw_err *err)
{
	const struct timespec pause = { 0, 5 * 1000 * 1000 };
	struct sockaddr_un sa;
	socklen_t salen = lock_address(ifindex, &sa);
	int fd, waited_ms, e;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return tcw_err_set(err, errno, "%s: cannot create lock socket: %s",
				   name, strerror(errno));
	for (waited_ms = 0; ; waited_ms += 5) {
		if (bind(fd, (struct sockaddr *)&sa, salen) == 0)
			return fd;
		if (errno != EADDRINUSE || waited_ms >= WIRE_LOCK_WAIT_MS)
			break;
		nanosleep(&pause, NULL);
	}
	e = errno;
	close(fd);
	if (e == EADDRINUSE)
		return tcw_err_set(err, EBUSY,
				   "%s: busy: another tcwire-helper is wiring it",
				   name);
	return tcw_err_set(err, e, "%s: cannot take wire lock: %s", name,
			   strerror(e));
}
