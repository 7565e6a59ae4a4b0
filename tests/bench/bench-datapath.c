/* SPDX-License-Identifier: GPL-2.0-or-later
 * bench-datapath - frames per second through a wire
 *
 * Usage: bench-datapath (--tx-if IF | --tx-fd N) (--rx-if IF | --rx-fd N)
 *			 --size BYTES [--seconds S] [--vnet]
 *
 * One thread floods frames of BYTES bytes into the wire: AF_PACKET with
 * sendmmsg() in batches of 64 on IF, or write() on a tap fd N. The main
 * thread receives one frame per syscall on the far side (recv() on an
 * AF_PACKET socket bound to IF, or read() on a tap fd, as qemu does), and
 * counts them for S seconds after a 0.3 s warm-up. Receiving costs the same
 * syscall per frame on every path, so the figures compare the datapaths.
 * --vnet: tap fds carry a virtio-net header (10 bytes).
 * --single: send one frame per syscall on AF_PACKET too (sendto()), as a
 * tap fd must (write()), for a fair baseline of the "out of VM" direction.
 * Prints "kpps X" (frames received per second / 1000).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>

#define BATCH	64
#define MAXF	(9018 + 64)

static atomic_bool stop;

struct tx_args {
	int fd;			/* tap fd or packet socket */
	bool is_tap;
	int ifindex;
	size_t size;
	int vnet;
	bool single;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int packet_socket(const char *ifname, int *ifindex)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
	};
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));

	sll.sll_ifindex = (int)if_nametoindex(ifname);
	*ifindex = sll.sll_ifindex;
	if (fd < 0 || !sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror(ifname);
		exit(2);
	}
	return fd;
}

/* Sender thread: flood until told to stop */
static void *flood(void *p)
{
	struct tx_args *a = p;
	static uint8_t frame[MAXF + 16];
	static const uint8_t hdr[14] = {
		0x02, 0xbe, 0xef, 0x00, 0x00, 0x02,	/* dst: nobody's */
		0x02, 0xbe, 0xef, 0x00, 0x00, 0x01,	/* src */
		0x88, 0xb5,				/* local experimental */
	};
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET, .sll_ifindex = a->ifindex,
		.sll_halen = 6,
	};
	int i;

	memset(frame, 0x5a, sizeof(frame));
	memcpy(frame + a->vnet, hdr, sizeof(hdr));
	memset(frame, 0, (size_t)a->vnet);
	memcpy(to.sll_addr, hdr, 6);
	iov.iov_base = frame;
	iov.iov_len = a->size;
	for (i = 0; i < BATCH; i++) {
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &to;
		msgs[i].msg_hdr.msg_namelen = sizeof(to);
	}
	while (!atomic_load(&stop)) {
		if (a->is_tap) {
			for (i = 0; i < BATCH; i++)
				if (write(a->fd, frame, a->size + (size_t)a->vnet) < 0 &&
				    errno != EAGAIN && errno != ENOBUFS)
					return NULL;
		} else if (a->single) {
			for (i = 0; i < BATCH; i++)
				if (sendto(a->fd, frame, a->size, 0,
					   (struct sockaddr *)&to, sizeof(to)) < 0 &&
				    errno != EAGAIN && errno != ENOBUFS)
					return NULL;
		} else if (sendmmsg(a->fd, msgs, BATCH, 0) < 0 &&
			   errno != ENOBUFS && errno != EAGAIN) {
			perror("sendmmsg");
			return NULL;
		}
	}
	return NULL;
}

/* Count the frames read from @rx for @seconds, after a 0.3 s warm-up */
static unsigned long count_received(int rx, bool rx_is_tap, double seconds)
{
	static uint8_t buf[MAXF + 64];
	double t0 = now_s(), t_end = t0 + 0.3 + seconds;
	unsigned long count = 0;

	for (;;) {
		struct pollfd p = { rx, POLLIN, 0 };
		double t = now_s();
		ssize_t n;

		if (t >= t_end)
			break;
		if (poll(&p, 1, 100) != 1)
			continue;
		n = rx_is_tap ? read(rx, buf, sizeof(buf)) :
			recv(rx, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0 && t >= t0 + 0.3)
			count++;
	}
	return count;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tx-if", required_argument, NULL, 'a' },
		{ "tx-fd", required_argument, NULL, 'b' },
		{ "rx-if", required_argument, NULL, 'c' },
		{ "rx-fd", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "vnet", no_argument, NULL, 'v' },
		{ "single", no_argument, NULL, '1' },
		{ NULL, 0, NULL, 0 },
	};
	struct tx_args tx = { .fd = -1 };
	const char *tx_if = NULL, *rx_if = NULL;
	int rx = -1, c, vnet = 0, rx_ifindex;
	bool rx_is_tap = false;
	double seconds = 2;
	unsigned long count;
	pthread_t th;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': tx_if = optarg; break;
		case 'b': tx.fd = atoi(optarg); tx.is_tap = true; break;
		case 'c': rx_if = optarg; break;
		case 'd': rx = atoi(optarg); rx_is_tap = true; break;
		case 's': tx.size = (size_t)atoi(optarg); break;
		case 't': seconds = atof(optarg); break;
		case 'v': vnet = 10; break;
		case '1': tx.single = true; break;
		default: return 2;
		}
	}
	if ((!tx_if && tx.fd < 0) || (!rx_if && rx < 0) || tx.size < 60 ||
	    tx.size > MAXF) {
		fprintf(stderr, "usage: bench-datapath (--tx-if IF|--tx-fd N) (--rx-if IF|--rx-fd N) --size BYTES [--seconds S] [--vnet]\n");
		return 2;
	}
	if (tx_if)
		tx.fd = packet_socket(tx_if, &tx.ifindex);
	if (rx_if)
		rx = packet_socket(rx_if, &rx_ifindex);
	tx.vnet = tx.is_tap ? vnet : 0;

	pthread_create(&th, NULL, flood, &tx);
	count = count_received(rx, rx_is_tap, seconds);
	atomic_store(&stop, true);
	pthread_join(th, NULL);
	printf("kpps %.1f\n", count / seconds / 1000.0);
	return 0;
}
