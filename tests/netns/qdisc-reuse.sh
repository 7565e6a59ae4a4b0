#!/bin/bash
# A partner that already has a clsact qdisc (Cilium, Kata, a user's own
# filters) is wired through it; the qdisc and the foreign filters on it are
# left alone, also when the wire goes away and is replaced.
. "$(dirname "$0")/../lib.sh"
require_root

ns_new NS
veth_pair "$NS" eth1 peer1
tc -n "$NS" qdisc add dev eth1 clsact
# Somebody else's filter, at another priority, matching nothing we send
tc -n "$NS" filter add dev eth1 ingress prio 10 protocol all u32 \
	match u32 0xdeadbeef 0xffffffff at 0 classid 1:1
foreign_before=$(tc -n "$NS" filter show dev eth1 ingress prio 10)

check "wiring through an existing clsact qdisc passes every frame" \
	in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 -- \
	sh -c '"$1" --tap-fd "$TCWIRE_TAP_FD" --peer peer1 >/dev/null' sh "$FRAME_CHECK"
check "a second wiring replaces the stale wire" \
	in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1
check "the clsact qdisc is still there" \
	test "$(count_matches '^qdisc clsact' tc -n "$NS" qdisc show dev eth1)" = 1
check_absent "no ingress qdisc was added" '^qdisc ingress' tc -n "$NS" qdisc show dev eth1
check "the foreign filter is untouched" \
	test "$(tc -n "$NS" filter show dev eth1 ingress prio 10)" = "$foreign_before"
check "exactly one tcwire filter" test "$(count_tcwire_filters "$NS" eth1)" = 1
finish
