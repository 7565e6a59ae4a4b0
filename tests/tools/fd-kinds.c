/* SPDX-License-Identifier: GPL-2.0-or-later
 * fd-kinds - run a command with fd 5 of a given kind, for hostile tests
 *
 * Usage: fd-kinds KIND CMD [ARGS...]
 * KIND: dgram (unix datagram socket, connected pair), unconnected (unix
 * stream socket, never connected), pipe (read end of a pipe), udp (an
 * AF_INET socket), closed (fd 5 closed), tap=NAME / tun=NAME (a queue of
 * the existing persistent tap or tun device NAME: run it as a user who may
 * attach, then drop privileges in CMD).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <net/if.h>
#include <linux/if_tun.h>

/* A queue of the existing tun/tap device @name, or -1 */
static int tun_attach(const char *name, short kind)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0 || strlen(name) >= IFNAMSIZ)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = kind | IFF_NO_PI;
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

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
	else if (!strncmp(argv[1], "tap=", 4))
		fd = tun_attach(argv[1] + 4, IFF_TAP);
	else if (!strncmp(argv[1], "tun=", 4))
		fd = tun_attach(argv[1] + 4, IFF_TUN);
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
