#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A newcomer's first install: the README's "Build and install" block, run as
# it stands (sudo and all) on a fresh copy of this source tree, into a
# throwaway /usr/local (a tmpfs in this test's private mount namespace).
# Then what the README promises of it:
#  - the installed ACL allows nothing, and the refusal names the file and
#    the line to add (the block is run in two parts: before its ACL line
#    and after);
#  - the man pages give this build's paths;
#  - after the ACL line, an ordinary user's qemu with "-netdev
#    tap,...,helper=PATH" (PATH as the README's qemu example has it) gets a
#    tap wired to eth1, owned by that user, and frames sent to eth1 reach
#    qemu's tap;
#  - its libvirt system-mode commands make a wired persistent tap with the
#    installed tcwire, and the installed tcwire-wires.service runs it.
. "$(dirname "$0")/lib-priv.sh"
for c in sudo qemu-system-x86_64; do
	command -v "$c" >/dev/null || skip "$c is not installed (tests/install-deps.sh)"
done
README=$TCWIRE_SOURCE_ROOT/README.md

# readme_block MARKER: the shell block that follows the line MARKER
readme_block() {
	awk -v m="$1" 'index($0, m) { on = 1; next }
		on && /^```sh$/ { copy = 1; next }
		copy && /^```$/ { exit }
		copy { print }' "$README"
}

block=$(readme_block '<!-- tests/privilege/readme-install.sh runs this block')
check "the README has its install block" test -n "$block"
acl_line=$(grep -n 'helper.conf' <<<"$block" | tail -n1 | cut -d: -f1)
check "the block ends with the ACL step" test "$acl_line" = "$(wc -l <<<"$block")"
# The README's qemu example names the installed helper
helper=$(grep -o 'helper=[^ ,]*' "$README" | head -n1)
helper=${helper#helper=}
check "the README's qemu example names the helper under /usr/local" \
	test "$helper" = /usr/local/libexec/tcwire-helper

mount -t tmpfs -o mode=0755 tcwire-usr-local /usr/local
mkdir -p "$TMP/src"
tar -C "$TCWIRE_SOURCE_ROOT" --exclude=./.git --exclude='./build*' -cf - . |
	tar -C "$TMP/src" -xf -

# run_part FIRST LAST: lines FIRST..LAST of the block, in the copied tree
run_part() {
	(cd "$TMP/src" && sed -n "$1,$2p" <<<"$block" | bash -e) \
		>>"$TMP/readme-block.log" 2>&1 </dev/null
}
if ! run_part 1 $((acl_line - 1)); then
	sed 's/^/    | /' "$TMP/readme-block.log"
	echo "FAIL: the README's install commands failed"
	exit 1
fi
check "the helper is installed setuid root" \
	test "$(stat -c %U:%a "$helper")" = root:4755
ACL=/usr/local/etc/tcwire/helper.conf
check "a default ACL is installed, root-owned, 0644" \
	test "$(stat -c %U:%a "$ACL")" = root:644
check_absent "the default ACL allows nothing" '^[[:space:]]*allow' cat "$ACL"
check "the man page names this build's ACL" \
	grep -q "$ACL" /usr/local/share/man/man8/tcwire-helper.8
check "the man page names this build's helper" \
	grep -q "helper=$helper" /usr/local/share/man/man8/tcwire-helper.8

ns_new NS
veth_pair "$NS" eth1 peer1
before=$(snapshot "$NS")
expect_error "a fresh install refuses, naming the file and the line to add" \
	"tcwire-helper: eth1: not allowed by $ACL: no rule allows it (add the line \"allow eth1\")" \
	as_user -n "$NS" "$TMP/bin/wire-client" --helper "$helper" --br eth1
same_state "the refusal" "$before" "$(snapshot "$NS")"

run_part "$acl_line" "$acl_line" ||
	{ sed 's/^/    | /' "$TMP/readme-block.log"; echo "FAIL: the README's ACL step failed"; exit 1; }
check "a second meson install keeps the administrator's ACL" \
	sh -c "cd '$TMP/src' && meson install -C build --quiet >/dev/null && grep -qx 'allow eth\*' '$ACL'"

# qemu as the user, with the README's helper option; no guest is needed
# for the wire (the machine "none" runs no CPU)
spawn as_user -n "$NS" qemu-system-x86_64 -machine none -nodefaults \
	-display none -netdev "tap,id=n1,br=eth1,helper=$helper" \
	>"$TMP/qemu.log" 2>&1
qemu_pid=$!
wired() {
	in_ns "$NS" tc filter show dev eth1 ingress |
		grep -q 'mirred (Egress Redirect to device tcw0)'
}
wait_until wired || sed 's/^/    | /' "$TMP/qemu.log"
check "qemu run by uid $TEST_UID got eth1 wired to its tap tcw0" wired
check "qemu is still running" kill -0 "$qemu_pid"
check "tcw0 belongs to uid $TEST_UID" \
	test "$(in_ns "$NS" cat /sys/class/net/tcw0/owner)" = "$TEST_UID"
tx_before=$(in_ns "$NS" cat /sys/class/net/tcw0/statistics/tx_packets)
in_ns "$NS" "$TMP/bin/frame-check" --send 20 --peer peer1 >/dev/null
tx_after=$(in_ns "$NS" cat /sys/class/net/tcw0/statistics/tx_packets)
check "20 frames sent into eth1 reached qemu's tap ($tx_before -> $tx_after)" \
	test $((tx_after - tx_before)) -ge 20

# The README's libvirt system mode, as it stands, with the installed
# tcwire, in a fresh namespace (libvirtd itself: tests/vm/libvirt-system.sh)
ns_new SYS
sys_block=$(readme_block '## Use with libvirt (system mode)')
check "the README's tcwire wire commands work as they stand" \
	in_ns "$SYS" bash -e -c "$sys_block"
check "... tcw-r1-1 and veth-r1-1 carry one redirect each" test \
	"$(count_tcwire_filters "$SYS" tcw-r1-1)/$(count_tcwire_filters "$SYS" veth-r1-1)" = 1/1
check "... and tcwire status calls the tap stopped (no VM yet)" test \
	"$(in_ns "$SYS" /usr/local/bin/tcwire status | awk '$2 == "tcw-r1-1" { print $3 }')" = stopped
unit=/usr/local/lib/systemd/system/tcwire-wires.service
check "the unit is installed and runs the installed tcwire" \
	grep -qx 'ExecStart=/usr/local/bin/tcwire wire --all' "$unit"
# The boot block's wires.conf line, then what the unit runs
boot_block=$(readme_block '<!-- tests/privilege/readme-install.sh runs the wires.conf line')
check "the README's wires.conf line, then the unit's command" in_ns "$SYS" bash -e -c \
	"$(head -n1 <<<"$boot_block") >/dev/null && [ \"\$(/usr/local/bin/tcwire wire --all)\" = 'tcw-r1-1: already wired to veth-r1-1' ]"
finish
