#!/bin/bash
# Every frame a veth would carry passes the wire byte for byte, both ways:
# LACP, STP, LLDP, EAPOL, PAUSE, 802.1Q, QinQ, minimum and jumbo frames, ...
# and the partner's own IP stack sees none of them (redirect, not mirror).
. "$(dirname "$0")/../lib.sh"
require_root

# Plain tap, MTU 1500
ns_new NS
veth_pair "$NS" eth1 peer1
check "corpus passes peer<->tap, byte-exact" \
	in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 -- \
	sh -c '"$1" --tap-fd "$TCWIRE_TAP_FD" --peer peer1' sh "$FRAME_CHECK"

# --use-vnet: the tap carries a virtio-net header; jumbo frames at MTU 9000
ns_new NS2
veth_pair "$NS2" eth1 peer1 9000
check "with --use-vnet and MTU 9000: virtio-net header and 9014-byte frames" \
	in_ns "$NS2" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --use-vnet --br eth1 -- \
	sh -c '[ "$TCWIRE_TAP_VNET" = 1 ] && "$1" --vnet --jumbo 9000 --tap-fd "$TCWIRE_TAP_FD" --peer peer1' \
	sh "$FRAME_CHECK"

# Redirect, not mirror: the partner's stack must not answer for frames
# that belong to the VM. With a mirror, 10.77.0.1 would answer the ping.
ns_new NS3
veth_pair "$NS3" eth1 peer1
ip -n "$NS3" addr add 10.77.0.1/24 dev eth1
ip -n "$NS3" link set eth1 up
ip netns add "${NS3}-far"
at_exit ip netns del "${NS3}-far"
ip -n "$NS3" link set peer1 netns "${NS3}-far"
ip -n "${NS3}-far" addr add 10.77.0.2/24 dev peer1
ip -n "${NS3}-far" link set peer1 up
check "before wiring, the partner answers pings (test is sound)" \
	in_ns "${NS3}-far" ping -c3 -i0.2 -W3 -q 10.77.0.1
ip -n "${NS3}-far" neigh flush dev peer1
check "while wired, the partner's own stack gets nothing" \
	in_ns "$NS3" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 -- \
	sh -c 'ip netns exec "$1" ping -c2 -W1 -q 10.77.0.1; [ $? = 1 ]' sh "${NS3}-far"

finish
