/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - closing the fds a program inherited, one way everywhere
 */
#ifndef TCWIRE_CLOSE_FDS_H
#define TCWIRE_CLOSE_FDS_H

#include <stdbool.h>

/**
 * tcw_close_fds() - Close, or mark close-on-exec, every fd in a range
 * @from:	First fd
 * @to:		Last fd, inclusive (~0U: all of them)
 * @cloexec:	Mark them close-on-exec instead of closing them now
 *
 * close_range(2) where the kernel has it (5.9, CLOSE_RANGE_CLOEXEC 5.11);
 * else one fcntl()/close() per fd up to the RLIMIT_NOFILE soft limit, so
 * that an older kernel leaks nothing either. The one place of tcwire that
 * calls close_range (a lint test keeps it so).
 *
 * Return: 0, or negative errno if an fd of the range could not be closed
 *	   or marked (EBADF, an fd that was not open, is not an error)
 */
int tcw_close_fds(unsigned int from, unsigned int to, bool cloexec);

#endif /* TCWIRE_CLOSE_FDS_H */
