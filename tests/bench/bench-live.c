/* SPDX-License-Identifier: GPL-2.0-or-later
 * bench-live - latencies of tcwire-qemu's live links, each with a baseline
 *
 * Usage (as root, inside a network namespace with eth1 <-> p1 and
 * eth2 <-> p2, veth pairs, all up):
 *   bench-live linkstate WRAPPER HELPER RUNS QEMU [ARGS...]
 *   bench-live rewire    WRAPPER HELPER RUNS QEMU [ARGS...]
 *
 * Both start "WRAPPER --helper HELPER --interfaces eth1 -- QEMU ARGS..."
 * (QEMU paused with -S: no guest runs, the monitor and the taps do) and
 * read its stderr, one timestamp per line.
 *
 * linkstate: p1 is set down and up RUNS times each (SIOCSIFFLAGS). Per
 * change: t0 before the ioctl, t_event when a bare rtnetlink listener sees
 * eth1's carrier change, t_reply when tcwire-qemu logs qemu's reply to the
 * set_link it sent. Baseline: a bare QMP set_link round trip, measured on
 * a second qemu of our own over its monitor socket.
 *
 * rewire: eth1 is deleted and created again (with p1, both set up) RUNS
 * times, by "ip" commands started at t_add and done at t_up. t_new is the
 * kernel's event for the new eth1, t_rw tcwire-qemu's line saying the tap
 * was re-wired. Then frames are sent from p1 every millisecond; t_pass is
 * when the first arrives on the tap, read through a copy of tcwire-qemu's
 * own tap fd (pidfd_getfd; qemu is paused and reads nothing); t_link when
 * tcwire-qemu logs the NIC's link up. Baseline: one wiring of a new tap to eth2 by the helper
 * (tcw_helper_run(), qemu's protocol), what any re-wire must at least do.
 *
 * Prints "name median_ms", one line per figure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>

#include "client/helper_client.h"

#ifndef IFF_LOWER_UP		/* <linux/if.h> clashes with <net/if.h> */
#define IFF_LOWER_UP	0x10000
#endif

#define MAX_RUNS	1000
#define ETH_P_BENCH	0x88b5		/* IEEE local experimental */
#define MAGIC		"tcwire-bench-live"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n ? (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) : -1;
}

static void die(const char *what)
{
	fprintf(stderr, "bench-live: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Lines from a child's stderr, each stamped when read */
struct lines {
	int fd;
	char buf[8192];
	size_t len;
	double stamp;	/* when the bytes in @buf were read */
};

/* Wait up to @timeout_ms for a line containing @want; its stamp in *@t */
static int wait_line(struct lines *l, const char *want, int timeout_ms,
		     double *t)
{
	double end = now_ms() + timeout_ms;
	char *nl;

	for (;;) {
		while ((nl = memchr(l->buf, '\n', l->len))) {
			bool hit;

			*nl = '\0';
			hit = strstr(l->buf, want) != NULL;
			l->len -= (size_t)(nl + 1 - l->buf);
			memmove(l->buf, nl + 1, l->len);
			if (hit) {
				*t = l->stamp;
				return 0;
			}
		}
		struct pollfd p = { l->fd, POLLIN, 0 };
		int left = (int)(end - now_ms());
		ssize_t n;

		if (left <= 0 || poll(&p, 1, left) <= 0)
			return -1;
		n = read(l->fd, l->buf + l->len, sizeof(l->buf) - l->len - 1);
		if (n <= 0)
			return -1;
		l->stamp = now_ms();
		l->len += (size_t)n;
	}
}

/* Start @argv with stderr into @l; returns the pid */
static pid_t spawn(char **argv, struct lines *l)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe");
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	l->fd = p[0];
	l->len = 0;
	return pid;
}

/* The wrapper with paused qemu, once its monitor is up */
static pid_t start_wrapper(char **argv, struct lines *l)
{
	double t;
	pid_t pid = spawn(argv, l);

	if (wait_line(l, "qemu is up", 30000, &t) < 0) {
		fprintf(stderr, "bench-live: tcwire-qemu did not come up\n");
		exit(1);
	}
	return pid;
}

/* Set @dev administratively up or down */
static void set_up(const char *dev, bool up)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, dev, IFNAMSIZ - 1);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die(dev);
	ifr.ifr_flags = up ? ifr.ifr_flags | IFF_UP : ifr.ifr_flags & ~IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die(dev);
	close(s);
}

/* Wait for a link message for @dev whose carrier is @carrier (-1: any) */
static int wait_carrier(int nl, const char *dev, int carrier, double *t)
{
	char buf[16384];

	for (;;) {
		struct pollfd p = { nl, POLLIN, 0 };
		struct nlmsghdr *h;
		ssize_t n;

		if (poll(&p, 1, 5000) <= 0)
			return -1;
		n = recv(nl, buf, sizeof(buf), 0);
		*t = now_ms();
		for (h = (void *)buf; n > 0 && NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			struct ifinfomsg *ifi = NLMSG_DATA(h);
			struct rtattr *a = IFLA_RTA(ifi);
			int alen = (int)IFLA_PAYLOAD(h);

			if (h->nlmsg_type != RTM_NEWLINK || (carrier >= 0 &&
			    !!(ifi->ifi_flags & IFF_LOWER_UP) != carrier))
				continue;
			for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen))
				if (a->rta_type == IFLA_IFNAME &&
				    !strcmp(RTA_DATA(a), dev))
					return 0;
		}
	}
}

