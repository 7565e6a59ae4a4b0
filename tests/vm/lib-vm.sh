#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shared set-up of the VM tests: the privilege set-up (setuid helper in a
# temporary prefix, uid 65534, private /dev/net/tun), the cached guest, and
# tcwire-qemu where the test user can run it.
. "$(dirname "$0")/../privilege/lib-priv.sh"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed"

GUEST=${TCWIRE_GUEST_DIR:-/var/tmp/tcwire-guest}
"$TCWIRE_SOURCE_ROOT/tests/vm/build-guest.sh" "$GUEST" >"$TMP/guest.log" 2>&1 ||
	{ cat "$TMP/guest.log"; echo "FAIL: cannot build the test guest"; exit 1; }
chmod -R a+rX "$GUEST"
cp "$TCWIRE_SOURCE_ROOT/tests/vm/run-guest.sh" "$TMP/bin/"
[ -n "${TCWIRE_QEMU:-}" ] && cp "$TCWIRE_QEMU" "$TMP/bin/tcwire-qemu"
[ -n "${TCWIRE_STATUS:-}" ] && cp "$TCWIRE_STATUS" "$TMP/bin/tcwire"
chmod 0755 "$TMP/bin"/*

HELPER=$(install_helper setuid) || { echo "FAIL: meson install"; exit 1; }
mkdir -p "$ACL_DIR"
printf 'allow eth*\n' >"$ACL"
chmod 0644 "$ACL"
tun_mode 0600

# container_ns VAR K...: a fresh namespace (the container, name in VAR) with
# data links ethK, each peer in the namespace "<VAR's name>-far" as
# 10.91.K.2/24
container_ns() {
	local var=$1 k
	shift
	ns_new "$var"
	ip netns add "${!var}-far"
	at_exit ip netns del "${!var}-far"
	for k in "$@"; do far_link "${!var}" "${!var}-far" "$k" || return 1; done
}

# far_link NS FAR K: data link ethK in NS, its peer in FAR as 10.91.K.2/24
far_link() {
	veth_pair "$1" "eth$3" "peer$3" || return 1
	ip -n "$1" link set "peer$3" netns "$2"
	ip -n "$2" addr add "10.91.$3.2/24" dev "peer$3"
	ip -n "$2" link set "peer$3" up
}

# guest_script FILE: write stdin to FILE, readable by the test user
guest_script() {
	cat >"$1"
	chmod 0644 "$1"
}

# descendants PID: every process below PID, one pid a line
descendants() {
	local c
	for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done
}

# qemu_below PID: the qemu processes below PID
qemu_below() {
	local p
	for p in $(descendants "$1"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = qemu-system-x86 ] && echo "$p"
	done
	return 0
}

# kill_ns_procs NS: end every process left in NS (a libvirt daemon's qemu,
# which the daemon does not take down with it), by pid: TERM, then KILL
# after 3 s. Other tests' processes live in other namespaces.
kill_ns_procs() {
	local ns=$1 pids
	pids=$(ip netns pids "$ns" 2>/dev/null) || return 0
	[ -n "$pids" ] || return 0
	# shellcheck disable=SC2086 # one pid per word
	kill $pids 2>/dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[ -n "$pids" ] || return 0
		sleep 0.3
	done
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null
}
