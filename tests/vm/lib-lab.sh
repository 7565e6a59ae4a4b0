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
