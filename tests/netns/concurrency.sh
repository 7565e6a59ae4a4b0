#!/bin/bash
# Many helpers at once. 32 helpers on 32 partners all succeed; 8 helpers on
# one partner: exactly one wins, the others get "already wired", and no
# filter is duplicated.
. "$(dirname "$0")/../lib.sh"
require_root

ns_new NS
for i in $(seq 32); do veth_pair "$NS" "eth$i" "peer$i"; done
# Each client holds its tap for 3 s, so all 32 wires exist at once
for i in $(seq 32); do
	in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br "eth$i" -- sleep 3 \
		>"$TMPDIR_TEST/out.$i" 2>&1 &
done
sleep 1.5
taps=$(ip -n "$NS" -o link | grep -c ': tcw')
ok_wires=0
for i in $(seq 32); do
	t=$(tc -n "$NS" filter show dev "eth$i" ingress | grep -o 'Redirect to device tcw[0-9]*' | awk '{print $4}')
	[ "$(count_tcwire_filters "$NS" "eth$i")" = 1 ] && [ -n "$t" ] &&
		tc -n "$NS" filter show dev "$t" ingress | grep -q "Redirect to device eth$i)" &&
		ok_wires=$((ok_wires + 1))
done
failed=0
for job in $(jobs -p); do wait "$job" || failed=$((failed + 1)); done
check "32 helpers on 32 partners at once: all exit 0" test "$failed" = 0
check "32 taps existed at once" test "$taps" = 32
check "each partner and its tap carry exactly one redirect to each other" test "$ok_wires" = 32

ns_new NS2
veth_pair "$NS2" eth1 peer1
for i in $(seq 8); do
	in_ns "$NS2" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 -- sleep 3 \
		>"$TMPDIR_TEST/same.$i" 2>&1 &
done
sleep 1.5
filters=$(count_tcwire_filters "$NS2" eth1)
taps=$(ip -n "$NS2" -o link | grep -c ': tcw')
winners=0
for job in $(jobs -p); do wait "$job" && winners=$((winners + 1)); done
losers=$(cat "$TMPDIR_TEST"/same.* | grep -c '^tcwire-helper: eth1: already wired to tcw[0-9]*$')
check "8 helpers on one partner: exactly one wins" test "$winners" = 1
check "the 7 others say 'already wired'" test "$losers" = 7
check "one filter on the partner, one tap" test "$filters" = 1 -a "$taps" = 1
finish
