/* SPDX-License-Identifier: GPL-2.0-or-later
 * fd-kinds - run a command with fd 5 of a given kind, for hostile tests
 *
 * Usage: fd-kinds KIND CMD [ARGS...]
 * KIND: dgram (unix datagram socket, connected pair), unconnected (unix
 * stream socket, never connected), pipe (read end of a pipe), udp (an
 * AF_INET socket), closed (fd 5 closed).
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fds[2] = { -1, -1 }, fd = -1;

	if (argc < 3) {
		fprintf(stderr, "usage: fd-kinds KIND CMD [ARGS...]\n");
		return 2;
	}
	if (!strcmp(argv[1], "dgram") &&
	    socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) == 0)
		fd = fds[0];
	else if (!strcmp(argv[1], "unconnected"))
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
	else if (!strcmp(argv[1], "pipe") && pipe(fds) == 0)
		fd = fds[0];
	else if (!strcmp(argv[1], "udp"))
		fd = socket(AF_INET, SOCK_DGRAM, 0);
	else if (!strcmp(argv[1], "closed"))
		fd = -2;
	if (fd == -1) {
		fprintf(stderr, "fd-kinds: cannot make %s\n", argv[1]);
		return 2;
	}
	if (fd >= 0 && fd != 5) {
		dup2(fd, 5);
		close(fd);
	} else if (fd == -2) {
		close(5);
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
