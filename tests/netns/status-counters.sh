#!/bin/bash
# tcwire status counters: N frames through a wire show as N packets (and
# their bytes) in each direction; frames the wire drops show as drops;
# --watch turns counters into rates, from a GLib main loop that ends on
# --count or SIGTERM.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-status.sh"
require_root

ns_new NS
veth_pair "$NS" eth1 peer1
fc_out=$TMPDIR_TEST/frame-check.out
# The holder first runs the frame corpus both ways, then keeps the tap
# shellcheck disable=SC2016
spawn ip netns exec "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 -- sh -c '
	"$1" --tap-fd "$TCWIRE_TAP_FD" --peer peer1 >"$2"
	exec "$3" --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all sleep 120' \
	sh "$FRAME_CHECK" "$fc_out" "$(command -v setpriv)" >/dev/null 2>&1
poll 30 grep -q ' passed, ' "$fc_out" || fail "frame-check did not finish"
check "all frames passed the wire" grep -q ' passed, 0 failed' "$fc_out"
TAP=$(tap_of "$NS" eth1)

# expected DIRECTION: "packets bytes" as tc counts them: at ingress the
# Ethernet header is pulled (14 bytes) and an outer VLAN tag is taken out
# of the frame (4 bytes: the 8021q and qinq frames of the corpus)
expected() {
	grep "^ok   $1 " "$fc_out" | sed -E 's/^ok   [^ ]+ ([^ ]+) \(([0-9]+) bytes\)$/\1 \2/' |
		awk '{ n++; b += $2 - 14 - ($1 == "8021q" || $1 == "qinq" ? 4 : 0) }
		     END { print n, b }'
}
read -r in_pkts in_bytes <<<"$(expected peer-\>tap)"
read -r out_pkts out_bytes <<<"$(expected tap-\>peer)"
check "the corpus has frames ($in_pkts in, $out_pkts out)" test "$in_pkts" -ge 10 -a "$out_pkts" -ge 10

json=$(wire_json "$NS" eth1 "$TAP")
check "JSON partner->VM packets = $in_pkts" test "$(jq .to_vm.stats.packets <<<"$json")" = "$in_pkts"
check "JSON partner->VM bytes = $in_bytes" test "$(jq .to_vm.stats.bytes <<<"$json")" = "$in_bytes"
check "JSON VM->partner packets = $out_pkts" test "$(jq .from_vm.stats.packets <<<"$json")" = "$out_pkts"
check "JSON VM->partner bytes = $out_bytes" test "$(jq .from_vm.stats.bytes <<<"$json")" = "$out_bytes"
check "JSON no drops either way" test "$(jq '.to_vm.drops + .from_vm.drops' <<<"$json")" = 0
line=$(tcw "$NS" status | awk '$1 == "eth1"')
check "text partner->VM: $in_pkts/$in_bytes/0" \
	test "$(awk '{print $5}' <<<"$line")" = "$in_pkts/$in_bytes/0"
check "text VM->partner: $out_pkts/$out_bytes/0" \
	test "$(awk '{print $6}' <<<"$line")" = "$out_pkts/$out_bytes/0"
check "tc -s agrees on the partner's redirect" \
	grep -q "Sent $in_bytes bytes $in_pkts pkt" <<<"$(tc -n "$NS" -s filter show dev eth1 ingress)"

echo "== drops: a tap that is down makes the redirect drop every frame"
ip -n "$NS" link set "$TAP" down
in_ns "$NS" "$FRAME_CHECK" --send 20 --peer peer1 >/dev/null
json=$(wire_json "$NS" eth1 "$TAP")
check "JSON partner->VM drops = 20 (mirred overlimits)" \
	test "$(jq .to_vm.drops <<<"$json")/$(jq .to_vm.stats.overlimits <<<"$json")" = 20/20
check "text partner->VM drops column = 20" \
	grep -qE "^eth1 +$TAP +down +1500 +[0-9]+/[0-9]+/20 " <<<"$(tcw "$NS" status)"
ip -n "$NS" link set "$TAP" up

echo "== --watch: rates per second from a main loop"
watch_out=$TMPDIR_TEST/watch.out
spawn tcw "$NS" status --watch --json --interval 1 --count 3 >"$watch_out"
watch_pid=$!
poll 10 test -s "$watch_out" || fail "watch printed nothing"
in_ns "$NS" "$FRAME_CHECK" --send 100 --peer peer1 >/dev/null
wait "$watch_pid"
check "watch --count 3 exits 0" test $? = 0
check "watch printed 3 documents, one per line" test "$(wc -l <"$watch_out")" = 3
first=$(sed -n 1p "$watch_out" | jq '.namespaces[0].wires[0].to_vm.stats.packets')
last=$(sed -n 3p "$watch_out" | jq '.namespaces[0].wires[0].to_vm.stats.packets')
check "the 100 frames sent meanwhile are counted" test "$((last - first))" = 100
check "the first document has totals only" \
	test "$(sed -n 1p "$watch_out" | jq '.namespaces[0].wires[0].to_vm | has("rates")')" = false
check "later documents have a partner->VM rate > 0" \
	test "$(sed -n '2,3p' "$watch_out" | jq -s '[.[].namespaces[0].wires[0].to_vm.rates.packets_per_s] | add > 0')" = true
check "later documents give bit/s, 8 times the byte rate" \
	test "$(sed -n '2,3p' "$watch_out" | jq -s 'map(.namespaces[0].wires[0].to_vm.rates | (.bits_per_s - .bytes_per_s * 8) | (if . < 0 then -. else . end) < 0.05) | all')" = true
check "every document has its time, in UTC, later each time" \
	test "$(jq -s 'map(.time) | (map(test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")) | all) and (. == (sort | unique))' "$watch_out")" = true

text_out=$TMPDIR_TEST/watch.txt
spawn ip netns exec "$NS" "${NOBODY[@]}" "$TCW_BIN" status --watch --interval 0.2 >"$text_out"
watch_pid=$!
poll 10 grep -q "pkt/s bit/s drop/s" "$text_out" || fail "watch showed no rates"
kill -TERM "$watch_pid"
wait "$watch_pid"
check "watch ends on SIGTERM with status 0" test $? = 0
check "text watch: totals first" \
	grep -q "PARTNER->VM pkts/bytes/drops  VM->PARTNER" <<<"$(sed -n 2p "$text_out")"
check "text watch: a rate line for eth1" \
	grep -qE "^eth1 +$TAP +ok +1500 +0/0/0 +0/0/0 " "$text_out"
finish
