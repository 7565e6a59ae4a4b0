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
# shellcheck source=contrib/lab/lab-lib.sh
. "$TCWIRE_SOURCE_ROOT/contrib/lab/lab-lib.sh"

# two_routers VAR_A VAR_B: two fresh namespaces, names stored in the VARs
two_routers() {
	ns_new "$1"
	ns_new "$2"
}

# show_log LOG: a VM's console, indented, for the test log
show_log() { sed 's/^/    | /' "$1"; }

# kill_vm PID: SIGKILL the qemu under run-guest.sh PID, like a crash
kill_vm() {
	local t q
	t=$(pgrep -P "$1" -x timeout) && q=$(pgrep -P "$t") && kill -KILL "$q"
	wait "$1" 2>/dev/null
}
