/* SPDX-License-Identifier: GPL-2.0-or-later
 * Unit test: the helper's seccomp allow-list (helper/seccomp.c), applied
 * in a child process: what the wiring needs still works (the functions
 * annotated with #syscalls among them), the rest fails with ENOSYS.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "wire/netlink.h"
#include "seccomp.h"
#include "wire_lock.h"

/* In the child: confine, then probe; the exit code says what failed */
static int probe_child(void)
{
	struct timespec ts = { 0, 1000 };
	struct rtnl_link *link = NULL;
	struct tcw_err err;
	struct tcw_nl nl;
	void *p;
	int fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || seccomp_confine(&err))
		return 10;
	/* Allowed: memory, netlink sockets, sleeping, writing, closing */
	p = malloc(1 << 20);
	if (!p)
		return 11;
	free(p);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return 12;
	close(fd);
	if (nanosleep(&ts, NULL))
		return 13;
	/* The wiring phase through its own functions: a libnl query, the
	 * wire lock (an abstract unix socket; no device has this index) */
	if (tcw_nl_open(&nl, &err) || tcw_link_get_by_name(&nl, "lo", &link))
		return 14;
	rtnl_link_put(link);
	tcw_nl_close(&nl);
	fd = wire_lock(2000000000 + getpid() % 100000, "test", &err);
	if (fd < 0)
		return 15;
	close(fd);
	/* Refused: opening files, executing, forking */
	if (open("/etc/hostname", O_RDONLY) >= 0 || errno != ENOSYS)
		return 20;
	if (execl("/bin/true", "true", (char *)NULL) == 0 || errno != ENOSYS)
		return 21;
	if (fork() >= 0 || errno != ENOSYS)
		return 22;
	return 0;
}

static void test_allow_list(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(probe_child());
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/seccomp/allow-list", test_allow_list);
	return g_test_run();
}
