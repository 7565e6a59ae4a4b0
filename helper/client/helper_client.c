/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - client side of the helper protocol: run tcwire-helper as qemu does
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/syscall.h>

#include "client/close_fds.h"
#include "client/helper_client.h"

/* In the child: keep 0/1/2 and @sock only, then exec the helper */
static void helper_exec_child(const struct tcw_helper_request *req, int sock)
{
	char fd_arg[32], br_arg[64], q_arg[32], local_arg[256];
	const char *argv[10];
	int argc = 0;

	/* Everything but 0/1/2 becomes close-on-exec, then @sock is kept */
	if (!req->keep_caller_fds)
		tcw_close_fds(3, ~0U, true);
	fcntl(sock, F_SETFD, 0);

	snprintf(fd_arg, sizeof(fd_arg), "--fd=%d", sock);
	snprintf(br_arg, sizeof(br_arg), "--br=%s", req->partner);
	snprintf(q_arg, sizeof(q_arg), "--queues=%u", req->queues);
	argv[argc++] = req->helper;
	if (req->mgmt)
		argv[argc++] = "--mgmt";
	if (req->mgmt && req->mgmt_local) {
		if ((size_t)snprintf(local_arg, sizeof(local_arg),
				     "--mgmt-local-tcp=%s", req->mgmt_local) >=
		    sizeof(local_arg)) {
			fprintf(stderr, "--mgmt-local-tcp: list too long\n");
			_exit(127);
		}
		argv[argc++] = local_arg;
	}
	if (req->rewire)
		argv[argc++] = "--rewire";
	if (req->reserve)
		argv[argc++] = "--reserve";
	if (req->use_vnet)
		argv[argc++] = "--use-vnet";
	argv[argc++] = fd_arg;
	argv[argc++] = br_arg;
	if (req->queues > 1)
		argv[argc++] = q_arg;
	argv[argc] = NULL;

	execv(req->helper, (char *const *)argv);
	fprintf(stderr, "%s: cannot execute: %s\n", req->helper,
		strerror(errno));
	_exit(127);
}

/* Reap @pid; return its exit status, or 128+signal */
static int helper_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 255;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* See helper_client.h */
int tcw_helper_start(const struct tcw_helper_request *req,
		     struct tcw_helper_call *call, struct tcw_err *err)
{
	int sv[2], rc;

	call->req = req;
	call->sock = -1;
	call->pid = -1;
	call->send_rc = 0;
	tcw_quote(req->partner, call->partner, sizeof(call->partner));
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return tcw_err_set(err, errno, "%s: socketpair: %s",
				   call->partner, strerror(errno));
	call->pid = fork();
	if (call->pid < 0) {
		rc = errno;
		close(sv[0]);
		close(sv[1]);
		return tcw_err_set(err, rc, "%s: fork: %s", call->partner,
				   strerror(rc));
	}
	if (call->pid == 0) {
		close(sv[0]);
		helper_exec_child(req, sv[1]);
	}
	close(sv[1]);
	call->sock = sv[0];
	if (req->spawned)
		req->spawned(call->sock, call->pid, req->spawned_ctx);
	return 0;
}

/**
 * helper_reply_init() - A reply holding no fd (all -1)
 * @reply:	Reply to initialise where it is declared (tcw_helper_run()
 *		and tcw_helper_finish() also start with it)
 */
static void helper_reply_init(struct tcw_helper_reply *reply)
{
	size_t i;

	for (i = 0; i < TCW_MAX_FDS; i++)
		reply->fds[i] = -1;
	reply->n = 0;
}

/* Judge a helper that exited with @status after sending @reply (@rc:
 * how receiving it went); on failure no fd is left open */
static int helper_judge(const struct tcw_helper_call *call, int status,
			int rc, struct tcw_helper_reply *reply,
			struct tcw_err *err)
{
	const struct tcw_helper_request *req = call->req;
	const char *partner = call->partner;

