/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - closing the fds a program inherited, one way everywhere
 *
 * The helper closes every fd its caller left it but the --fd socket;
 * tcwire-qemu keeps nothing it inherited from reaching qemu or the helper.
 * Both need the same care: close_range(2) is one system call, but kernels
 * before 5.9 lack it (and CLOSE_RANGE_CLOEXEC before 5.11), and a silent
 * failure there would leak every fd.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/close_range.h>

#include "client/close_fds.h"

/* The loop for kernels without close_range(2) */
static int close_fds_one_by_one(unsigned int from, unsigned int to,
				bool cloexec)
{
	long open_max = sysconf(_SC_OPEN_MAX);
	unsigned int fd, last;
	int rc = 0;

	last = open_max > 0 && (unsigned long)open_max - 1 < to ?
	       (unsigned int)(open_max - 1) : to;
	for (fd = from; fd <= last && fd <= (unsigned int)__INT_MAX__; fd++) {
		int r = cloexec ? fcntl((int)fd, F_SETFD, FD_CLOEXEC) :
				  close((int)fd);

		if (r < 0 && errno != EBADF && !rc)
			rc = -errno;
		if (fd == last)
			break;
	}
	return rc;
}

/* See close_fds.h */
int tcw_close_fds(unsigned int from, unsigned int to, bool cloexec)
{
	if (from > to)
		return 0;
	if (syscall(SYS_close_range, from, to,
		    cloexec ? CLOSE_RANGE_CLOEXEC : 0U) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL)
		return -errno;
	return close_fds_one_by_one(from, to, cloexec);
}
