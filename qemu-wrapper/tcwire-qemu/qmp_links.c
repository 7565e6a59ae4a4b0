/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - setting NIC links down through qemu's QMP monitor, once
 *
 * For --no-supervise, where tcwire-qemu becomes qemu and nobody stays to
 * talk to its monitor: a detached process does the one conversation.
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


#include "client/close_fds.h"
#include "log.h"
#include "qmp.h"
#include "qmp_links.h"

#define QMP_GIVE_UP_S	60

/* Replies still expected, and the loop to stop when there are none */
struct conversation {
	unsigned int pending;
	GMainLoop *loop;
};

/* set_link reply */
static void on_reply(JsonNode *ret, const char *error, void *ctx)
{
	struct conversation *c = ctx;

	if (error)
		log_msg("qemu refused to set a placeholder link down: %s",
			 error);
	if (--c->pending == 0)
		g_main_loop_quit(c->loop);
}

/* The detached process: one QMP conversation, then exit */
static void qmp_conversation(int sock, char **nic_ids)
{
	struct conversation c = { 0, g_main_loop_new(NULL, FALSE) };
	struct qmp *q = qmp_new(sock, NULL, NULL);
	size_t i;

	alarm(QMP_GIVE_UP_S);
	for (i = 0; nic_ids[i]; i++, c.pending++)
		qmp_command(q, "set_link",
			    qmp_args("name", 's', nic_ids[i], "up", 'b', FALSE,
				     NULL), -1, on_reply, &c);
	if (c.pending)
		g_main_loop_run(c.loop);
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
		tcw_close_fds(4, ~0U, false);
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
