#!/bin/bash
# tcwire-qemu in a container's namespace: waits (event-driven) for data
# interfaces that appear later, gives up with a message naming the missing
# ones, honours --interfaces and CLAB_INTFS, passes exactly the tap fds to
# qemu and passes the helper's own error through.
. "$(dirname "$0")/../lib.sh"
require_root
SHOW=$TCWIRE_SOURCE_ROOT/tests/tools/show-exec.sh
wrapper() { in_ns "$NS" "$TCWIRE_QEMU" --helper "$TCWIRE_HELPER" "$@"; }

# 1. Interfaces that appear 1 s after the start are picked up
ns_new NS
start=$(date +%s%N)
spawn eval 'sleep 1; veth_pair "$NS" eth1 peer1; veth_pair "$NS" eth2 peer2'
out=$(wrapper --count 2 --wait-timeout 20 -- "$SHOW" 2>&1)
rc=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
wait
check "late interfaces: exit 0 after they appeared (${elapsed_ms} ms)" \
	test "$rc" = 0 -a "$elapsed_ms" -ge 900
check "late interfaces: two taps handed to qemu" \
	test "$(grep -c '^fd: .* /dev/net/tun tcw' <<<"$out")" = 2
check "late interfaces: -netdev for eth1 and eth2" \
	bash -c "grep -q '^arg: tap,id=tcwnet1,fd=' <<<'$out' && grep -q '^arg: tap,id=tcwnet2,fd=' <<<'$out'"

# 2. Timeout names the missing interfaces, and nothing was wired
ns_new NS
veth_pair "$NS" eth1 peer1
before=$(snapshot "$NS")
version=$("$TCWIRE_HELPER" --version | awk '{print $2}')
check "--version: 'tcwire-qemu $version' (the project's version), exit 0, with no qemu command" \
	test "$("$TCWIRE_QEMU" --version)" = "tcwire-qemu $version"
expect_error "timeout names what is missing" \
	"tcwire-qemu: timed out after 1 s waiting for data interfaces: eth2, eth3 missing (1 of 3 present)" \
	wrapper --count 3 --wait-timeout 1 -- "$SHOW"
rc=$(wrapper --count 3 --wait-timeout 1 -- "$SHOW" >/dev/null 2>&1; echo $?)
check "timeout exit status is 2" test "$rc" = 2
same_state "after the timeout" "$before" "$(snapshot "$NS")"

# 3. An explicit list, in its own order; each NIC's tap wired to its partner
ns_new NS
veth_pair "$NS" eth1 peer1
veth_pair "$NS" eth3 peer3
# shellcheck disable=SC2016
out=$(SHOW_EXEC_THEN='tc filter show dev eth3 ingress; tc filter show dev eth1 ingress' \
	wrapper --interfaces eth3,eth1 -- "$SHOW" 2>&1)
fd1=$(sed -n 's/^arg: tap,id=tcwnet1,fd=\([0-9]*\)$/\1/p' <<<"$out")
fd2=$(sed -n 's/^arg: tap,id=tcwnet2,fd=\([0-9]*\)$/\1/p' <<<"$out")
tap1=$(sed -n "s|^fd: $fd1 /dev/net/tun ||p" <<<"$out")
tap2=$(sed -n "s|^fd: $fd2 /dev/net/tun ||p" <<<"$out")
redirs=$(grep -o 'Egress Redirect to device tcw[0-9]*' <<<"$out" | awk '{print $NF}' | tr '\n' ' ')
check "explicit list: NIC 1's tap ($tap1) is eth3's, NIC 2's ($tap2) is eth1's" \
	test "$redirs" = "$tap1 $tap2 "

# 4. CLAB_INTFS is the number of data links to wait for
ns_new NS
veth_pair "$NS" eth1 peer1
spawn eval 'sleep 1; veth_pair "$NS" eth2 peer2'
out=$(CLAB_INTFS=2 wrapper --wait-timeout 20 -- "$SHOW" 2>&1)
rc=$?
wait
check "CLAB_INTFS=2 waits for the second link" \
	test "$rc" = 0 -a "$(grep -c '^fd: .* /dev/net/tun tcw' <<<"$out")" = 2
expect_error "CLAB_INTFS=3 times out naming eth3" \
	"tcwire-qemu: timed out after 1 s waiting for data interfaces: eth3 missing (2 of 3 present)" \
	in_ns "$NS" env CLAB_INTFS=3 "$TCWIRE_QEMU" --helper "$TCWIRE_HELPER" --wait-timeout 1 -- true

# 5. Only the tap fds reach qemu; missing interfaces become slots: taps
# reserved for them (wired to nothing yet) at their positions
ns_new NS
veth_pair "$NS" eth1 peer1
veth_pair "$NS" eth3 peer3
exec 9</etc/hostname
out=$(wrapper --count 2 --slots 4 -- "$SHOW" 2>&1)
exec 9<&-
qmp_fd=$(sed -n 's/^arg: socket,id=tcwqmp,fd=\([0-9]*\)$/\1/p' <<<"$out")
fds=$(grep '^fd: ' <<<"$out" | awk -v q="$qmp_fd" '$2 > 2 && $2 != q' | grep -vc ' /dev/net/tun tcw')
check "no fd but the taps and the QMP socket (fd $qmp_fd) reaches qemu" \
	bash -c "[ '$fds' = 0 ] && grep -q '^fd: $qmp_fd socket:' <<<'$out'"
