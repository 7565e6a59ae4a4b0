#!/bin/bash
# tcwire status --all: root only (one line says so otherwise); every
# network namespace, labelled by its name (ip netns) or as a container
# (a process with its own namespaces, deduplicated); doctor --all gives
# commands that run in the right namespace. And the cost contract: one
# link dump and one qdisc dump per namespace, filters dumped only on
# devices that have an ingress hook.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-status.sh"
require_root
command -v unshare >/dev/null || skip "needs unshare (util-linux)"
command -v strace >/dev/null || skip "needs strace"

echo "== without root"
expect_error "--all as nobody" \
	"tcwire: --all needs root: it enters every network namespace (CAP_SYS_ADMIN) and reads every process (CAP_SYS_PTRACE)" \
	"${NOBODY[@]}" "$TCW_BIN" status --all
"${NOBODY[@]}" "$TCW_BIN" status --all 2>/dev/null
check "... with exit status 2" test $? = 2

echo "== named namespaces and a container"
ns_new NA
veth_pair "$NA" eth1 peer1
hold_wire "$NA" eth1
tap_a=$TAP
ns_new NB
veth_pair "$NB" eth2 peer2
in_ns "$NB" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth2 >/dev/null
# A "container": a process with its own network and UTS namespaces and no
# name in /run/netns (unshare execs: the pid is the holder's)
ctr="tcwt-ctr-$$"
# shellcheck disable=SC2016
spawn unshare --net --uts -- sh -c '
	hostname "$1"
	ip link add eth3 type veth peer name peer3 && ip link set peer3 up &&
	exec "$2" --helper "$3" --br eth3 -- sleep 120' \
	sh "$ctr" "$WIRE_CLIENT" "$TCWIRE_HELPER" >/dev/null 2>&1
ctr_pid=$!
poll 10 sh -c "readlink /proc/$ctr_pid/exe | grep -q sleep" || fail "container did not start"

text=$("$TCW_BIN" status --all)
check "NETNS column" grep -qE "^NETNS +PARTNER +TAP +STATE" <<<"$text"
check "the healthy wire, labelled by its netns name" \
	grep -qE "^$NA +eth1 +$tap_a +ok +1500 .* pid [0-9]+ \(sleep\)" <<<"$text"
check "the stale wire, labelled by its netns name" \
	grep -qE "^$NB +eth2 +- +stale .*redirect to a deleted device$" <<<"$text"
check "the container's wire, labelled by its host name, with its holder" \
	grep -qE "^container:$ctr +eth3 +tcw[0-9]+ +ok .* pid $ctr_pid \(sleep\)" <<<"$text"
check "each namespace once" \
	test "$(grep -cE "^($NA|$NB|container:$ctr) " <<<"$text")" = 3

json=$("$TCW_BIN" status --all --json)
check "JSON: the named namespace and its wire" \
	test "$(jq -r --arg n "$NA" '.namespaces[] | select(.netns == $n) | .wires[0].state' <<<"$json")" = ok
check "JSON: the container" \
	test "$(jq -r --arg n "container:$ctr" '.namespaces[] | select(.netns == $n) | .wires[0].qemu.pid' <<<"$json")" = "$ctr_pid"

out=$("$TCW_BIN" doctor --all)
check "doctor --all exits 1 (a stale wire)" test $? = 1
check "doctor --all: the finding, labelled" \
	grep -qxF "$NB: eth2: the VM that used eth2 is gone; its redirect points to a deleted device" <<<"$out"
check "doctor --all: the fix runs in that namespace" \
	grep -qxF "  fix: the next wiring replaces it, or remove it: ip netns exec $NB tc filter del dev eth2 ingress pref 29795" <<<"$out"
check "doctor --all: nothing about the healthy namespace" \
	bash -c "! grep -q '^$NA: ' <<<\"\$1\"" sh "$out"

echo "== cost: dumps per namespace, not per device"
ns_new NC
for i in 1 2 3 4; do
	veth_pair "$NC" "eth$i" "peer$i"
	hold_wire "$NC" "eth$i"
	veth_pair "$NC" "bare$i" "bpeer$i"
done
in_ns "$NC" tc qdisc add dev bare1 ingress	# a hook without filters
trace=$(ip netns exec "$NC" strace -f -e trace=sendmsg,sendto \
	"${NOBODY[@]}" "$TCW_BIN" status 2>&1 >/dev/null)
count() { grep -c "nlmsg_type=$1, nlmsg_flags=[A-Z_|]*NLM_F_DUMP" <<<"$trace"; }
check "one link dump" test "$(count RTM_GETLINK)" = 1
check "one qdisc dump" test "$(count RTM_GETQDISC)" = 1
check "filter dumps only on the 9 devices with an ingress hook (of 21)" \
	test "$(count RTM_GETTFILTER)" = 9
check "all 4 wires ok" \
	test "$(tcw "$NC" status --json | jq '[.namespaces[0].wires[] | select(.state == "ok")] | length')" = 4
finish
