#!/bin/bash
# The container image's entrypoint (contrib/vrnetlab/launch.sh), run
# without a container, as root with VM_USER=root (no switch to the image's
# user vr): with TCWIRE_PRINT=1 it gives the built tcwire-qemu the
# containerlab example's settings and prints the expected qemu command
# line; tcwire-qemu's errors and exit status come through; and a real run
# in a namespace, qemu replaced by show-exec.sh, wires eth1. The text of the
# Dockerfile, README and topology is checked by tests/lint/contrib.sh.
. "$(dirname "$0")/../lib.sh"
: "${TCWIRE_QEMU:?run through meson test}"
: "${TCWIRE_SOURCE_ROOT:?run through meson test}"
require_root
LAUNCH=$TCWIRE_SOURCE_ROOT/contrib/vrnetlab/launch.sh
# A namespace standing for the container before its links exist: what
# --print shows must not depend on this host's interfaces
ns_new NS

# launch VAR=VALUE... -- ARGS...: run the entrypoint with exactly these
# settings (nothing from the caller's environment), printing only.
launch() {
	local vars=()
	while [ "$1" != -- ]; do vars+=("$1"); shift; done
	shift
	in_ns "$NS" env -i PATH="$PATH" VM_USER=root TCWIRE_PRINT=1 TCWIRE_QEMU="$TCWIRE_QEMU" \
		"${vars[@]}" sh "$LAUNCH" "$@"
}
# words LINE: the words of a shell command line, one per line, as sh parses it
words() { sh -c 'eval "set -- $1" && printf "%s\n" "$@"' sh "$1"; }
# has_seq WORD...: the words in $out_words contain WORD... in a row
has_seq() {
	local IFS=$'\n'
	grep -qxF -- "$*" < <(for ((i = 0; i + $# <= ${#out_words[@]}; i++)); do
		echo "${out_words[*]:i:$#}"; done)
}

# 1. r1 of the example (3 links, VM_MEMORY 2048, VM_SLOTS 4), plus extra args
out=$(launch CLAB_INTFS=3 VM_MEMORY=2048 VM_SLOTS=4 VM_CPUS=3 VM_MAC_SEED=r1 \
	QEMU_ACCEL=tcg -- -boot c 2>"$TMPDIR_TEST/r1.err")
rc=$?
check "r1: exit status 0 ($rc)" test "$rc" = 0
check "r1: --print names the interfaces a real run waits for, on stderr" \
	test "$(cat "$TMPDIR_TEST/r1.err")" = "$(printf 'tcwire-qemu: --print: eth%s is not there yet; a real run waits for it\n' 1 2 3)"
check "r1: one line on stdout" test "$(printf '%s\n' "$out" | wc -l)" = 1
mapfile -t out_words < <(words "$out")
check "r1: the line is shell-parsable into 43 words (${#out_words[@]})" \
	test "${#out_words[@]}" = 43
check "r1: qemu binary first" test "${out_words[0]:-}" = qemu-system-x86_64
check "r1: -accel tcg -cpu max -m 2048 -smp 3" \
	has_seq -accel tcg -cpu max -m 2048 -smp 3
check "r1: disk with snapshot=on" \
	has_seq -drive "if=virtio,file=/vm/router.qcow2,snapshot=on"
check "r1: management on qemu's user net, ssh and netconf forwarded" \
	has_seq -netdev "user,id=mgmt,hostfwd=tcp::22-:22,hostfwd=tcp::830-:830" \
	-device virtio-net-pci,netdev=mgmt
check "r1: serial console on telnet port 5000" \
	has_seq -serial "telnet::5000,server=on,wait=off"
check "r1: extra arguments after the management NIC" \
	has_seq -device virtio-net-pci,netdev=mgmt -boot c
check "r1: data NICs after them, on tcwire's pci-bridge" \
	has_seq -boot c -device pci-bridge,id=tcwbr1,chassis_nr=201,shpc=off
for k in 1 2 3; do
	check "r1: eth$k is NIC $k, a tap with symbolic fd {eth$k}" \
		has_seq -netdev "tap,id=tcwnet$k,fd={eth$k}"
done
check "r1: position 4 is a slot: a tap reserved for eth4 ({eth4})" \
	has_seq -netdev "tap,id=tcwnet4,fd={eth4}"
check_absent "r1: no placeholder" hubport echo "$out"
check_absent "r1: no position 5" tcwnet5 echo "$out"
mac1=$(grep -o 'id=tcwnic1,mac=[0-9a-f:]*' <<<"$out")
want=$(in_ns "$NS" "$TCWIRE_QEMU" --print --count 1 --mac-seed r1 -- q | grep -o 'id=tcwnic1,mac=[0-9a-f:]*')
check "r1: MACs from VM_MAC_SEED ($mac1)" test -n "$mac1" -a "$mac1" = "$want"
check "r1: NIC 4 at slot 4 of the bridge, MAC ending :04" \
	grep -q 'netdev=tcwnet4,id=tcwnic4,mac=[0-9a-f:]*:04,bus=tcwbr1,addr=0x4,' <<<"$out"
check "r1: tcwire-qemu follows the links over QMP (a slot's link is down until eth4 appears)" \
	has_seq -chardev "socket,id=tcwqmp,fd={qmp}" -mon chardev=tcwqmp,mode=control

# 2. r2 (2 links) with the other settings changed; the MAC seed defaults to
# the hostname, i.e. tcwire-qemu gets no --mac-seed
out=$(launch CLAB_INTFS=2 VM_SLOTS=4 VM_QUEUES=2 VM_VHOST=1 \
	VM_MGMT_PORTS=2222 VM_DISK=/vm/other.qcow2 QEMU=/opt/qemu/bin/qemu-system-x86_64 -- 2>/dev/null)
rc=$?
mapfile -t out_words < <(words "$out")
check "r2: exit status 0 ($rc)" test "$rc" = 0
check "r2: QEMU, VM_DISK, VM_MGMT_PORTS" bash -c '
	[ "$1" = /opt/qemu/bin/qemu-system-x86_64 ] &&
	grep -qF -- "-drive if=virtio,file=/vm/other.qcow2,snapshot=on" <<<"$2" &&
	grep -qF -- "-netdev user,id=mgmt,hostfwd=tcp::2222-:2222 -device" <<<"$2"' \
	sh "${out_words[0]:-}" "$out"
check "r2: VM_QUEUES=2 VM_VHOST=1: two fds per tap, vhost=on" \
	has_seq -netdev "tap,id=tcwnet2,fds={eth2#0}:{eth2#1},vhost=on"
check "r2: slots at 3 and 4, two queues each" \
	bash -c 'grep -qF "tap,id=tcwnet3,fds={eth3#0}:{eth3#1}" <<<"$1" &&
		grep -qF "tap,id=tcwnet4,fds={eth4#0}:{eth4#1}" <<<"$1"' sh "$out"
accel=$(sed -n 's/.* -accel \([a-z]*\) -cpu \([a-z]*\) .*/\1 \2/p' <<<"$out")
check "r2: QEMU_ACCEL=auto gives kvm with -cpu host or tcg with -cpu max ($accel)" \
	bash -c '[ "$1" = "kvm host" ] || [ "$1" = "tcg max" ]' sh "$accel"
mac1=$(grep -o 'id=tcwnic1,mac=[0-9a-f:]*' <<<"$out")
want=$(in_ns "$NS" "$TCWIRE_QEMU" --print --count 1 -- q | grep -o 'id=tcwnic1,mac=[0-9a-f:]*')
check "r2: without VM_MAC_SEED the MACs are tcwire-qemu's default" \
	test -n "$mac1" -a "$mac1" = "$want"

out=$(launch CLAB_INTFS=1 VM_NIC_MODEL=e1000 VM_MGMT_PORTS= -- 2>/dev/null)
check "VM_NIC_MODEL=e1000 for management and data NICs; VM_MGMT_PORTS empty" bash -c '
	grep -qF -- "-netdev user,id=mgmt -device e1000,netdev=mgmt " <<<"$1" &&
	grep -qF -- "-device e1000,netdev=tcwnet1," <<<"$1"' sh "$out"

# 3. tcwire-qemu's errors and exit status come through
expect_error "a bad VM_SLOTS is tcwire-qemu's usage error" \
	"tcwire-qemu: --slots=abc: expected 0 to 255" launch VM_SLOTS=abc --
rc=$(launch VM_SLOTS=abc -- >/dev/null 2>&1; echo $?)
check "a bad VM_SLOTS: exit status 1 ($rc)" test "$rc" = 1
rc=$(env -i PATH="$PATH" VM_USER=root TCWIRE_QEMU="$TMPDIR_TEST/none" sh "$LAUNCH" >/dev/null 2>&1; echo $?)
check "a missing tcwire-qemu: exit status 127 ($rc)" test "$rc" = 127

# 4. A real run in a namespace, qemu replaced by show-exec.sh:
# TCWIRE_HELPER reaches tcwire-qemu, eth1 gets a wired tap, the log line
# goes to stderr
ns_new NS
veth_pair "$NS" eth1 peer1
out=$(in_ns "$NS" env -i PATH="$PATH" VM_USER=root QEMU_ACCEL=tcg TCWIRE_QEMU="$TCWIRE_QEMU" \
	TCWIRE_HELPER="$TCWIRE_HELPER" QEMU="$TCWIRE_SOURCE_ROOT/tests/tools/show-exec.sh" \
	CLAB_INTFS=1 VM_SLOTS=2 sh "$LAUNCH" 2>"$TMPDIR_TEST/err")
check "real run: eth1's tap reaches qemu, position 2 is a slot with a reserved tap" bash -c '
	fd=$(sed -n "s/^arg: tap,id=tcwnet1,fd=\([0-9]*\)$/\1/p" <<<"$1") &&
	grep -q "^fd: $fd /dev/net/tun tcw" <<<"$1" &&
	fd2=$(sed -n "s/^arg: tap,id=tcwnet2,fd=\([0-9]*\)$/\1/p" <<<"$1") &&
	grep -q "^fd: $fd2 /dev/net/tun tcw" <<<"$1"' sh "$out"
check "real run: one log line on stderr" \
	grep -qx "launch.sh: .*: accel [a-z]*, waiting for 1 data interface(s)" "$TMPDIR_TEST/err"
check "real run: eth1 is wired" test "$(count_tcwire_filters "$NS" eth1)" = 1
finish
