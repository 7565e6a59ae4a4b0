#!/bin/bash
# Layer 2 across the wire between two VM routers: STP root election (a
# guest bridge with STP on receives the other guest's BPDUs), an 802.1Q
# subinterface, and a 9000-byte unfragmented ping at MTU 9000 end to end.
. "$(dirname "$0")/lib-lab.sh"

two_routers A B
lab_link "$A" "$B" 1 9000	# jumbo and VLAN
lab_link "$A" "$B" 2		# STP

# r1 gets bridge priority 4096 and must become the root for both
for id in 1 2; do
	prio=$([ "$id" = 1 ] && echo 4096 || echo 32768)
	lab_script "$LAB_DIR/l2-r$id.sh" <<GUEST
ip link set eth0 mtu 9000 up
ip addr add 10.0.0.$id/24 dev eth0
ip link add link eth0 name eth0.100 type vlan id 100
ip link set eth0.100 up
ip addr add 10.100.0.$id/24 dev eth0.100
ip link add br0 type bridge
echo $prio >/sys/class/net/br0/bridge/priority
echo 1 >/sys/class/net/br0/bridge/stp_state
ip link set eth1 master br0 2>/dev/null || brctl addif br0 eth1
ip link set eth1 up
ip link set br0 up
S=/sys/class/net/br0/bridge
n=0; while [ "\$(cat \$S/root_id)" = "\$(cat \$S/bridge_id)" ] && [ $id = 2 ] && [ \$n -lt 150 ]; do sleep 0.2; n=\$((n + 1)); done
sleep 2
ping -c 2 -W 3 -s 8972 10.0.0.$((3 - id)) >/dev/null && j=ok || j=failed
ping -c 2 -W 3 10.100.0.$((3 - id)) >/dev/null && v=ok || v=failed
echo "REPORT r$id self=\$(cat \$S/bridge_id) root=\$(cat \$S/root_id) jumbo=\$j vlan=\$v mtu=\$(cat /sys/class/net/eth0/mtu)"
sleep 6
GUEST
done
lab_start_pair "$A" "$B" eth1,eth2 l2
check "tap MTU follows the partner's 9000" \
	bash -c "sleep 3; ip -n '$A' -o link | grep ': tcw' | grep -q ' mtu 9000 '"
wait "${LAB_PIDS[@]}"

rep1=$(grep -o 'REPORT r1 .*' "$TMP/l2-r1.log" | tr -d '\r')
rep2=$(grep -o 'REPORT r2 .*' "$TMP/l2-r2.log" | tr -d '\r')
self1=$(lab_field self "$rep1")
check "r1 (priority 4096) is the STP root" test -n "$self1" -a "$(lab_field root "$rep1")" = "$self1"
check "r2 elected r1 ($self1) as root: BPDUs crossed the wire" \
	test "$(lab_field root "$rep2")" = "$self1"
check "9000-byte ping (8972 + headers, DF) r1 -> r2 at MTU 9000" test "$(lab_field jumbo "$rep1")" = ok
check "9000-byte ping r2 -> r1" test "$(lab_field jumbo "$rep2")" = ok
check "802.1Q subinterface eth0.100: r1 -> r2" test "$(lab_field vlan "$rep1")" = ok
check "802.1Q subinterface eth0.100: r2 -> r1" test "$(lab_field vlan "$rep2")" = ok
if [ "$_failures" != 0 ]; then
	for l in l2-r1 l2-r2; do echo "--- $l"; show_log "$TMP/$l.log"; done
fi
finish
