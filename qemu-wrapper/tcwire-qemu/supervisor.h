/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - staying qemu's parent: signals, reaping, exit status
 */
#ifndef TCWIRE_SUPERVISOR_H
#define TCWIRE_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <glib.h>

#include "client/error.h"

/**
 * struct supervisor - qemu as our child, and the loop that waits for it
 * @qemu_pid:	qemu's pid, -1 before supervisor_spawn()
 * @status:	Our exit status once qemu is reaped: qemu's, or 128+signal
 * @sig_pipe:	Self-pipe the signal handlers write the signal number to;
 *		-1 when not open
 * @sig_watch:	Main-loop source reading @sig_pipe[0]
 * @loop:	The main loop supervisor_run() runs
 * @children:	Other children whose exit someone waits for: pid ->
 *		struct child_watch (supervisor_watch_child())
 */
struct supervisor {
	pid_t qemu_pid;
	int status;
	int sig_pipe[2];
	guint sig_watch;
	GMainLoop *loop;
	GHashTable *children;
};

/* Called with a watched child's exit status (128 + signal if killed) */
typedef void (*supervisor_child_fn)(int status, void *ctx);

/**
 * supervisor_watch_child() - Have a child's exit status delivered
 * @s:		Supervisor with signals caught
 * @pid:	A child of ours (a helper run without waiting for it)
 * @done:	Called from the main loop when it has been reaped
 * @ctx:	Passed to @done
 *
 * The one reaper (waitpid(-1), we may be PID 1) hands the status over
 * instead of dropping it as an orphan's: a helper's status is never
 * stolen. Register right after the fork, before returning to the loop.
 */
void supervisor_watch_child(struct supervisor *s, pid_t pid,
			    supervisor_child_fn done, void *ctx);

/**
 * supervisor_forget_child() - Stop waiting for a child's exit
 * @s:		Supervisor
 * @pid:	A child registered with supervisor_watch_child()
 */
void supervisor_forget_child(struct supervisor *s, pid_t pid);

/**
 * supervisor_init() - Nothing open yet: every fd -1, no pid
 * @s:		Supervisor
 */
void supervisor_init(struct supervisor *s);

/**
 * supervisor_catch_signals() - Handle SIGTERM, SIGINT, SIGHUP and SIGCHLD
 * @s:		Supervisor
 * @err:	Filled on failure
 *
 * From now on these signals are written to the self-pipe and handled in
 * the main loop: the first three are forwarded to qemu, SIGCHLD reaps
 * every child that exited (we may be PID 1 of a container, the parent of
 * every orphan in it). Called before supervisor_spawn(), so that no signal
 * falls between the fork and the handlers.
 *
 * Return: 0 or negative errno
 */
int supervisor_catch_signals(struct supervisor *s, struct tcw_err *err);

/**
 * supervisor_spawn() - Fork and exec qemu
 * @s:		Supervisor with signals caught
 * @argv:	qemu's argv, NULL-terminated; argv[0] is looked up in PATH
 * @keep:	fds qemu inherits (taps, its QMP socket); every other fd of
 *		ours is close-on-exec for it
 * @n_keep:	Number of @keep
 * @err:	Filled on failure
 *
 * The child gets default signal handlers, our original signal mask and
 * PR_SET_PDEATHSIG(SIGTERM): if tcwire-qemu is killed, qemu is told to
 * stop rather than run on unsupervised. If exec fails, the child prints
 * one line and exits 127 (not found) or 126, which supervisor_run() then
 * returns as qemu's status.
 *
 * Return: 0 or negative errno (fork failed)
 */
int supervisor_spawn(struct supervisor *s, char *const *argv, const int *keep,
		     size_t n_keep, struct tcw_err *err);

/**
 * supervisor_run() - Run the main loop until qemu has exited
 * @s:		Supervisor with qemu spawned
 *
 * Other sources (link events, QMP) run in the same loop.
 *
 * Return: qemu's exit status, or 128 + the signal that killed it
 */
int supervisor_run(struct supervisor *s);

/**
 * supervisor_cleanup() - Default signal handlers again, pipe closed
 * @s:		Supervisor
 */
void supervisor_cleanup(struct supervisor *s);

#endif
