#!/bin/bash
# Bridge mode: when the partner is a Linux bridge, the tap becomes its port
# (as with qemu-bridge-helper) with the bridge's MTU, and no tc filter is
# added. Frames a bridge forwards pass; the 802.1D group frames it eats do
# not - that is why tcwire exists. (IP frames are left out: with
# br_netfilter, as on this machine, a bridge also runs iptables on them.)
. "$(dirname "$0")/../lib.sh"
require_root

ns_new NS
ip -n "$NS" link add br0 type bridge
ip -n "$NS" link set br0 mtu 1500
veth_pair "$NS" eth1 peer1
ip -n "$NS" link set eth1 master br0
ip -n "$NS" link set eth1 up
ip -n "$NS" link set br0 up
# shellcheck disable=SC2016
out=$(in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br br0 -- sh -c '
	ip -o link show "$TCWIRE_TAP_NAME"
	echo "filters=$(tc filter show dev "$TCWIRE_TAP_NAME" ingress | wc -l)"
	echo "brfilters=$(tc filter show dev br0 ingress | wc -l)"
	sleep 0.2
	"$1" --tap-fd "$TCWIRE_TAP_FD" --peer peer1' sh "$FRAME_CHECK")
check "tap is a port of br0" grep -q "master br0" <<<"$out"
check "tap is up" grep -q "<[^>]*,UP[,>]" <<<"$out"
check "no tc filter on the tap" grep -qx "filters=0" <<<"$out"
check "no tc filter on the bridge" grep -qx "brfilters=0" <<<"$out"
for f in broadcast-arp unknown-type min-60 8021q; do
	check "bridge forwards $f peer->tap" grep -q "^ok   peer->tap $f " <<<"$out"
	check "bridge forwards $f tap->peer" grep -q "^ok   tap->peer $f " <<<"$out"
done
check "bridge eats LACPDUs (the reason for tcwire)" \
	grep -q "^FAIL peer->tap lacpdu " <<<"$out"
finish
