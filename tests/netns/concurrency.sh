#!/bin/bash
# Many helpers at once. 32 helpers on 32 partners all succeed; 8 helpers on
# one partner: exactly one wins, the others get "already wired", and no
# filter is duplicated.
. "$(dirname "$0")/../lib.sh"
require_root

ns_new NS
for i in $(seq 32); do veth_pair "$NS" "eth$i" "peer$i"; done
# Each client, once wired, marks itself ready and holds its tap until the
# test has looked (the stop file), so all 32 wires exist at once however
# slow the machine is; spawn ends any that is left if the test stops early
hold='touch "$1/ready.$2"; while [ ! -e "$1/stop" ]; do sleep 0.1; done'
# settled: every client still running is ready (the others have exited:
# they lost, or failed)
settled() {
	[ "$(jobs -rp | wc -l)" -le "$(find "$TMPDIR_TEST" -name 'ready.*' | wc -l)" ]
}
for i in $(seq 32); do
	spawn in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br "eth$i" -- \
		sh -c "$hold" sh "$TMPDIR_TEST" "$i" >"$TMPDIR_TEST/out.$i" 2>&1
done
wait_until settled
taps=$(count_matches ': tcw' ip -n "$NS" -o link)
ok_wires=0
for i in $(seq 32); do
	t=$(tc -n "$NS" filter show dev "eth$i" ingress | grep -o 'Redirect to device tcw[0-9]*' | awk '{print $4}')
	[ "$(count_tcwire_filters "$NS" "eth$i")" = 1 ] && [ -n "$t" ] &&
		tc -n "$NS" filter show dev "$t" ingress | grep -q "Redirect to device eth$i)" &&
		ok_wires=$((ok_wires + 1))
done
touch "$TMPDIR_TEST/stop"
failed=0
for job in $(jobs -p); do wait "$job" || failed=$((failed + 1)); done
rm -f "$TMPDIR_TEST"/ready.* "$TMPDIR_TEST/stop"
check "32 helpers on 32 partners at once: all exit 0" test "$failed" = 0
check "32 taps existed at once" test "$taps" = 32
check "each partner and its tap carry exactly one redirect to each other" test "$ok_wires" = 32

ns_new NS2
veth_pair "$NS2" eth1 peer1
for i in $(seq 8); do
	spawn in_ns "$NS2" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 -- \
		sh -c "$hold" sh "$TMPDIR_TEST" "$i" >"$TMPDIR_TEST/same.$i" 2>&1
done
# Wait until the 7 losers have exited and the winner is ready
wait_until settled
filters=$(count_tcwire_filters "$NS2" eth1)
taps=$(count_matches ': tcw' ip -n "$NS2" -o link)
touch "$TMPDIR_TEST/stop"
winners=0
for job in $(jobs -p); do wait "$job" && winners=$((winners + 1)); done
losers=$(cat "$TMPDIR_TEST"/same.* | grep -c '^tcwire-helper: eth1: already wired to tcw[0-9]*$')
check "8 helpers on one partner: exactly one wins" test "$winners" = 1
check "the 7 others say 'already wired'" test "$losers" = 7
check "one filter on the partner, one tap" test "$filters" = 1 -a "$taps" = 1
finish
