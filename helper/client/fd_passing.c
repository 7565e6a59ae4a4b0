/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - passing tap file descriptors over a unix socket (SCM_RIGHTS)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "client/fd_passing.h"

/* Control buffer large enough for TCW_MAX_FDS, aligned for cmsghdr */
union fd_cmsg_buf {
	char buf[CMSG_SPACE(sizeof(int) * TCW_MAX_FDS)];
	struct cmsghdr align;
};

/*
 * See fd_passing.h
 * #syscalls sendmsg
 */
int tcw_fds_send(int sock, const int *fds, size_t n)
{
	union fd_cmsg_buf cbuf;
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.buf,
		.msg_controllen = CMSG_SPACE(sizeof(int) * n),
	};
	struct cmsghdr *cmsg;
	ssize_t rc;

	if (n < 1 || n > TCW_MAX_FDS)
		return -EINVAL;
	memset(&cbuf, 0, sizeof(cbuf));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * n);

	do
		rc = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return -errno;
	return rc == 1 ? 0 : -EIO;
}

/* See fd_passing.h */
int tcw_fds_recv(int sock, int *fds, size_t max, size_t *n)
{
	union fd_cmsg_buf cbuf;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
	};
	struct cmsghdr *cmsg;
	size_t count = 0, i;
	bool overflow = false;
	ssize_t rc;

	*n = 0;
	do
		rc = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return -errno;
	if (rc == 0)
		return -ENOTCONN;

	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		int got[TCW_MAX_FDS];
		size_t k;

		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		k = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(got, CMSG_DATA(cmsg), k * sizeof(int));
		for (i = 0; i < k; i++) {
			if (count < max)
				fds[count++] = got[i];
			else {
				close(got[i]);
				overflow = true;
			}
		}
	}
	if (overflow || (msg.msg_flags & MSG_CTRUNC))
		goto too_many;
	if (!count)
		return -EBADMSG;
	*n = count;
	return 0;

too_many:
	for (i = 0; i < count; i++)
		close(fds[i]);
	return -EBADMSG;
}

/* See fd_passing.h */
int tcw_fd_check_unix_stream(int fd)
{
	struct sockaddr_un peer;
	socklen_t len = sizeof(int);
	struct stat st;
	int type, domain;

	if (fstat(fd, &st) < 0)
		return -EBADF;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
		return -errno;
	len = sizeof(int);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		return -errno;
	if (domain != AF_UNIX || type != SOCK_STREAM)
		return -EPROTOTYPE;
	len = sizeof(peer);
	if (getpeername(fd, (struct sockaddr *)&peer, &len) < 0)
		return -ENOTCONN;
	return 0;
}

/* See fd_passing.h */
void tcw_fds_close(int *fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}
