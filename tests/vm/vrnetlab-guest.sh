#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The test guest's script under vrnetlab's launch code (tests/vm/vrnetlab.sh,
# tests/containers/vrnetlab-layer.sh): bridges its data NICs (every ethN
# but eth0, vrnetlab's management NIC on the root bus), says which MACs
# they have and that it is ready (what the launch.py waits for), then
# reports every change of their carrier. Runs in the guest (busybox sh).
ip link add br0 type bridge
for d in /sys/class/net/eth*; do
	n=${d##*/}
	[ "$n" = eth0 ] && continue
	ip link set "$n" master br0 2>/dev/null || brctl addif br0 "$n"
	ip link set "$n" up
done
ip link set br0 up
echo "NICS $(for d in /sys/class/net/eth*; do printf '%s=%s ' "${d##*/}" "$(cat "$d/address")"; done)"
echo TCW-GUEST-READY
prev=
while :; do
	cur=$(for n in eth1 eth2 eth3; do printf '%s=%s ' "$n" "$(cat /sys/class/net/$n/carrier 2>/dev/null)"; done)
	[ "$cur" != "$prev" ] && echo "CARRIER $cur" && prev=$cur
	sleep 0.2
done
