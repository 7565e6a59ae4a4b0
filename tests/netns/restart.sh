#!/bin/bash
# qemu restarts: wire, close the fd (qemu exits), wire again. The stale
# redirect is replaced, never stacked, and frames pass on the new wire.
. "$(dirname "$0")/../lib.sh"
require_root

ns_new NS
veth_pair "$NS" eth1 peer1
first=$(in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1)
check "first wiring gave a tcw tap ($first)" grep -qx 'tcw[0-9]*' <<<"$first"
check_absent "after the fd closed, the tap is gone" ": $first:" ip -n "$NS" -o link
check "a stale redirect is left on the partner (to a dead device)" \
	test "$(count_tcwire_filters "$NS" eth1)" = 1

for round in 2 3; do
	# shellcheck disable=SC2016
	check "round $round: wiring again works and frames pass" \
		in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 -- sh -c '
			[ "$(tc filter show dev eth1 ingress | grep -c "mirred (Egress Redirect to device $TCWIRE_TAP_NAME)")" = 1 ] &&
			[ "$(tc filter show dev eth1 ingress | grep -c "mirred (Egress")" = 1 ] &&
			[ "$(tc filter show dev "$TCWIRE_TAP_NAME" ingress | grep -c "mirred (Egress Redirect to device eth1)")" = 1 ] &&
			[ "$(tc qdisc show dev eth1 | grep -c "qdisc ingress")" = 1 ] &&
			"$1" --tap-fd "$TCWIRE_TAP_FD" --peer peer1 >/dev/null' sh "$FRAME_CHECK"
done
check "exactly one tcwire filter on the partner afterwards" \
	test "$(count_tcwire_filters "$NS" eth1)" = 1
finish