/* Drop what the rtnetlink listener has queued */
static void drain_nl(int nl)
{
	char buf[16384];

	while (recv(nl, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

/* An rtnetlink socket that sees link events */
static int link_listener(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (nl < 0 || bind(nl, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("rtnetlink");
	return nl;
}

/* A bare QMP set_link round trip on our own qemu, @runs times */
static double qmp_baseline(char **qemu, int runs)
{
	static double v[2 * MAX_RUNS];
	char chardev[64], line[4096];
	int sv[2], i;
	FILE *f;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	snprintf(chardev, sizeof(chardev), "socket,id=m,fd=%d", sv[1]);
	char *argv[64] = { 0 };
	for (i = 0; qemu[i] && i < 50; i++)
		argv[i] = qemu[i];
	char *extra[] = { "-netdev", "hubport,id=n,hubid=1", "-device",
			  "virtio-net-pci,netdev=n,id=nic", "-chardev", chardev,
			  "-mon", "chardev=m,mode=control", NULL };
	for (int k = 0; extra[k]; k++)
		argv[i++] = extra[k];
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	close(sv[1]);
	f = fdopen(sv[0], "r+");
	if (!f || !fgets(line, sizeof(line), f))	/* greeting */
		die("qemu's monitor");
	fputs("{\"execute\":\"qmp_capabilities\"}\n", f);
	fflush(f);
	if (!fgets(line, sizeof(line), f))
		die("qemu's monitor");
	for (i = 0; i < 2 * runs; i++) {
		double t0 = now_ms();

		fprintf(f, "{\"execute\":\"set_link\",\"arguments\":{\"name\":\"nic\",\"up\":%s}}\n",
			i % 2 ? "true" : "false");
		fflush(f);
		while (fgets(line, sizeof(line), f) && !strstr(line, "\"return\""))
			;
		v[i] = now_ms() - t0;
	}
	fclose(f);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return median(v, 2 * runs);
}

/* linkstate: see the top */
static void linkstate(char **wrapper, char **qemu, int runs)
{
	static double ev[2 * MAX_RUNS], reply[2 * MAX_RUNS], total[2 * MAX_RUNS];
	struct lines l;
	int nl = link_listener(), i, n = 0;
	pid_t pid;

	pid = start_wrapper(wrapper, &l);
	for (i = 0; i < 2 * runs; i++) {
		bool up = i % 2;
		double t0, te, tr;

		usleep(30000);
		t0 = now_ms();
		set_up("p1", up);
		if (wait_carrier(nl, "eth1", up, &te) ||
		    wait_line(&l, up ? "tcwnic1 link up" : "tcwnic1 link down",
			      5000, &tr)) {
			fprintf(stderr, "bench-live: change %d not seen\n", i);
			exit(1);
		}
		ev[n] = te - t0;
		reply[n] = tr - te;
		total[n++] = tr - t0;
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	printf("changes %d\n", n);
	printf("kernel_event_ms %.3f\n", median(ev, n));
	printf("event_to_qmp_reply_ms %.3f\n", median(reply, n));
	printf("change_to_qmp_reply_ms %.3f\n", median(total, n));
	printf("baseline_qmp_set_link_rtt_ms %.3f\n", qmp_baseline(qemu, runs));
}

/* fd number of tcwire-qemu's tap in process @pid (from its fdinfo) */
static int tap_fd_of(pid_t pid)
{
	char path[64], line[256];
	int fd;

	for (fd = 3; fd < 1024; fd++) {
		FILE *f;
		bool tap = false;

		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", pid, fd);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			tap |= !strncmp(line, "iff:", 4) && strstr(line, "tcw");
		fclose(f);
		if (tap)
			return fd;
	}
	return -1;
}

/* A copy of fd @fd of process @pid */
static int steal_fd(pid_t pid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int copy = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);

	if (copy < 0)
		die("pidfd_getfd");
	close(pidfd);
	return copy;
}

/* Send a frame on p1 every ms until one arrives on @tap; its stamp */
static int frames_pass(int tap, double *t)
{
	unsigned char frame[64] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				    0x02, 0, 0, 0, 0, 1, ETH_P_BENCH >> 8,
				    ETH_P_BENCH & 0xff };
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	double end = now_ms() + 5000;
	char buf[65536];

	memcpy(frame + 14, MAGIC, sizeof(MAGIC));
	to.sll_ifindex = (int)if_nametoindex("p1");
	if (s < 0 || !to.sll_ifindex)
		die("p1");
	while (now_ms() < end) {
		struct pollfd p = { tap, POLLIN, 0 };
		ssize_t n;

		sendto(s, frame, sizeof(frame), 0, (struct sockaddr *)&to,
		       sizeof(to));
		if (poll(&p, 1, 1) <= 0)
			continue;
		n = read(tap, buf, sizeof(buf));
		if (n > 0 && memmem(buf, (size_t)n, MAGIC, sizeof(MAGIC))) {
			*t = now_ms();
			close(s);
			return 0;
		}
	}
	close(s);
	return -1;
}

/* One wiring of a new tap to eth2 by the helper, @runs times */
static double helper_baseline(const char *helper, int runs)
{
	static double v[MAX_RUNS];
	struct tcw_helper_request req = {
		.helper = helper, .partner = "eth2", .use_vnet = true,
		.queues = 1,
	};
	int i;

	for (i = 0; i < runs; i++) {
		struct tcw_helper_reply reply;
		double t0 = now_ms();

		if (tcw_helper_run(&req, &reply, NULL))
			die("helper baseline");
		v[i] = now_ms() - t0;
		tcw_helper_reply_close(&reply);
	}
	return median(v, runs);
}

/* Drain what the tap has queued */
static void drain(int tap)
{
	char buf[65536];
	struct pollfd p = { tap, POLLIN, 0 };

	while (poll(&p, 1, 0) > 0 && read(tap, buf, sizeof(buf)) > 0)
		;
}

/*
 * Make eth1 and p1 again and set both up, in a child, as a lab tool would;
 * stamps: t_add before, t_new the kernel's event for the new eth1, t_rw
 * tcwire-qemu's "re-wired" line, t_up when the child's commands were done
 */
static void recreate_eth1(int nl, struct lines *l, double *t_add,
			  double *t_new, double *t_rw, double *t_up)
{
	int p[2], st;
	pid_t c;

	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe");
	drain_nl(nl);
	*t_add = now_ms();
	c = fork();
	if (c == 0) {
		double done;

		st = system("ip link add eth1 type veth peer name p1 && "
			    "ip link set p1 up && ip link set eth1 up");
		done = now_ms();
		_exit(st || write(p[1], &done, sizeof(done)) != sizeof(done));
	}
	close(p[1]);
	if (wait_carrier(nl, "eth1", -1, t_new) < 0 ||
	    wait_line(l, "re-wired to it", 5000, t_rw) < 0)
		die("recreated eth1 not re-wired");
	if (waitpid(c, &st, 0) < 0 || st ||
	    read(p[0], t_up, sizeof(*t_up)) != sizeof(*t_up))
		die("create eth1");
	close(p[0]);
}

/* rewire: see the top */
static void rewire(char **wrapper, const char *helper, int runs)
{
	static double pass[MAX_RUNS], link_up[MAX_RUNS], from_add[MAX_RUNS];
	static double rw[MAX_RUNS];
	struct lines l;
	pid_t pid = start_wrapper(wrapper, &l);
	int tap = steal_fd(pid, tap_fd_of(pid)), nl = link_listener(), i;
	double t, t_add, t_new, t_rw, t_up, t_pass, t_link;

	fcntl(tap, F_SETFL, O_NONBLOCK);
	for (i = 0; i < runs; i++) {
		if (system("ip link del eth1") ||
		    wait_line(&l, "eth1: deleted", 5000, &t) < 0)
			die("delete eth1");
		drain(tap);
		recreate_eth1(nl, &l, &t_add, &t_new, &t_rw, &t_up);
		if (frames_pass(tap, &t_pass) < 0 ||
		    wait_line(&l, "tcwnic1 link up", 5000, &t_link) < 0) {
			fprintf(stderr, "bench-live: run %d: no frame passed\n", i);
			exit(1);
		}
		rw[i] = t_rw - t_new;
		pass[i] = t_pass - t_up;
		from_add[i] = t_pass - t_add;
		link_up[i] = t_link - t_up;
		usleep(50000);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	printf("rewires %d\n", runs);
	printf("created_to_rewired_ms %.3f\n", median(rw, runs));
	printf("up_to_frames_pass_ms %.3f\n", median(pass, runs));
	printf("add_to_frames_pass_ms %.3f\n", median(from_add, runs));
	printf("up_to_nic_link_up_ms %.3f\n", median(link_up, runs));
	printf("baseline_helper_new_wiring_ms %.3f\n", helper_baseline(helper, runs));
}

int main(int argc, char **argv)
{
	int runs;

	if (argc < 6 || (strcmp(argv[1], "linkstate") && strcmp(argv[1], "rewire"))) {
		fprintf(stderr, "usage: bench-live linkstate|rewire WRAPPER HELPER RUNS QEMU [ARGS...]\n");
		return 2;
	}
	runs = atoi(argv[4]);
	if (runs < 1 || runs > MAX_RUNS)
		return 2;
	char *wrapper[64] = { argv[2], "--helper", argv[3], "--interfaces",
			      "eth1", "--" };
	for (int i = 5, k = 6; i < argc && k < 63; i++, k++)
		wrapper[k] = argv[i];
	if (!strcmp(argv[1], "linkstate"))
		linkstate(wrapper, argv + 5, runs);
	else
		rewire(wrapper, argv[3], runs);
	return 0;
}
