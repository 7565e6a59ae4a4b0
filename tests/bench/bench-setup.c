/* SPDX-License-Identifier: GPL-2.0-or-later
 * bench-setup - time the wiring of one interface, as qemu drives it
 *
 * Usage:
 *   bench-setup helper PATH PREFIX N	run PATH (tcwire-helper or
 *					qemu-bridge-helper) for PREFIX1..PREFIXN
 *					over qemu's socketpair protocol
 *   bench-setup script PATH N		qemu's script= path: create tap "tapK"
 *					(TUNSETIFF, as qemu does), then run
 *					"sh PATH tapK" and wait for it
 *
 *   bench-setup exec CMD [ARGS...]	run CMD; when it (or what it execs)
 *					runs "bench-setup stamp", print the
 *					time from start to that point
 *   bench-setup stamp			print the monotonic clock ("stamp_us")
 *
 * Prints one line per interface ("us K"), then "median_us M", and
 * "maxrss_kib R", the peak RSS of the largest child (getrusage). All taps
 * stay open until every interface is done, so teardown is not measured.
 * exec prints "to_stamp_us T" and "maxrss_kib R".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <net/if.h>
#include <linux/if_tun.h>

#include "client/helper_client.h"

#define MAX_IFACES 1024

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* qemu's script= path for one tap: TUNSETIFF, then the ifup script */
static int wire_by_script(const char *script, unsigned int k, int *fd)
{
	struct ifreq ifr = { 0 };
	char name[IFNAMSIZ];
	int status;
	pid_t pid;

	*fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (*fd < 0)
		return -errno;
	snprintf(name, sizeof(name), "tap%u", k);
	memcpy(ifr.ifr_name, name, strlen(name));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (ioctl(*fd, TUNSETIFF, &ifr) < 0)
		return -errno;
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", script, name, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

/* exec mode: time from fork to the child's stamp, and its peak RSS */
static int run_exec(char **argv)
{
	double start = now_us(), stamp = 0;
	struct rusage ru;
	char line[128];
	int pipefd[2], status;
	FILE *f;
	pid_t pid;

	if (pipe(pipefd) < 0)
		return 1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	f = fdopen(pipefd[0], "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "stamp_us ", 9))
			stamp = atof(line + 9);
	waitpid(pid, &status, 0);
	getrusage(RUSAGE_CHILDREN, &ru);
	if (!stamp)
		return 1;
	printf("to_stamp_us %.0f\nmaxrss_kib %ld\n", stamp - start, ru.ru_maxrss);
	return 0;
}

int main(int argc, char **argv)
{
	static double t[MAX_IFACES];
	static int fds[MAX_IFACES * TCW_MAX_FDS];
	unsigned int n, k, nfds = 0;
	bool script;
	struct rusage ru;

	if (argc >= 2 && !strcmp(argv[1], "stamp")) {
		printf("stamp_us %.0f\n", now_us());
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "exec"))
		return run_exec(argv + 2);
	if (argc < 4) {
		fprintf(stderr, "usage: bench-setup helper PATH PREFIX N | script PATH N\n");
		return 2;
	}
	script = !strcmp(argv[1], "script");
	n = (unsigned int)atoi(argv[script ? 3 : 4]);
	if (n < 1 || n > MAX_IFACES)
		return 2;

	for (k = 1; k <= n; k++) {
		double start = now_us();
		int rc;

		if (script) {
			rc = wire_by_script(argv[2], k, &fds[nfds]);
			nfds++;
		} else {
			char partner[IFNAMSIZ];
			struct tcw_helper_request req = {
				.helper = argv[2], .partner = partner,
				.use_vnet = true, .queues = 1,
			};
			struct tcw_helper_reply reply;
			struct tcw_err err;

			snprintf(partner, sizeof(partner), "%s%u", argv[3], k);
			rc = tcw_helper_run(&req, &reply, &err);
			if (rc)
				fprintf(stderr, "bench-setup: %s\n", err.msg);
			else
				fds[nfds++] = reply.fds[0];
		}
		if (rc) {
			fprintf(stderr, "bench-setup: interface %u failed\n", k);
			return 1;
		}
		t[k - 1] = now_us() - start;
		printf("us %.0f\n", t[k - 1]);
	}
	qsort(t, n, sizeof(t[0]), cmp_double);
	printf("median_us %.0f\n", n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("maxrss_kib %ld\n", ru.ru_maxrss);
	return 0;
}
