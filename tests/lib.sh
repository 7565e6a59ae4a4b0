#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for tcwire's shell tests: namespaces, kernel-state
# snapshots, assertions. Sourced by tests/netns/*.sh, tests/privilege/*.sh
# and tests/vm/*.sh. meson passes the paths in TCWIRE_* variables.

set -u
set -o pipefail

: "${TCWIRE_HELPER:?run through meson test}"
: "${TCWIRE_TOOLS:?run through meson test}"
WIRE_CLIENT=$TCWIRE_TOOLS/wire-client
FRAME_CHECK=$TCWIRE_TOOLS/frame-check
TEST_NAME=$(basename "$0" .sh)
_failures=0
_checks=0
_cleanups=()
TMPDIR_TEST=$(mktemp -d /tmp/tcwire-test.XXXXXX)

# Skip the test (exit 77) unless running in CI, where a skip is a failure.
# A skip is decided before the first check: once a check ran, a skip would
# hide its outcome (a failure ending as "skipped"), so it fails instead.
skip() {
	if [ "$_checks" != 0 ]; then
		echo "FAIL: skip after $_checks check(s) ran (decide to skip before any check): $*"
		exit 1
	fi
	if [ "${CI:-}" = true ]; then
		echo "FAIL: this test would skip, which CI does not allow: $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, taps, tc)"
	ip netns list >/dev/null 2>&1 || skip "ip netns does not work here"
}

# Run "$@" at exit, last registered first.
at_exit() { _cleanups=("$*" "${_cleanups[@]}"); }

# Background processes. A test starts every one with spawn, never with a bare
# "&": its exit path ends them by PID, with everything they started, before
# any other cleanup, so that no process outlives the test holding its output
# open (a holder that waits for a stop file in a folder the cleanup deletes
# would otherwise run forever and hang meson). At exit, a process of the
# test's that is still running, or any process still holding its output,
# fails the test: the next harness race shows on the machine it was written
# on, not only on a slower one.
_spawned=()

# spawn CMD...: run CMD in the background, as "CMD &" would ($! is its PID;
# redirections of output on the spawn line apply to CMD; its stdin is
# /dev/null, as for any "&" without job control). Ended at exit: TERM to
# it and every descendant, then KILL to what is left after 5 s.
spawn() {
	"$@" &
	_spawned+=("$!")
}

# _descendants ROOT...: the PIDs of the live processes below ROOTs (ROOTs
# included when alive and below this test's shell), leaving out the
# command substitution that asks. A zombie has ended and holds nothing: it
# is not listed (its parent may reap it a moment later), but the chain is
# followed through it.
_descendants() {
	local me=$BASHPID
	ps -e -o pid=,ppid=,stat= | awk -v roots="$*" -v top=$$ -v me="$me" '
		BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) root[r[i]] = 1 }
		{ parent[$1] = $2; if ($3 ~ /^Z/) zombie[$1] = 1 }
		END {
			for (p in parent) {
				if (p == me || p == top) continue
				under = 0; mine = 0
				for (q = p; q in parent && q > 1; q = parent[q]) {
					if (q == me) { mine = 1; break }
					if (q in root) under = 1
					if (q == top) break
				}
				if (!mine && under && q == top && !(p in zombie)) print p
			}
		}'
}

# _end_processes PID...: TERM, up to 5 s for them to end (a zombie has
# ended), then KILL; reap the ones that are this shell's children
_end_processes() {
	kill -TERM "$@" 2>/dev/null
	for _ in $(seq 100); do
		ps -o stat= -p "$(IFS=,; echo "$*")" | grep -qv '^Z' || break
		sleep 0.05
	done
	kill -KILL "$@" 2>/dev/null
	wait "$@" 2>/dev/null
	return 0
}

# _stop_spawned: end every spawned process and its descendants
_stop_spawned() {
	local pids=() out
	[ "${#_spawned[@]}" = 0 ] && return 0
	out=$(_descendants "${_spawned[@]}")
	[ -z "$out" ] || mapfile -t pids <<<"$out"
	[ "${#pids[@]}" = 0 ] || _end_processes "${pids[@]}"
	wait "${_spawned[@]}" 2>/dev/null
	return 0
}

