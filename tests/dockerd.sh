#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Start and stop the Docker daemon around a test run (tests/run.sh), for
# the Docker rows of the containers suite.
#
# Usage: dockerd.sh start|stop
#   start  when dockerd is installed and no daemon answers on the default
#          socket: start dockerd (plain, no flags, as a user's would run,
#          with the containerd it manages itself) and wait until it answers,
#          at most TCWIRE_DOCKERD_TIMEOUT seconds (60); a daemon that is
#          already running is used as it is and left alone.
#   stop   stop the daemon this script started, and only that one (its pid
#          file): SIGTERM, then SIGKILL (and to its containerd) after 30 s.
#          Nothing to do when this script started none.
# The daemon's log: /run/tcwire-dockerd/dockerd.log (printed when it fails
# to start). Needs root.
set -eu

state=/run/tcwire-dockerd
pidfile=$state/dockerd.pid
log=$state/dockerd.log
client=/usr/bin/docker

die() { echo "dockerd.sh: $*" >&2; exit 1; }

# answers: a daemon answers on the default socket
answers() { timeout 10 "$client" version >/dev/null 2>&1; }

# alive PID: the process PID exists (a zombie counts as gone)
alive() {
	[ -r "/proc/$1/stat" ] &&
		[ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

start() {
	command -v dockerd >/dev/null || { echo "dockerd.sh: dockerd is not installed: nothing to start"; return 0; }
	answers && { echo "dockerd.sh: a Docker daemon is running: using it"; return 0; }
	mkdir -p "$state"
	[ ! -s "$pidfile" ] || ! alive "$(cat "$pidfile")" ||
		die "dockerd $(cat "$pidfile") (started by this script) runs but does not answer; see $log"
	# setsid: a process group of its own (the managed containerd is in it),
	# apart from the caller's, so that a signal to the test run's group
	# does not reach it and stop can end the whole group
	setsid dockerd --pidfile "$state/docker.pid" </dev/null >"$log" 2>&1 &
	echo $! >"$pidfile"
	i=0
	while ! answers; do
		if ! alive "$(cat "$pidfile")"; then
			tail -n 20 "$log" >&2
			rm -f "$pidfile"
			die "dockerd exited while starting (log above: $log)"
		fi
		i=$((i + 1))
		if [ "$i" -gt "${TCWIRE_DOCKERD_TIMEOUT:-60}" ]; then
			tail -n 20 "$log" >&2
			stop
			die "dockerd did not answer within ${TCWIRE_DOCKERD_TIMEOUT:-60} s (log above: $log)"
		fi
		sleep 1
	done
	echo "dockerd.sh: started dockerd $(cat "$pidfile") ($("$client" version --format '{{.Server.Version}}'))"
}

stop() {
	[ -s "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	# dockerd stops the containerd it manages (its own session) on SIGTERM;
	# its pid, in case dockerd has to be killed
	cpid=$(cat /run/docker/containerd/containerd.pid 2>/dev/null || true)
	kill -TERM "$pid" 2>/dev/null || true
	wait_gone "$pid" 60
	if alive "$pid"; then
		echo "dockerd.sh: dockerd $pid did not stop within 30 s: killing it" >&2
		kill -KILL -- "-$pid" 2>/dev/null || true
		wait_gone "$pid" 20
		if [ -n "$cpid" ] && alive "$cpid"; then
			kill -KILL "$cpid" 2>/dev/null || true
		fi
	fi
	rm -f "$pidfile"
	echo "dockerd.sh: stopped dockerd $pid"
}

# wait_gone PID N: wait until PID is gone, at most N half seconds
wait_gone() {
	i=0
	while alive "$1" && [ "$i" -lt "$2" ]; do
		sleep 0.5
		i=$((i + 1))
	done
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
