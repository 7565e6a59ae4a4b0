/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - setting NIC links down through qemu's QMP monitor
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/close_range.h>

#include "qmp_links.h"

#define QMP_GIVE_UP_S	60

/* Read one line from @f; skip asynchronous events. Returns false at EOF */
static bool qmp_read_reply(FILE *f, char *line, size_t len)
{
	while (fgets(line, (int)len, f))
		if (!strstr(line, "\"event\""))
			return true;
	return false;
}

/* The detached process: one QMP conversation, then exit */
static void qmp_conversation(int sock, char **nic_ids)
{
	char line[4096];
	FILE *f;
	size_t i;

	alarm(QMP_GIVE_UP_S);
	f = fdopen(sock, "r+");
	if (!f || !qmp_read_reply(f, line, sizeof(line)))	/* greeting */
		_exit(1);
	fputs("{\"execute\":\"qmp_capabilities\"}\n", f);
	fflush(f);
	if (!qmp_read_reply(f, line, sizeof(line)))
		_exit(1);
	for (i = 0; nic_ids[i]; i++) {
		fprintf(f, "{\"execute\":\"set_link\",\"arguments\":{\"name\":\"%s\",\"up\":false}}\n",
			nic_ids[i]);
		fflush(f);
		if (!qmp_read_reply(f, line, sizeof(line)))
			_exit(1);
		if (!strstr(line, "\"return\""))
			fprintf(stderr, "tcwire-qemu: %s: qemu refused to set the link down: %s",
				nic_ids[i], line);
	}
	_exit(0);
}

/* See qmp_links.h */
int qmp_links_down_start(char **nic_ids, int *qemu_fd, struct tcw_err *err)
{
	int sv[2], status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return tcw_err_set(err, errno, "QMP socketpair: %s",
				   strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return tcw_err_set(err, errno, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		/* Detach: the grandchild is reparented, we exit at once */
		if (fork() != 0)
			_exit(0);
		/* Keep stderr and our socket end only: no tap stays open */
		dup2(sv[0], 3);
		syscall(SYS_close_range, 4U, ~0U, 0U);
		close(0);
		close(1);
		qmp_conversation(3, nic_ids);
	}
	close(sv[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	fcntl(sv[1], F_SETFD, 0);
	*qemu_fd = sv[1];
	return 0;
}
