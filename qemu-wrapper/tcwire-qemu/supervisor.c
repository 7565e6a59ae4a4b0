/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - staying qemu's parent: signals, reaping, exit status
 *
 * Theory of operation. tcwire-qemu is usually the entrypoint of a router
 * container, so it may be PID 1 there: the kernel delivers only signals it
 * has handlers for, and every orphan of the container is re-parented to it.
 * So:
 *  - SIGTERM, SIGINT and SIGHUP get a handler that writes the signal number
 *    into a self-pipe; the main loop reads it and forwards the signal to
 *    qemu (docker stop, Ctrl-C, a closed terminal stop the VM as they would
 *    stop an exec'd qemu). SIGCHLD goes through the same pipe, and the loop
 *    then reaps every exited child with waitpid(-1, WNOHANG), not just qemu.
 *  - Handlers, not a blocked mask with signalfd: the helpers and qemu we
 *    start inherit our signal mask, and a child with SIGTERM blocked could
 *    not be stopped. exec resets handlers to the default by itself.
 *  - The signals are blocked only around fork(), so the child cannot run a
 *    handler of ours before it has reset them.
 *  - When qemu has been reaped the loop stops and we exit with its status,
 *    or 128 + the signal that killed it, as a shell would report it.
 * tcwire-helper runs while qemu lives (re-wires, hot-adds) do not block
 * the loop: they are registered with supervisor_watch_child() right after
 * their fork, and the reaper hands their exit status to whoever waits for
 * it instead of dropping it as an orphan's. (The helpers of the start,
 * before this loop exists, reap their own child with waitpid(pid).)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#include "client/close_fds.h"
#include "supervisor.h"

/* The signals we handle */
static const int handled[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD };

/* Write end of the self-pipe, for the handler */
static int sig_pipe_wr = -1;

/* Async-signal-safe: record @sig for the main loop */
static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (write(sig_pipe_wr, &b, 1) < 0) {
		/* pipe full: a wake-up is pending anyway */
	}
	errno = saved;
}

/* See supervisor.h */
void supervisor_init(struct supervisor *s)
{
	memset(s, 0, sizeof(*s));
	s->qemu_pid = -1;
	s->sig_pipe[0] = s->sig_pipe[1] = -1;
	s->children = g_hash_table_new_full(g_direct_hash, g_direct_equal,
					    NULL, g_free);
}

/* Who waits for a child's exit */
struct child_watch {
	supervisor_child_fn done;
	void *ctx;
};

/* See supervisor.h */
void supervisor_watch_child(struct supervisor *s, pid_t pid,
			    supervisor_child_fn done, void *ctx)
{
	struct child_watch *w = g_new(struct child_watch, 1);

	w->done = done;
	w->ctx = ctx;
	g_hash_table_insert(s->children, GINT_TO_POINTER(pid), w);
}

/* See supervisor.h */
void supervisor_forget_child(struct supervisor *s, pid_t pid)
{
	g_hash_table_remove(s->children, GINT_TO_POINTER(pid));
}

/* Hand @pid's exit status to whoever waits for it; false if nobody */
static bool deliver_child(struct supervisor *s, pid_t pid, int status)
{
	struct child_watch *w;
	gpointer key, value;

	if (!g_hash_table_steal_extended(s->children, GINT_TO_POINTER(pid),
					 &key, &value))
		return false;
	w = value;
	w->done(status, w->ctx);
	g_free(w);
	return true;
}

/* Reap every exited child; note qemu's status and stop the loop */
static void reap_children(struct supervisor *s)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		int status = WIFEXITED(st) ? WEXITSTATUS(st) :
			     128 + WTERMSIG(st);

		if (pid != s->qemu_pid) {
			deliver_child(s, pid, status);	/* or an orphan */
			continue;
		}
		s->status = status;
		s->qemu_pid = -1;
		if (s->loop)
			g_main_loop_quit(s->loop);
	}
}

/* Main-loop side of the self-pipe */
static gboolean on_sig_pipe(gint fd, GIOCondition cond, gpointer arg)
{
	struct supervisor *s = arg;
	unsigned char sigs[64];
	ssize_t n, i;

	while ((n = read(fd, sigs, sizeof(sigs))) > 0) {
		for (i = 0; i < n; i++) {
			if (sigs[i] == SIGCHLD)
				reap_children(s);
			else if (s->qemu_pid > 0)
				kill(s->qemu_pid, sigs[i]);
		}
	}
	return G_SOURCE_CONTINUE;
}

/* See supervisor.h */
int supervisor_catch_signals(struct supervisor *s, struct tcw_err *err)
{
	struct sigaction sa;
	size_t i;

	if (pipe2(s->sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return tcw_err_set(err, errno, "signal pipe: %s",
				   strerror(errno));
	sig_pipe_wr = s->sig_pipe[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < G_N_ELEMENTS(handled); i++)
		sigaction(handled[i], &sa, NULL);
	s->sig_watch = g_unix_fd_add(s->sig_pipe[0], G_IO_IN, on_sig_pipe, s);
	return 0;
}

/* In the child: default signals, only @keep inherited, then exec */
static void exec_qemu(char *const *argv, const int *keep, size_t n_keep,
		      const sigset_t *mask, pid_t parent)
{
	size_t i;
	int rc;

	for (i = 0; i < G_N_ELEMENTS(handled); i++)
		signal(handled[i], SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)	/* the parent died before prctl */
		_exit(128 + SIGTERM);
	tcw_close_fds(3, ~0U, true);
	for (i = 0; i < n_keep; i++)
		fcntl(keep[i], F_SETFD, 0);
	execvp(argv[0], argv);
	rc = errno;
	fprintf(stderr, "tcwire-qemu: %s: cannot execute: %s\n", argv[0],
		strerror(rc));
	_exit(rc == ENOENT ? 127 : 126);
}

/* See supervisor.h */
int supervisor_spawn(struct supervisor *s, char *const *argv, const int *keep,
		     size_t n_keep, struct tcw_err *err)
{
	sigset_t block, old;
	pid_t parent = getpid();
	size_t i;
	int rc;

	sigemptyset(&block);
	for (i = 0; i < G_N_ELEMENTS(handled); i++)
		sigaddset(&block, handled[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	s->qemu_pid = fork();
	if (s->qemu_pid == 0)
		exec_qemu(argv, keep, n_keep, &old, parent);
	rc = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (s->qemu_pid < 0)
		return tcw_err_set(err, rc, "fork: %s", strerror(rc));
	return 0;
}

/* See supervisor.h */
int supervisor_run(struct supervisor *s)
{
	s->loop = g_main_loop_new(NULL, FALSE);
	reap_children(s);	/* qemu may be gone already */
	if (s->qemu_pid > 0)
		g_main_loop_run(s->loop);
	g_main_loop_unref(s->loop);
	s->loop = NULL;
	return s->status;
}

/* See supervisor.h */
void supervisor_cleanup(struct supervisor *s)
{
	size_t i;

	if (s->sig_watch) {
		for (i = 0; i < G_N_ELEMENTS(handled); i++)
			signal(handled[i], SIG_DFL);
		g_source_remove(s->sig_watch);
	}
	s->sig_watch = 0;
	sig_pipe_wr = -1;
	if (s->children)
		g_hash_table_unref(s->children);
	s->children = NULL;
	for (i = 0; i < 2; i++) {
		if (s->sig_pipe[i] >= 0)
			close(s->sig_pipe[i]);
		s->sig_pipe[i] = -1;
	}
}