	if (status != 0) {
		size_t sent = reply->n;

		tcw_helper_reply_close(reply);
		if (sent)	/* a helper bug: qemu would have used the fd */
			return tcw_err_set(err, ECHILD,
					   "%s: %s failed (exit status %d) after sending %zu fd(s)",
					   partner, req->helper, status, sent);
		return tcw_err_set(err, ECHILD, "%s: %s failed (exit status %d)",
				   partner, req->helper, status);
	}
	if (rc < 0)
		return tcw_err_set(err, -rc, "%s: %s exited 0 but sent no tap: %s",
				   partner, req->helper, strerror(-rc));
	if (reply->n != (req->queues > 1 ? req->queues : 1)) {
		tcw_helper_reply_close(reply);
		return tcw_err_set(err, EBADMSG, "%s: %s sent the wrong number of fds",
				   partner, req->helper);
	}
	return 0;
}

/* See helper_client.h */
int tcw_helper_finish(struct tcw_helper_call *call,
		      struct tcw_helper_reply *reply, struct tcw_err *err)
{
	int rc, status;

	helper_reply_init(reply);
	/* Like qemu: read first, then wait */
	rc = tcw_fds_recv(call->sock, reply->fds, TCW_MAX_FDS, &reply->n);
	close(call->sock);
	call->sock = -1;
	status = helper_wait(call->pid);
	return helper_judge(call, status, rc, reply, err);
}

/* See helper_client.h */
int tcw_helper_collect(struct tcw_helper_call *call, int status,
		       struct tcw_helper_reply *reply, struct tcw_err *err)
{
	int rc;

	helper_reply_init(reply);
	/* It has exited: what it sent is queued, then end of file */
	rc = tcw_fds_recv(call->sock, reply->fds, TCW_MAX_FDS, &reply->n);
	close(call->sock);
	call->sock = -1;
	return helper_judge(call, status, rc, reply, err);
}

/* See helper_client.h */
int tcw_helper_run(const struct tcw_helper_request *req,
		   struct tcw_helper_reply *reply, struct tcw_err *err)
{
	struct tcw_helper_call call;
	int rc;

	helper_reply_init(reply);
	rc = tcw_helper_start(req, &call, err);
	return rc ? rc : tcw_helper_finish(&call, reply, err);
}

/* See helper_client.h */
void tcw_helper_reply_close(struct tcw_helper_reply *reply)
{
	size_t i;

	for (i = 0; i < reply->n; i++)
		close(reply->fds[i]);
	helper_reply_init(reply);
}

/* See helper_client.h */
int tcw_helper_rewire_start(const struct tcw_helper_request *req, int tap_fd,
			    struct tcw_helper_call *call, struct tcw_err *err)
{
	int rc = tcw_helper_start(req, call, err);

	if (rc)
		return rc;
	/* A helper that fails early closes its end: EPIPE; its status says
	 * why, so this is judged when it has exited */
	call->send_rc = tcw_fds_send(call->sock, &tap_fd, 1);
	return 0;
}

/* See helper_client.h */
int tcw_helper_rewire_collect(struct tcw_helper_call *call, int status,
			      struct tcw_err *err)
{
	const struct tcw_helper_request *req = call->req;

	close(call->sock);
	call->sock = -1;
	if (status != 0)
		return tcw_err_set(err, ECHILD, "%s: %s --rewire failed (exit status %d)",
				   call->partner, req->helper, status);
	if (call->send_rc < 0)
		return tcw_err_set(err, -call->send_rc,
				   "%s: cannot send the tap fd to %s: %s",
				   call->partner, req->helper,
				   strerror(-call->send_rc));
	return 0;
}

/* See helper_client.h */
int tcw_helper_rewire(const char *helper, const char *partner, int tap_fd,
		      struct tcw_err *err)
{
	struct tcw_helper_request req = {
		.helper = helper, .partner = partner, .queues = 1,
		.rewire = true,
	};
	struct tcw_helper_call call;
	char byte;
	int rc;

	rc = tcw_helper_rewire_start(&req, tap_fd, &call, err);
	if (rc)
		return rc;
	/* The helper closes the socket when it is done */
	if (call.send_rc == 0)
		while (read(call.sock, &byte, 1) < 0 && errno == EINTR)
			;
	return tcw_helper_rewire_collect(&call, helper_wait(call.pid), err);
}
