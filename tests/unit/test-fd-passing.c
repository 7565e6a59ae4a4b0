/* SPDX-License-Identifier: GPL-2.0-or-later
 * Unit tests: passing fds over a unix socket (helper/client/fd_passing.c), over
 * real socket pairs: what arrives is the file that was sent, a malformed
 * message is refused without leaking an fd, and tcw_fd_check_unix_stream()
 * tells each kind of fd apart.
 */
#define _GNU_SOURCE	/* pipe2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "client/fd_passing.h"

/* How many fds this process has open */
static unsigned int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned int n = 0;
	struct dirent *e;

	g_assert_nonnull(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

/* A connected unix stream pair: sv[0] sends, sv[1] receives */
static void stream_pair(int sv[2])
{
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
			==, 0);
}

/* Whether @a and @b are the same open file (same inode) */
static gboolean same_file(int a, int b)
{
	struct stat sa, sb;

	g_assert_cmpint(fstat(a, &sa), ==, 0);
	g_assert_cmpint(fstat(b, &sb), ==, 0);
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Send @n distinct fds (pipe ends) and check that the same files arrive
 * in the same order, close-on-exec, and nothing else is left open */
static void send_and_receive(size_t n)
{
	int sv[2], sent[TCW_MAX_FDS], got[TCW_MAX_FDS], pipes[TCW_MAX_FDS][2];
	unsigned int before = open_fds();
	size_t i, count = 99;

	stream_pair(sv);
	for (i = 0; i < n; i++) {
		g_assert_cmpint(pipe2(pipes[i], O_CLOEXEC), ==, 0);
		sent[i] = pipes[i][i % 2];
	}
	g_assert_cmpint(tcw_fds_send(sv[0], sent, n), ==, 0);
	g_assert_cmpint(tcw_fds_recv(sv[1], got, TCW_MAX_FDS, &count), ==, 0);
	g_assert_cmpuint(count, ==, n);
	for (i = 0; i < n; i++) {
		g_assert_cmpint(got[i], !=, sent[i]);
		g_assert_true(same_file(got[i], sent[i]));
		g_assert_cmpint(fcntl(got[i], F_GETFD), ==, FD_CLOEXEC);
		close(got[i]);
		close(pipes[i][0]);
		close(pipes[i][1]);
	}
	close(sv[0]);
	close(sv[1]);
	g_assert_cmpuint(open_fds(), ==, before);
}

static void test_one_fd(void)
{
	send_and_receive(1);
}

static void test_sixteen_fds(void)
{
	send_and_receive(TCW_MAX_FDS);
}

static void test_send_refuses_bad_counts(void)
{
	int sv[2], fds[TCW_MAX_FDS + 1], i;

	stream_pair(sv);
	for (i = 0; i <= TCW_MAX_FDS; i++)
		fds[i] = sv[0];
	g_assert_cmpint(tcw_fds_send(sv[0], fds, 0), ==, -EINVAL);
	g_assert_cmpint(tcw_fds_send(sv[0], fds, TCW_MAX_FDS + 1), ==, -EINVAL);
	close(sv[0]);
	close(sv[1]);
}

/* Raw SCM_RIGHTS message with @n copies of @fd, as a hostile peer sends */
static void send_raw(int sock, int fd, size_t n)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 64)] = { 0 }, byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = CMSG_SPACE(sizeof(int) * n),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	size_t i;

	g_assert_cmpuint(n, <=, 64);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int) * n);
	for (i = 0; i < n; i++)
		memcpy(CMSG_DATA(cmsg) + i * sizeof(int), &fd, sizeof(int));
	g_assert_cmpint(sendmsg(sock, &msg, 0), ==, 1);
}

/* More fds than the caller's array, or than TCW_MAX_FDS: refused, and
 * every fd that arrived is closed again */
static void test_too_many_fds(void)
{
	int sv[2], fds[TCW_MAX_FDS], one[1] = { -1 };
	unsigned int before = open_fds();
	size_t n = 99;

	stream_pair(sv);
	g_assert_cmpint(tcw_fds_send(sv[0], (int[]){ sv[0], sv[1], sv[0], sv[1] }, 4),
			==, 0);
	g_assert_cmpint(tcw_fds_recv(sv[1], fds, 2, &n), ==, -EBADMSG);
	g_assert_cmpuint(n, ==, 0);
	g_assert_cmpuint(open_fds(), ==, before + 2);

	send_raw(sv[0], sv[1], TCW_MAX_FDS + 4);
	g_assert_cmpint(tcw_fds_recv(sv[1], fds, TCW_MAX_FDS, &n), ==,
			-EBADMSG);
	g_assert_cmpuint(open_fds(), ==, before + 2);

	send_raw(sv[0], sv[1], 1);
	g_assert_cmpint(tcw_fds_recv(sv[1], one, 1, &n), ==, 0);
	g_assert_cmpuint(n, ==, 1);
	close(one[0]);
	close(sv[0]);
	close(sv[1]);
	g_assert_cmpuint(open_fds(), ==, before);
}

