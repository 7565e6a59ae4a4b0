#!/bin/bash
# tcwire status and doctor, one state at a time: each state is built for
# real in a fresh namespace (helper, taps, tc, veths), then the text table,
# the JSON document and doctor must all name it. tcwire runs as nobody.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-status.sh"
require_root

echo "== usage errors: one line, exit status 2"
expect_error "unknown command" "tcwire: foo: unknown command (status, doctor, wire or unwire)" "$TCW_BIN" foo
expect_error "doctor --json" \
	"tcwire: doctor takes no --watch or --json (tcwire status --json has the findings)" \
	"$TCW_BIN" doctor --json
expect_error "--pretty alone" "tcwire: --pretty goes with --json" "$TCW_BIN" --pretty
expect_error "--count without --watch" "tcwire: --count goes with --watch" "$TCW_BIN" --count 3
expect_error "--interval 0" "tcwire: --interval: 0.1 to 3600 seconds" "$TCW_BIN" --watch --interval 0
"$TCW_BIN" status extra 2>/dev/null
check "usage errors exit 2" test $? = 2
check "the usage line names the command once" \
	bash -c "\"\$1\" --help | grep -qE '^  tcwire \[OPTION.*\] \[status\|doctor\]\$'" sh "$TCW_BIN"

echo "== ok: both directions present and live"
ns_new NS
veth_pair "$NS" eth1 peer1
hold_wire "$NS" eth1
expect_wire "$NS" eth1 "$TAP" ok "" ""
check "ok: QEMU column names the holder" \
	grep -qE "^eth1 +$TAP +ok .* pid [0-9]+ \(sleep\)" <<<"$(tcw "$NS" status)"
check "ok: JSON names the holder" \
	test "$(wire_json "$NS" eth1 "$TAP" | jq -r .qemu.comm)" = sleep
expect_doctor "$NS" 0 "all is well: 1 wire, no problem found"
# What ip -json says of a device, tcwire's JSON says in the same words
ip_json=$(ip -n "$NS" -j -s link show eth1 | jq -c '.[0] | {flags, operstate, address, mtu,
	link, rx: .stats64.rx.packets, tx: .stats64.tx.packets}')
tcw_json=$(wire_json "$NS" eth1 "$TAP" | jq -c '.partner | {flags, operstate, address, mtu,
	link, rx: .stats64.rx.packets, tx: .stats64.tx.packets}')
check "ok: the partner's flags, operstate, address, mtu, link and stats64 are ip -json's" \
	test "$ip_json" = "$tcw_json"
check "ok: schema_version 2 and the time of the reading" \
	test "$(tcw "$NS" status --json | jq -c '[.schema_version, (.time | test("Z$"))]')" = '[2,true]'

echo "== QEMU column: the qemu process, not the launcher that passed it the fd"
ns_new NS
veth_pair "$NS" eth1 peer1
cp "$(command -v sleep)" "$TMPDIR_TEST/qemu-system-x86_64"
# The launcher (sh, pid $!: ip, wire-client and setpriv exec) keeps the
# tap fd and runs "qemu" as its child
# shellcheck disable=SC2016
spawn ip netns exec "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 -- "${NOBODY[@]}" \
	sh -c '"$1" 120; :' sh "$TMPDIR_TEST/qemu-system-x86_64" >/dev/null 2>&1
launcher=$!
# (the helper is a child of the same pid for a moment: match the name)
poll 10 pgrep -P "$launcher" qemu-system >/dev/null || fail "launcher did not start qemu"
qemu_pid=$(pgrep -P "$launcher" qemu-system)
at_exit kill "$qemu_pid"
TAP=$(tap_of "$NS" eth1)
check "the holder named qemu* wins over its launcher (sh)" \
	grep -qE "^eth1 +$TAP +ok .* pid $qemu_pid \(qemu-system-x86\)$" <<<"$(tcw "$NS" status)"

echo "== stale: the VM is gone, the partner's redirect is left"
ns_new NS
veth_pair "$NS" eth2 peer2
in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth2 >/dev/null
expect_wire "$NS" eth2 - stale tap-gone "redirect to a deleted device"
expect_doctor "$NS" 1 \
	"eth2: the VM that used eth2 is gone; its redirect points to a deleted device" \
	"  fix: the next wiring replaces it, or remove it: tc filter del dev eth2 ingress pref 29795"
in_ns "$NS" tc filter del dev eth2 ingress pref 29795
check "stale: the fix doctor gives works" \
	grep -qx "no tcwire wires in this network namespace" <<<"$(tcw "$NS" status)"

echo "== one-way: the tap's redirect is missing"
ns_new NS
veth_pair "$NS" eth3 peer3
hold_wire "$NS" eth3
in_ns "$NS" tc filter del dev "$TAP" ingress pref 29795
expect_wire "$NS" eth3 "$TAP" one-way no-redirect-from-vm "no redirect $TAP->eth3"
fix=$(tcw "$NS" doctor | grep -A1 "^$TAP -> eth3: redirect missing" | sed -n 's/^  fix: //p')
check "one-way: doctor gives the command that adds it" test -n "$fix"
in_ns "$NS" sh -c "$fix"
expect_wire "$NS" eth3 "$TAP" ok "" ""

echo "== foreign: somebody else's filter at tcwire's priority"
ns_new NS
veth_pair "$NS" eth4 peer4
in_ns "$NS" tc qdisc add dev eth4 ingress
in_ns "$NS" tc filter add dev eth4 ingress pref 29795 protocol all u32 match u8 0 0 \
	action mirred egress mirror dev peer4
