/* SPDX-License-Identifier: GPL-2.0-or-later
 * tun-attach - try to attach a queue to an existing tap, as an attacker would
 *
 * Usage: tun-attach NAME single|multi
 *
 * Opens /dev/net/tun and asks TUNSETIFF for NAME with IFF_TAP | IFF_NO_PI |
 * IFF_VNET_HDR, plus IFF_MULTI_QUEUE for "multi". Prints "attached" and
 * exits 0 if the kernel let us in (then a stranger could read and inject
 * the VM's frames), else prints the errno's name and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <net/if.h>
#include <linux/if_tun.h>

int main(int argc, char **argv)
{
	struct ifreq ifr;
	int fd;

	if (argc != 3 || strlen(argv[1]) >= IFNAMSIZ) {
		fprintf(stderr, "usage: tun-attach NAME single|multi\n");
		return 2;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("open: %s\n", strerrorname_np(errno));
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (!strcmp(argv[2], "multi"))
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	memcpy(ifr.ifr_name, argv[1], strlen(argv[1]));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		printf("TUNSETIFF: %s\n", strerrorname_np(errno));
		return 1;
	}
	printf("attached\n");
	return 0;
}
