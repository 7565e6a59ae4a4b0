#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The vm tests that run two routers: lib-vm.sh's set-up plus the lab
# functions of contrib/lab/lab-lib.sh, pointed at the test's install.
. "$(dirname "$0")/lib-vm.sh"
LAB_HELPER=$HELPER
LAB_QEMU_WRAPPER=$TMP/bin/tcwire-qemu
LAB_RUN_GUEST=$TMP/bin/run-guest.sh
LAB_GUEST=$GUEST
LAB_UID=$TEST_UID
LAB_GID=$TEST_GID
LAB_DIR=$TMP
lab_cleanup_add() { at_exit "$@"; }
lab_spawn() { spawn "$@"; }
# shellcheck source=contrib/lab/lab-lib.sh
. "$TCWIRE_SOURCE_ROOT/contrib/lab/lab-lib.sh"

# two_routers VAR_A VAR_B: two fresh namespaces, names stored in the VARs
two_routers() {
	ns_new "$1"
	ns_new "$2"
}

# show_log LOG: a VM's console, indented, for the test log
show_log() { sed 's/^/    | /' "$1"; }

# kill_vm PID: SIGKILL the qemu below PID (tcwire-qemu, which supervises
# run-guest.sh, which runs qemu), like a crash; then wait for PID to end
kill_vm() {
	local q
	q=$(qemu_below "$1")
	# shellcheck disable=SC2086 # one pid a word
	[ -n "$q" ] && kill -KILL $q
	wait "$1" 2>/dev/null
}

# guest_nic_funcs FILE: put, at the top of the guest script FILE, the
# functions guests use to find their NICs: nic_by_mac MAC (a hot-added NIC
# gets whatever ethN is free), wait_for CONDITION TRIES (0.2 s apart),
# carrier IF, ifindex IF
guest_nic_funcs() {
	local funcs
	funcs=$(cat <<'FUNCS'
nic_by_mac() {
	for d in /sys/class/net/eth*; do
		[ "$(cat $d/address 2>/dev/null)" = "$1" ] && { basename $d; return 0; }
	done
	return 1
}
wait_for() { n=0; while ! eval "$1"; do sleep 0.2; n=$((n + 1)); [ $n -lt $2 ] || return 1; done; }
carrier() { cat /sys/class/net/$1/carrier 2>/dev/null; }
ifindex() { cat /sys/class/net/$1/ifindex 2>/dev/null; }
FUNCS
)
	printf '%s\n%s\n' "$funcs" "$(cat "$1")" >"$1.tmp" && mv "$1.tmp" "$1"
	chmod 0644 "$1"
}

# wrapper_start NS LOG SCRIPT [TCWIRE_QEMU_ARGS...] [-- QEMU_ARGS...]: boot
# a guest running SCRIPT through tcwire-qemu, as the test user in NS, in
# the background; WRAPPER is tcwire-qemu's pid (ip netns exec and setpriv
# exec it in place)
wrapper_start() {
	local ns=$1 log=$2 script=$3 wopts=()
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do wopts+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	spawn ip netns exec "$ns" setpriv --reuid="$TEST_UID" --regid="$TEST_GID" \
		--clear-groups --inh-caps=-all \
		"$TMP/bin/tcwire-qemu" --helper "$HELPER" "${wopts[@]}" -- \
		"$TMP/bin/run-guest.sh" --guest "$GUEST" --script "$script" \
		--timeout 300 -- "$@" >"$log" 2>&1
	WRAPPER=$!
}
