/* SPDX-License-Identifier: GPL-2.0-or-later
 * frame-check - prove that a wire carries every frame, byte for byte
 *
 * Usage: frame-check --tap-fd N [--from-pid PID] --peer IFNAME [--vnet]
 *		      [--jumbo MTU]
 *
 * The tap fd comes from the helper (wire-client passes it down, as qemu
 * would hold it). With --from-pid, N is an fd of process PID, fetched with
 * pidfd_getfd(): privilege tests use it to check a tap held by an
 * unprivileged user, who cannot open AF_PACKET sockets. IFNAME is the far end of the partner: the veth peer in
 * the test's other namespace, or the same namespace.
 *
 * peer -> tap: each corpus frame is sent with AF_PACKET on IFNAME and must
 * be read from the tap fd unchanged. tap -> peer: each frame is written to
 * the tap fd and must arrive on IFNAME unchanged. AF_PACKET strips the
 * outer VLAN tag into PACKET_AUXDATA; it is put back before comparing.
 * With --vnet every frame read from the tap must start with a virtio-net
 * header saying "no offload", and frames written get a zeroed one.
 * Unrelated background frames are skipped; a corpus frame that arrives
 * changed, or not within a second, is a failure.
 *
 * Prints one line per frame and "N passed, N failed"; exit 0 if all passed.
 *
 * frame-check --send N --peer IFNAME only sends N copies of the corpus's
 * "unknown-type" frame (122 bytes) out of IFNAME and prints "sent N": a
 * known number of frames into a wire, for counter tests.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>

#include "frames.h"

#define VNET_HDR_LEN	((int)sizeof(struct virtio_net_hdr))
#define WAIT_MS		1000

static uint8_t buf[FRAME_MAX + 64];

/* Open an AF_PACKET socket bound to @ifindex, with VLAN aux data */
static int packet_socket(int ifindex)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};
	int one = 1, fd;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0) {
		perror("frame-check: packet socket");
		exit(2);
	}
	return fd;
}

/* Receive one incoming frame from @fd with its VLAN tag put back */
static ssize_t packet_recv(int fd)
{
	union {
		char b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		struct cmsghdr align;
	} cbuf;
	struct sockaddr_ll from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 4 };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.b, .msg_controllen = sizeof(cbuf.b),
	};
	struct cmsghdr *c;
	ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);

	if (n < 0)
		return n;
	if (from.sll_pkttype == PACKET_OUTGOING)
		return 0;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		struct tpacket_auxdata aux;
		uint16_t tpid, tci;

		if (c->cmsg_level != SOL_PACKET ||
		    c->cmsg_type != PACKET_AUXDATA)
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		if (!(aux.tp_status & TP_STATUS_VLAN_VALID) || n < 12)
			continue;
		tpid = (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ?
		       aux.tp_vlan_tpid : ETH_P_8021Q;
		tci = aux.tp_vlan_tci;
		memmove(buf + 16, buf + 12, (size_t)n - 12);
		buf[12] = (uint8_t)(tpid >> 8);
		buf[13] = (uint8_t)tpid;
		buf[14] = (uint8_t)(tci >> 8);
		buf[15] = (uint8_t)tci;
		n += 4;
	}
	return n;
}

/* Check a virtio-net header on a frame read from the tap */
static bool vnet_hdr_ok(const uint8_t *p)
{
	struct virtio_net_hdr h;

	memcpy(&h, p, sizeof(h));
	if (h.gso_type != VIRTIO_NET_HDR_GSO_NONE || h.gso_size)
		return false;
	return h.flags == 0 || h.flags == VIRTIO_NET_HDR_F_DATA_VALID;
}

/*
 * Wait for @want on @fd (tap or packet socket). Returns 0 when it arrived
 * intact, -1 on timeout, -2 if it arrived changed.
 */
static int expect_frame(int fd, bool is_tap, bool vnet,
			const struct test_frame *want, uint8_t tag, int index)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int off = is_tap && vnet ? VNET_HDR_LEN : 0;

	while (poll(&pfd, 1, WAIT_MS) == 1) {
		ssize_t n = is_tap ? read(fd, buf, sizeof(buf)) : packet_recv(fd);
		const uint8_t *frame = buf + off;
		size_t len;

		if (n <= off)
			continue;
		len = (size_t)(n - off);
		if (frames_marker_of(frame, len, tag) != index)
			continue;	/* background traffic */
		if (off && !vnet_hdr_ok(buf)) {
			fprintf(stderr, "  %s: bad virtio-net header\n",
				want->name);
			return -2;
		}
		if (len == want->len && !memcmp(frame, want->data, len))
			return 0;
		fprintf(stderr, "  %s: sent %zu bytes, got %zu bytes that differ\n",
			want->name, want->len, len);
		return -2;
	}
	return -1;
}