static void test_message_without_fds(void)
{
	int sv[2], fds[TCW_MAX_FDS];
	size_t n = 99;

	stream_pair(sv);
	g_assert_cmpint(write(sv[0], "x", 1), ==, 1);
	g_assert_cmpint(tcw_fds_recv(sv[1], fds, TCW_MAX_FDS, &n), ==,
			-EBADMSG);
	g_assert_cmpuint(n, ==, 0);
	close(sv[0]);
	close(sv[1]);
}

static void test_peer_closed(void)
{
	int sv[2], fds[TCW_MAX_FDS];
	size_t n = 99;

	stream_pair(sv);
	close(sv[0]);
	g_assert_cmpint(tcw_fds_recv(sv[1], fds, TCW_MAX_FDS, &n), ==,
			-ENOTCONN);
	g_assert_cmpuint(n, ==, 0);
	/* Sending to a peer that is gone: EPIPE, and no SIGPIPE kills us */
	g_assert_cmpint(tcw_fds_send(sv[1], &sv[1], 1), ==, -EPIPE);
	close(sv[1]);
}

/* tcw_fd_check_unix_stream() on socket @fd of @domain and @type: @want */
static void check_socket(int domain, int type, int want)
{
	int fd = socket(domain, type | SOCK_CLOEXEC, 0);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(tcw_fd_check_unix_stream(fd), ==, want);
	close(fd);
}

static void test_check_fd_kinds(void)
{
	int sv[2], p[2], fd;

	stream_pair(sv);
	g_assert_cmpint(tcw_fd_check_unix_stream(sv[0]), ==, 0);
	close(sv[1]);
	/* The peer is gone, but the socket stays connected for getpeername */
	g_assert_cmpint(tcw_fd_check_unix_stream(sv[0]), ==, 0);
	close(sv[0]);
	g_assert_cmpint(tcw_fd_check_unix_stream(sv[0]), ==, -EBADF);
	g_assert_cmpint(tcw_fd_check_unix_stream(-1), ==, -EBADF);

	g_assert_cmpint(pipe2(p, O_CLOEXEC), ==, 0);
	g_assert_cmpint(tcw_fd_check_unix_stream(p[0]), ==, -ENOTSOCK);
	close(p[0]);
	close(p[1]);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	g_assert_cmpint(tcw_fd_check_unix_stream(fd), ==, -ENOTSOCK);
	close(fd);

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv),
			==, 0);
	g_assert_cmpint(tcw_fd_check_unix_stream(sv[0]), ==, -EPROTOTYPE);
	close(sv[0]);
	close(sv[1]);
	check_socket(AF_UNIX, SOCK_SEQPACKET, -EPROTOTYPE);
	check_socket(AF_INET, SOCK_DGRAM, -EPROTOTYPE);
	check_socket(AF_INET, SOCK_STREAM, -EPROTOTYPE);
	check_socket(AF_UNIX, SOCK_STREAM, -ENOTCONN);
}

/* A listening unix socket is a unix stream socket, but not connected */
static void test_check_listening_socket(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	/* An abstract address: nothing on the file system */
	g_snprintf(addr.sun_path + 1, sizeof(addr.sun_path) - 1,
		   "tcwire-test-%d", (int)getpid());
	g_assert_cmpint(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
	g_assert_cmpint(listen(fd, 1), ==, 0);
	g_assert_cmpint(tcw_fd_check_unix_stream(fd), ==, -ENOTCONN);
	close(fd);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/fd-passing/one-fd", test_one_fd);
	g_test_add_func("/fd-passing/sixteen-fds", test_sixteen_fds);
	g_test_add_func("/fd-passing/send-bad-counts",
			test_send_refuses_bad_counts);
	g_test_add_func("/fd-passing/too-many-fds", test_too_many_fds);
	g_test_add_func("/fd-passing/no-fds", test_message_without_fds);
	g_test_add_func("/fd-passing/peer-closed", test_peer_closed);
	g_test_add_func("/fd-passing/check-kinds", test_check_fd_kinds);
	g_test_add_func("/fd-passing/check-listening",
			test_check_listening_socket);
	return g_test_run();
}
