#!/bin/bash
# A lab across hosts: two namespaces stand for two hosts joined by an
# underlay link; on each, VXLAN interfaces vx1/vx2 are the partners of the
# VM's NICs (tcwire wires tap <-> vxlan). The guests bond over the two VXLAN
# links with LACP and reach each other, as containerlab's vxlan-stitch
# links would carry them.
. "$(dirname "$0")/lib-lab.sh"
echo "allow vx*" >>"$ACL"

two_routers H1 H2
ip -n "$H1" link add underlay type veth peer name underlay2
ip -n "$H1" link set underlay2 netns "$H2"
ip -n "$H2" link set underlay2 name underlay
for h in 1 2; do
	ns=$([ "$h" = 1 ] && echo "$H1" || echo "$H2")
	ip -n "$ns" link set underlay mtu 1600 up
	ip -n "$ns" addr add "10.200.0.$h/24" dev underlay
	for k in 1 2; do
		ip -n "$ns" link add "vx$k" type vxlan id $((100 + k)) \
			local "10.200.0.$h" remote "10.200.0.$((3 - h))" \
			dstport 4789 dev underlay
		ip -n "$ns" link set "vx$k" mtu 1500 up
	done
done
mac_r1=$(lab_mac lab-r1 1)
mac_r2=$(lab_mac lab-r2 1)
lab_bond_scripts vx 60
lab_start_pair "$H1" "$H2" vx1,vx2 vx
check "the helper wired tap <-> vx1 on host 1" \
	bash -c "sleep 3; tc -n '$H1' filter show dev vx1 ingress | grep -q 'Redirect to device tcw'"
wait "${LAB_PIDS[@]}"
check "r1's LACP partner over VXLAN is r2 ($mac_r2), 2 links, ping ok" \
	grep -q "REPORT r1 partner=$mac_r2 .*ports=2 ping=ok" "$TMP/vx-r1.log"
check "r2's LACP partner over VXLAN is r1 ($mac_r1), 2 links, ping ok" \
	grep -q "REPORT r2 partner=$mac_r1 .*ports=2 ping=ok" "$TMP/vx-r2.log"
check "frames really crossed the underlay (VXLAN UDP counters)" \
	bash -c "[ \"\$(ip -n '$H1' -s link show underlay | awk '/RX:/{getline; print \$2}')\" -gt 20 ]"
if [ "$_failures" != 0 ]; then
	for l in vx-r1 vx-r2; do echo "--- $l"; show_log "$TMP/$l.log"; done
fi
finish