/* Send @f into the wire from the tap fd or the packet socket */
static void send_frame(int fd, bool is_tap, bool vnet, int ifindex,
		       const struct test_frame *f)
{
	ssize_t n;

	if (is_tap) {
		int off = vnet ? VNET_HDR_LEN : 0;

		memset(buf, 0, (size_t)off);
		memcpy(buf + off, f->data, f->len);
		n = write(fd, buf, f->len + (size_t)off);
	} else {
		struct sockaddr_ll to = {
			.sll_family = AF_PACKET,
			.sll_ifindex = ifindex,
			.sll_halen = 6,
		};

		memcpy(to.sll_addr, f->data, 6);
		n = sendto(fd, f->data, f->len, 0, (struct sockaddr *)&to,
			   sizeof(to));
	}
	if (n < 0)
		fprintf(stderr, "  %s: send failed: %s\n", f->name,
			strerror(errno));
}

/* Run the corpus in one direction; returns the number of failures */
static int run_direction(const char *dir, int tx, bool tx_tap, int rx,
			 bool vnet, int ifindex, uint8_t tag,
			 unsigned int jumbo, int *passed)
{
	static struct test_frame frames[FRAMES_MAX];
	const uint8_t src[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, tag };
	size_t n = frames_build(frames, src, tag, jumbo), i;
	int failed = 0;

	for (i = 0; i < n; i++) {
		int rc;

		send_frame(tx, tx_tap, vnet, ifindex, &frames[i]);
		rc = expect_frame(rx, !tx_tap, vnet, &frames[i], tag, (int)i);
		printf("%s %s %s (%zu bytes)\n", rc ? "FAIL" : "ok  ", dir,
		       frames[i].name, frames[i].len);
		if (rc)
			failed++;
		else
			(*passed)++;
	}
	return failed;
}

/* --send: @count copies of the "unknown-type" corpus frame out of @ifindex */
static int send_only(int ifindex, int count)
{
	static struct test_frame frames[FRAMES_MAX];
	const uint8_t src[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x03 };
	size_t n = frames_build(frames, src, 0x03, 0), i;
	int sock = packet_socket(ifindex), sent = 0;

	for (i = 0; i < n && strcmp(frames[i].name, "unknown-type"); i++)
		;
	for (; i < n && sent < count; sent++)
		send_frame(sock, false, false, ifindex, &frames[i]);
	printf("sent %d\n", sent);
	return sent == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tap-fd", required_argument, NULL, 't' },
		{ "peer", required_argument, NULL, 'p' },
		{ "vnet", no_argument, NULL, 'v' },
		{ "jumbo", required_argument, NULL, 'j' },
		{ "from-pid", required_argument, NULL, 'P' },
		{ "send", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int tap = -1, ifindex = 0, c, sock, passed = 0, failed = 0, pid = 0;
	int send = -1;
	unsigned int jumbo = 0;
	bool vnet = false;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't': tap = atoi(optarg); break;
		case 'p': ifindex = (int)if_nametoindex(optarg); break;
		case 'v': vnet = true; break;
		case 'j': jumbo = (unsigned int)atoi(optarg); break;
		case 'P': pid = atoi(optarg); break;
		case 's': send = atoi(optarg); break;
		default: return 2;
		}
	}
	if (send >= 0 && ifindex)
		return send_only(ifindex, send);
	if (pid > 0 && tap >= 0) {
		int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

		tap = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, tap, 0);
		if (tap < 0) {
			perror("frame-check: pidfd_getfd");
			return 2;
		}
	}
	if (tap < 0 || !ifindex) {
		fprintf(stderr, "usage: frame-check --tap-fd N --peer IFNAME [--vnet] [--jumbo MTU]\n");
		return 2;
	}
	sock = packet_socket(ifindex);
	/* Leave the tap fd blocking: poll() decides when to read */
	failed += run_direction("peer->tap", sock, false, tap, vnet, ifindex,
				0x01, jumbo, &passed);
	failed += run_direction("tap->peer", tap, true, sock, vnet, ifindex,
				0x02, jumbo, &passed);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
