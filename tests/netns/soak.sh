#!/bin/bash
# 1000 wire -> close cycles on one partner, as a qemu restarted 1000 times:
# afterwards no tap is left, the partner's qdiscs and filters are exactly
# those after the first cycle (one stale redirect, replaced each time,
# never stacked), and frames still pass on the next wiring.
. "$(dirname "$0")/../lib.sh"
require_root
CYCLES=${TCWIRE_SOAK_CYCLES:-1000}

# Filters without the action's index, which the kernel counts up
state() { snapshot "$NS" | sed -E 's/index [0-9]+ //'; }

ns_new NS
veth_pair "$NS" eth1 peer1
in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 >/dev/null
first=$(state)
failures=0
for ((i = 2; i <= CYCLES; i++)); do
	in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 >/dev/null 2>&1 ||
		failures=$((failures + 1))
done
check "$CYCLES cycles, every wiring succeeded" test "$failures" = 0
check_absent "no tap left" ': tcw' ip -n "$NS" -o link
same_state "qdiscs and filters after $CYCLES cycles equal those after the first" \
	"$first" "$(state)"
check "frames still pass on the next wiring" \
	in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 -- \
	sh -c '"$1" --tap-fd "$TCWIRE_TAP_FD" --peer peer1 >/dev/null' sh "$FRAME_CHECK"
finish