# _ancestors: " PID PID ... " of this shell and the processes above it
_ancestors() {
	local pid=$$ key value
	_above=" "
	while [ "$pid" -gt 1 ] 2>/dev/null; do
		_above+="$pid "
		while read -r key value; do
			[ "$key" = PPid: ] && pid=$value && continue 2
		done <"/proc/$pid/status"
		break
	done
}

# _output_holders: the PIDs of the processes holding the writing end of
# this test's stdout when it is a pipe (as under meson, which waits for the
# pipe's end), but for this shell and those above it. All in this shell,
# with no child that would hold the pipe too.
_output_holders() {
	local fd pid key value
	_holders=()
	[[ -p /proc/$$/fd/1 ]] || return 0
	_ancestors
	for fd in /proc/[0-9]*/fd/[0-9]*; do
		[[ $fd -ef /proc/$$/fd/1 ]] || continue
		pid=${fd#/proc/}
		pid=${pid%%/*}
		[[ $_above != *" $pid "* ]] || continue
		[[ " ${_holders[*]} " != *" $pid "* ]] || continue
		while read -r key value; do
			# O_WRONLY or O_RDWR: a writer (meson reads the other end)
			[ "$key" = flags: ] && (((8#$value & 3) != 0)) && _holders+=("$pid")
		done <"${fd/\/fd\//\/fdinfo\/}" 2>/dev/null
	done
}

# _check_leftovers: fail the test (exit 1) if any process it started is
# still running, or any process holds its output; end them
_check_leftovers() {
	local left=() p out
	# by command substitution, which has ended before the holders are read
	out=$(_descendants $$)
	[ -z "$out" ] || mapfile -t left <<<"$out"
	_output_holders
	for p in "${_holders[@]}"; do
		[[ " ${left[*]} " == *" $p "* ]] || left+=("$p")
	done
	[ "${#left[@]}" = 0 ] && return 0
	echo "FAIL $TEST_NAME left ${#left[@]} process(es) running at exit (start them with spawn):"
	ps -o pid=,user=,args= -p "$(IFS=,; echo "${left[*]}")" | sed 's/^/    /'
	_end_processes "${left[@]}"
	exit 1
}

_run_cleanups() {
	local c
	_stop_spawned
	for c in "${_cleanups[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
	_check_leftovers
}
trap _run_cleanups EXIT
at_exit rm -rf "$TMPDIR_TEST"
trap 'exit 130' INT TERM

# ns_new VAR: create a fresh network namespace, name stored in VAR.
# IPv6 is off in it so no background ND/MLD frames wander over the wires.
ns_new() {
	local name="tcwt-${TEST_NAME:0:10}-$$-$RANDOM"
	ip netns add "$name" || { echo "FAIL: cannot create netns"; exit 1; }
	at_exit ip netns del "$name"
	ip netns exec "$name" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	ip -n "$name" link set lo up
	printf -v "$1" %s "$name"
}

# in_ns NS CMD...: run CMD inside NS.
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# as_user [-n NS] CMD...: run CMD (inside NS) as the unprivileged test user
# TEST_UID:TEST_GID (set by tests/privilege/lib-priv.sh), with no
# supplementary groups and no inheritable capabilities.
as_user() {
	local netns=()
	if [ "${1:-}" = -n ]; then
		netns=(ip netns exec "$2")
		shift 2
	fi
	"${netns[@]}" setpriv --reuid="${TEST_UID:?}" --regid="${TEST_GID:?}" \
		--clear-groups --inh-caps=-all "$@"
}

# wait_until CMD...: run CMD every 0.05 s until it succeeds. Gives up after
# TCWIRE_WAIT_SECONDS (60) and returns 1, saying what it waited for. A wait
# for the system under test to get somewhere, never a timed assertion.
wait_until() {
	local deadline=$((SECONDS + ${TCWIRE_WAIT_SECONDS:-60}))
	until "$@"; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "note: gave up waiting after ${TCWIRE_WAIT_SECONDS:-60} s for: $*"
			return 1
		fi
		sleep 0.05
	done
}

# veth_pair NS A B [MTU]: a veth pair A<->B in NS, B up (A is the partner).
veth_pair() {
	ip -n "$1" link add "$2" type veth peer name "$3" || return 1
	if [ -n "${4:-}" ]; then
		ip -n "$1" link set "$2" mtu "$4"
		ip -n "$1" link set "$3" mtu "$4"
	fi
	ip -n "$1" link set "$3" up
}

# snapshot NS: links, qdiscs and filters of every device, without counters.
# A device that was up once keeps the kernel's default root qdisc (noqueue
# instead of noop) when set down again: that is not tcwire's, so the root
# qdisc is left out; ingress/clsact qdiscs and all filters are compared.
snapshot() {
	local ns=$1 dev
	ip -n "$ns" -o link show |
		sed -E 's/^[0-9]+: //; s/ qlen [0-9]+//; s/ qdisc [a-z_]+ / /' | sort
	for dev in $(ip -n "$ns" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
		echo "== $dev"
		tc -n "$ns" qdisc show dev "$dev" | grep -v ' root ' || true
		tc -n "$ns" filter show dev "$dev" ingress
	done
}

# count_matches REGEX CMD...: how many lines of CMD's output match REGEX
# (a grep basic regular expression). If CMD fails it prints "'CMD' failed"
# instead and returns 1: a count compared with 0 must not pass because
# nothing was looked at (a namespace or device that is not there).
count_matches() {
	local re=$1 out
	shift
	out=$("$@") || { echo "'$*' failed"; return 1; }
	grep -c -- "$re" <<<"$out" || true
}

# count_tcwire_filters NS DEV: how many tcwire redirects DEV carries.
count_tcwire_filters() {
	count_matches 'mirred (Egress Redirect' tc -n "$1" filter show dev "$2" ingress
}

ok() { echo "ok   $*"; _checks=$((_checks + 1)); }
fail() { echo "FAIL $*"; _failures=$((_failures + 1)); _checks=$((_checks + 1)); }

# check DESCRIPTION CMD...: ok if CMD succeeds.
check() {
	local what=$1; shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

# check_absent DESCRIPTION REGEX CMD...: ok if CMD succeeds and no line of
# its output matches REGEX (see count_matches). Use it instead of
# "! CMD | grep": there a failing CMD, or grep's own error, passes.
check_absent() {
	local what=$1 n
	shift
	if ! n=$(count_matches "$@"); then
		fail "$what: $n"
	elif [ "$n" != 0 ]; then
		fail "$what: $n line(s) match '$1'"
	else
		ok "$what"
	fi
}

# expect_error DESCRIPTION EXPECTED_LINE CMD...: CMD must exit non-zero and
# print EXPECTED_LINE, and nothing else, on stderr (lines of the test driver
# itself, "wire-client: ...", aside). A sanitizer report fails the check.
expect_error() {
	local what=$1 want=$2 out rc rest
	shift 2
	out=$("$@" 2>&1 >/dev/null)
	rc=$?
	rest=$(grep -vxF -- "$want" <<<"$out" | grep -v '^wire-client: ')
	if [ "$rc" = 0 ]; then
		fail "$what: exit status 0"
	elif ! grep -qxF -- "$want" <<<"$out"; then
		fail "$what: wanted '$want', got: $out"
	elif [ -n "$rest" ]; then
		fail "$what: more than one line of output: $out"
	else
		ok "$what (exit $rc)"
	fi
}

# same_state DESCRIPTION BEFORE AFTER: compare two snapshots.
same_state() {
	if [ "$2" = "$3" ]; then
		ok "$1: namespace unchanged"
	else
		fail "$1: namespace changed:"
		diff <(echo "$2") <(echo "$3") | sed 's/^/    /'
	fi
}

# finish: print the summary line and exit with the verdict.
finish() {
	if [ "$_failures" = 0 ]; then
		echo "$TEST_NAME: all checks passed"
		exit 0
	fi
	echo "$TEST_NAME: $_failures check(s) failed"
	exit 1
}