check "--slots 4 with eth2 missing: reserved taps at 2 and 4, eth3 at 3, no placeholder" \
	bash -c "grep -q '^arg: tap,id=tcwnet2,fd=' <<<'$out' &&
		grep -q '^arg: tap,id=tcwnet3,fd=' <<<'$out' &&
		grep -q '^arg: tap,id=tcwnet4,fd=' <<<'$out' &&
		! grep -q 'hubport' <<<'$out' &&
		grep -q 'netdev=tcwnet3,id=tcwnic3,mac=[0-9a-f:]*:03,bus=tcwbr1,addr=0x3' <<<'$out'"

# 6. The helper's message passes through; exit status 3; no fd leaks
ns_new NS
veth_pair "$NS" eth1 peer1
in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 -- sh -c '
	"$1" --helper "$2" --count 1 -- true 2>"$3"; echo "rc=$?" >>"$3"' \
	sh "$TCWIRE_QEMU" "$TCWIRE_HELPER" "$TMPDIR_TEST/err" 2>/dev/null
check "helper failure: the helper's own line is shown" \
	grep -q '^tcwire-helper: eth1: already wired to tcw' "$TMPDIR_TEST/err"
check "helper failure: exit status 3" grep -qx 'rc=3' "$TMPDIR_TEST/err"

# 6b. With helpers running side by side, one failure among six: exit 3,
# the helper's line, and every tap obtained so far is closed again
ns_new NS
for k in 1 2 3 4 5 6; do veth_pair "$NS" "eth$k" "peer$k"; done
in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth4 -- sh -c '
	"$1" --helper "$2" --count 6 -- true 2>"$3"; echo "rc=$?" >>"$3"
	ip -o link | grep -c ": tcw" >>"$3"' \
	sh "$TCWIRE_QEMU" "$TCWIRE_HELPER" "$TMPDIR_TEST/err6" 2>/dev/null
check "one of six fails: the helper's line about eth4, exit 3" \
	bash -c "grep -q '^tcwire-helper: eth4: already wired to tcw' '$TMPDIR_TEST/err6' && grep -qx 'rc=3' '$TMPDIR_TEST/err6'"
check "one of six fails: only the other client's tap is left" \
	test "$(tail -n1 "$TMPDIR_TEST/err6")" = 1

# 7. --print runs no helper and waits for nothing
ns_new NS
out=$(in_ns "$NS" "$TCWIRE_QEMU" --print --count 2 --mac-seed r1 -- qemu-system-x86_64 -m 512)
check "--print prints a shell-quoted line with symbolic fds" \
	grep -qF "qemu-system-x86_64 -m 512 -device pci-bridge,id=tcwbr1,chassis_nr=201,shpc=off -netdev 'tap,id=tcwnet1,fd={eth1}'" <<<"$out"
check_absent "--print created no tap" ': tcw' ip -n "$NS" -o link

# 8. --print shows the plan a real run makes now: the interfaces present
# (every ethK, also beyond the count) with their MTUs, the ones a real run
# still waits for named on stderr. A real run's NICs are compared.
ns_new NS
veth_pair "$NS" eth1 peer1 9000
veth_pair "$NS" eth2 peer2
nics() { grep -o "tcwnic[0-9]*,mac=[^ ']*" | sed 's/,bus=tcwbr1,addr=0x[0-9a-f]*//'; }
for env in "" "CLAB_INTFS=1"; do
	printed=$(in_ns "$NS" env $env "$TCWIRE_QEMU" --print -- q 2>&1 | nics)
	real=$(in_ns "$NS" env $env "$TCWIRE_QEMU" --helper "$TCWIRE_HELPER" -- "$SHOW" 2>&1 |
		grep '^arg: virtio-net-pci' | nics)
	check "--print ${env:-without a count} shows eth1 and eth2 with host_mtu, as a real run wires them" \
		test "$printed" = "$real" -a "$(grep -c 'host_mtu=9000' <<<"$printed")" = 1 \
		-a "$(grep -c 'host_mtu=1500' <<<"$printed")" = 1
done
out=$(in_ns "$NS" env CLAB_INTFS=3 "$TCWIRE_QEMU" --print -- q 2>&1)
check "--print with CLAB_INTFS=3 names eth3 as awaited, shows it without host_mtu" \
	bash -c "grep -qx 'tcwire-qemu: --print: eth3 is not there yet; a real run waits for it' <<<\"\$1\" &&
		grep -q 'tcwnic3,mac=[0-9a-f:]*,bus=tcwbr1,addr=0x3,speed=10000,duplex=full ' <<<\"\$1\"" sh "$out"

# 9. Usage: qemu's options without "--" are explained, the usage line says
# each thing once
expect_error "qemu options without '--'" \
	"tcwire-qemu: Unknown option -m (qemu's own options go after \"--\": tcwire-qemu [OPTION...] -- QEMU [ARGS...])" \
	"$TCWIRE_QEMU" qemu-system-x86_64 -m 1
check "the usage line names the qemu command once" \
	bash -c "\"\$1\" --help | grep -qE '^  tcwire-qemu \[OPTION.*\] -- QEMU \[ARGS...\]\$'" sh "$TCWIRE_QEMU"
finish
