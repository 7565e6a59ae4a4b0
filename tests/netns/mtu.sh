#!/bin/bash
# The tap takes the partner's MTU, including jumbo and 64k MTUs, and gets
# a 0xFE-prefixed MAC; tap and partner end up up.
. "$(dirname "$0")/../lib.sh"
require_root

ns_new NS
for mtu in 1500 9000 9500 65000; do
	veth_pair "$NS" "p$mtu" "q$mtu" "$mtu"
	# shellcheck disable=SC2016
	out=$(in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br "p$mtu" -- \
		sh -c 'ip -o link show "$TCWIRE_TAP_NAME"; ip -o link show "$1"' sh "p$mtu")
	tap_line=$(sed -n 1p <<<"$out")
	partner_line=$(sed -n 2p <<<"$out")
	check "MTU $mtu: tap MTU equals partner's" grep -q " mtu $mtu " <<<"$tap_line"
	check "MTU $mtu: tap MAC starts with fe:" grep -q "link/ether fe:" <<<"$tap_line"
	check "MTU $mtu: tap is up" grep -q "<[^>]*,UP[,>]" <<<"$tap_line"
	check "MTU $mtu: partner was brought up" grep -q "<[^>]*,UP[,>]" <<<"$partner_line"
done
finish
