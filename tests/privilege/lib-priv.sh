#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shared set-up of the privilege tests: a private mount namespace in which
# /dev/net/tun can be given any mode without touching the host's, an
# unprivileged user, and the tools copied where that user can run them.

. "$(dirname "$0")/../lib.sh"
require_root
command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"

# Re-run this script in a private mount namespace (once)
if [ -z "${TCWIRE_PRIVATE_MOUNTS:-}" ]; then
	exec env TCWIRE_PRIVATE_MOUNTS=1 unshare --mount --propagation private "$0" "$@"
fi

TEST_UID=65534
TEST_GID=65534
getent passwd "$TEST_UID" >/dev/null || skip "no user with uid $TEST_UID (nobody)"

TMP=$(mktemp -d /tmp/tcwire-priv.XXXXXX)
chmod 0755 "$TMP"
at_exit rm -rf "$TMP"
mkdir -p "$TMP/bin"
cp "$WIRE_CLIENT" "$FRAME_CHECK" "$TCWIRE_TOOLS/hold-lock" "$TMP/bin/"
cp "$TCWIRE_HELPER" "$TMP/bin/tcwire-helper-plain"
chmod 0755 "$TMP/bin"/*
# A directory the test user may write to
USER_DIR=$TMP/user
mkdir -p "$USER_DIR"
chown "$TEST_UID:$TEST_GID" "$USER_DIR"

# helper_in_state FILE REGEX: the test user's tcwire-helper runs and a line
# of /proc/PID/FILE matches REGEX (extended); its pid is left in $hpid.
# For wait_until.
helper_in_state() {
	hpid=$(pgrep -u "$TEST_UID" -x tcwire-helper | head -n1)
	[ -n "$hpid" ] && grep -qE "$2" "/proc/$hpid/$1" 2>/dev/null
}

# tun_mode MODE: give /dev/net/tun MODE in this mount namespace only
tun_mode() {
	local node="$TMP/tun-$1"
	[ -e "$node" ] || { mknod "$node" c 10 200 && chmod "$1" "$node"; }
	mount --bind "$node" /dev/net/tun
}

# install_helper MODE [DESTDIR]: meson install of this source tree into
# $TMP/prefix with helper-permissions=MODE; prints the helper's path.
install_helper() {
	local mode=$1 destdir=${2:-}
	if [ ! -d "$TMP/build" ]; then
		meson setup "$TMP/build" "$TCWIRE_SOURCE_ROOT" --prefix="$TMP/prefix" \
			-Dhelper-permissions="$mode" >"$TMP/setup.log" 2>&1 ||
			{ cat "$TMP/setup.log"; return 1; }
	else
		meson configure "$TMP/build" -Dhelper-permissions="$mode" >/dev/null
	fi
	DESTDIR=$destdir meson install -C "$TMP/build" --quiet >"$TMP/install.log" 2>&1 ||
		{ cat "$TMP/install.log"; return 1; }
	echo "$destdir$TMP/prefix/libexec/tcwire-helper"
}

ACL_DIR=$TMP/prefix/etc/tcwire
ACL=$ACL_DIR/helper.conf

# helper_status PID: the lines of /proc/PID/status the tests look at
helper_status() {
	grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' \
		"/proc/$1/status" | tr -s '\t ' ' '
}
