/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - passing tap file descriptors over a unix socket (SCM_RIGHTS)
 *
 * The format is qemu's (net/tap.c, recv_fd): one message carrying one data
 * byte and one SCM_RIGHTS control message. With multiqueue taps the same
 * control message carries one fd per queue.
 */
#ifndef TCWIRE_FD_PASSING_H
#define TCWIRE_FD_PASSING_H

#include <stddef.h>

/* Most fds one message carries: one per queue */
#define TCW_MAX_FDS	16

/**
 * tcw_fds_send() - Send fds as one SCM_RIGHTS message with one data byte
 * @sock:	Connected unix stream socket
 * @fds:	File descriptors to send
 * @n:		Number of @fds, 1 to TCW_MAX_FDS
 *
 * Return: 0 or negative errno (-EPIPE if the peer is gone)
 */
int tcw_fds_send(int sock, const int *fds, size_t n);

/**
 * tcw_fds_close() - Close the open ones of @n received fds, mark all unused
 * @fds:	Array of fds, -1 where none
 * @n:		Number of entries of @fds
 *
 * Every entry is -1 afterwards.
 */
void tcw_fds_close(int *fds, size_t n);

/**
 * tcw_fds_recv() - Receive fds sent by tcw_fds_send()
 * @sock:	Connected unix stream socket
 * @fds:	Array for the received fds (close-on-exec set)
 * @max:	Size of @fds
 * @n:		Number of fds received
 *
 * Return: 0 or negative errno: -ENOTCONN if the peer closed without
 *	   sending, -EBADMSG for a message without fds or with too many
 */
int tcw_fds_recv(int sock, int *fds, size_t max, size_t *n);

/**
 * tcw_fd_check_unix_stream() - Check that an fd is a connected unix stream
 * @fd:		File descriptor to check
 *
 * Return: 0, -EBADF if not open, -ENOTSOCK, -EPROTOTYPE if not AF_UNIX
 *	   SOCK_STREAM, -ENOTCONN if not connected
 */
int tcw_fd_check_unix_stream(int fd);

#endif /* TCWIRE_FD_PASSING_H */