expect_wire "$NS" eth4 - foreign foreign-filter "a filter that is not tcwire's at priority 29795"
expect_doctor "$NS" 1 \
	"eth4: a filter that is not tcwire's sits at tcwire's priority 29795 on the ingress hook; eth4 cannot be wired until it is gone"

echo "== orphan: a persistent tcw tap that nobody holds"
ns_new NS
veth_pair "$NS" eth5 peer5
tap=$(in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth5 --make-persistent)
check "orphan: the tap outlived its fd" ip -n "$NS" link show "$tap" >/dev/null
expect_wire "$NS" eth5 "$tap" orphan orphan-tap "persistent tap, nobody holds it"
expect_doctor "$NS" 1 "  fix: ip link del $tap"

echo "== down: the partner's peer is down, then the tap"
ns_new NS
veth_pair "$NS" eth6 peer6
hold_wire "$NS" eth6
ip -n "$NS" link set peer6 down
expect_wire "$NS" eth6 "$TAP" down partner-no-carrier "eth6 has no carrier"
expect_doctor "$NS" 1 "  fix: ip link set dev peer6 up"
ip -n "$NS" link set peer6 up
ip -n "$NS" link set "$TAP" down
expect_wire "$NS" eth6 "$TAP" down tap-down "$TAP is down"
expect_doctor "$NS" 1 "$TAP is down: mirred drops every frame for the VM" \
	"  fix: ip link set dev $TAP up"

echo "== mtu-mismatch: the partner's MTU changed after wiring; a peer's is larger"
ns_new NS
veth_pair "$NS" eth7 peer7
hold_wire "$NS" eth7
ip -n "$NS" link set peer7 mtu 9000
ip -n "$NS" link set eth7 mtu 9000
expect_wire "$NS" eth7 "$TAP" mtu-mismatch mtu-mismatch "MTU 9000 on eth7, 1500 on $TAP"
ip -n "$NS" link set eth7 mtu 1500
ip -n "$NS" link set "$TAP" mtu 1500
expect_wire "$NS" eth7 "$TAP" mtu-mismatch peer-mtu-mismatch "MTU 1500 on eth7, 9000 on its peer"
expect_doctor "$NS" 1 \
	"eth7 has MTU 1500, smaller than its peer's 9000: frames longer than 1500 are dropped"

echo "== a partner whose veth peer lives in another namespace"
ns_new NS
ns_new NP
ip -n "$NS" link add eth9 type veth peer name peer9 netns "$NP"
ip -n "$NP" link set peer9 up
hold_wire "$NS" eth9
nsid=$(ip -n "$NS" -j link show eth9 | jq '.[0].link_netnsid')
check "peer elsewhere: link_netnsid as ip -json has it ($nsid), link_netns names it ($NP)" \
	test "$(wire_json "$NS" eth9 "$TAP" | jq -c '.partner | [.link_netnsid, .link_netns]')" = "[$nsid,\"$NP\"]"

echo "== bridge: bridge mode, the tap is a port"
ns_new NS
ip -n "$NS" link add br0 type bridge
veth_pair "$NS" eth8 peer8
ip -n "$NS" link set eth8 master br0
ip -n "$NS" link set br0 up
hold "$NS" br0
poll 10 sh -c "ip -n $NS -o link show master br0 | grep -q tcw" || fail "bridge: no tap joined br0"
TAP=$(ip -n "$NS" -o link show master br0 | grep -o 'tcw[0-9]*' | head -n1)
expect_wire "$NS" br0 "$TAP" bridge "" ""
check "bridge: JSON names the bridge" test "$(wire_json "$NS" br0 "$TAP" | jq -r .bridge)" = br0
expect_doctor "$NS" 0 "all is well: 1 wire, no problem found"

echo "== unwired: a tcw tap with no redirect at all"
ns_new NS
veth_pair "$NS" eth9 peer9
hold_wire "$NS" eth9
in_ns "$NS" tc filter del dev eth9 ingress pref 29795
in_ns "$NS" tc filter del dev "$TAP" ingress pref 29795
expect_wire "$NS" - "$TAP" unwired unwired-tap "tap without redirects"

echo "== doctor: the datapath outside tcwire (bridge port, dropping qdisc)"
ns_new NS
veth_pair "$NS" eth1 peer1
hold_wire "$NS" eth1
ip -n "$NS" link add br9 type bridge
ip -n "$NS" link set eth1 master br9
expect_doctor "$NS" 1 \
	"eth1 is a port of br9: tcwire's redirect takes every frame before br9 sees it" \
	"  fix: ip link set dev eth1 nomaster (or give the VM br9 in bridge mode)"
ip -n "$NS" link set eth1 nomaster
# A shaper that drops what exceeds 1600 bytes of backlog (fq itself is not
# in this kernel; the unit tests cover its detection)
in_ns "$NS" tc qdisc replace dev "$TAP" root tbf rate 8kbit burst 1600 limit 1600
in_ns "$NS" "$FRAME_CHECK" --send 50 --peer peer1 >/dev/null
out=$(tcw "$NS" doctor)
check "doctor: the tap's qdisc dropped frames" \
	grep -qE "^$TAP: its tbf qdisc dropped [0-9]+ frames on their way to the VM$" <<<"$out"
check "doctor: ... and the fix" \
	grep -qxF "  fix: if those drops are not wanted: tc qdisc replace dev $TAP root pfifo_fast" <<<"$out"
check "status: the drops are in the partner->VM column" \
	test "$(wire_json "$NS" eth1 "$TAP" | jq '.to_vm.qdisc_drops > 0')" = true

finish
