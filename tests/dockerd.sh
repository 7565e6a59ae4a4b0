#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Start and stop the Docker daemon around a test run (tests/run.sh), for
# the Docker rows of the containers suite.
#
# Usage: dockerd.sh start|stop
#   start  when dockerd is installed and no daemon answers on the default
#          socket: start dockerd (plain, no flags, as a user's would run,
#          with the containerd it manages itself) and wait until it answers,
#          at most TCWIRE_DOCKERD_TIMEOUT seconds (60). The caller (this
#          script's parent process) owns it. A daemon that is already
#          running is used as it is, and stays another's.
#   stop   stop the daemon the caller owns, and only that one: SIGTERM,
#          then SIGKILL (and to its containerd) after 30 s. Nothing to do
#          when the caller owns none.
# A daemon started here whose owner is gone (killed before its stop) is
# orphaned: the next start adopts it, so that its stop ends it.
# State: /run/tcwire-dockerd (dockerd.pid: "DOCKERD_PID OWNER_PID"; the
# daemon's log, dockerd.log, printed when it fails to start). Needs root.
set -eu

state=/run/tcwire-dockerd
pidfile=$state/dockerd.pid
log=$state/dockerd.log
client=/usr/bin/docker
owner=$PPID

die() { echo "dockerd.sh: $*" >&2; exit 1; }

# answers: a daemon answers on the default socket
answers() { timeout 10 "$client" version >/dev/null 2>&1; }

# alive PID: the process PID exists (a zombie counts as gone)
alive() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] &&
		[ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# ours: read the pid file into $dpid and $downer; false without one
ours() {
	dpid='' downer=''
	[ -s "$pidfile" ] || return 1
	read -r dpid downer <"$pidfile" || true
	[ -n "$dpid" ]
}

start() {
	command -v dockerd >/dev/null ||
		{ echo "dockerd.sh: dockerd is not installed: nothing to start"; return 0; }
	mkdir -p "$state"
	if ours && alive "$dpid" && ! alive "$downer"; then
		echo "$dpid $owner" >"$pidfile"
		echo "dockerd.sh: adopted dockerd $dpid (its starter ${downer:-unknown} is gone)"
	fi
	answers && { echo "dockerd.sh: a Docker daemon is running: using it"; return 0; }
	! ours || ! alive "$dpid" ||
		die "dockerd $dpid (started by this script) runs but does not answer; see $log"
	# setsid: a session of its own, apart from the caller's, so that a
	# signal to the test run's process group does not reach it
	setsid dockerd --pidfile "$state/docker.pid" </dev/null >"$log" 2>&1 &
	dpid=$!
	echo "$dpid $owner" >"$pidfile"
	i=0
	while ! answers; do
		if ! alive "$dpid"; then
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
	echo "dockerd.sh: started dockerd $dpid ($("$client" version --format '{{.Server.Version}}'))"
}

stop() {
	ours || return 0
	[ "$downer" = "$owner" ] || return 0
	# dockerd stops the containerd it manages (its own session) on SIGTERM;
	# its pid, in case dockerd has to be killed
	cpid=$(cat /run/docker/containerd/containerd.pid 2>/dev/null || true)
	kill -TERM "$dpid" 2>/dev/null || true
	wait_gone "$dpid" 60
	if alive "$dpid"; then
		echo "dockerd.sh: dockerd $dpid did not stop within 30 s: killing it" >&2
		kill -KILL "$dpid" 2>/dev/null || true
		wait_gone "$dpid" 20
		if alive "$cpid"; then
			kill -KILL "$cpid" 2>/dev/null || true
		fi
	fi
	rm -f "$pidfile"
	echo "dockerd.sh: stopped dockerd $dpid"
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
