#!/bin/bash
# A redeployed peer, without restarting any VM: two VM routers bond their
# two links with 802.3ad; both links are deleted (as when a peer container
# goes away: the veth pairs vanish on both ends) and created again. Each
# tcwire-qemu takes its NICs' links down, then re-wires its taps to the
# new interfaces through the helper; LACP forms again, the same qemu
# processes still run, and every device carries exactly one tcwire filter.
. "$(dirname "$0")/lib-lab.sh"

two_routers A B
lab_link "$A" "$B" 1
lab_link "$A" "$B" 2
mac_r1=$(lab_mac lab-r1 1)
mac_r2=$(lab_mac lab-r2 1)

for id in 1 2; do
	lab_script "$TMP/recreate-r$id.sh" <<GUEST
$LAB_GUEST_BOND
ip addr add 10.0.0.$id/24 dev bond0
both_carriers() {
	[ "\$(cat /sys/class/net/eth0/carrier)" = \$1 ] && [ "\$(cat /sys/class/net/eth1/carrier)" = \$1 ]
}
lacp_wait_partner 90
sleep 1
ping -c 2 -W 2 10.0.0.$((3 - id)) >/dev/null && p=ok || p=failed
lacp_report PHASE1-r$id \$p
n=0; while ! both_carriers 0 && [ \$n -lt 900 ]; do sleep 0.2; n=\$((n + 1)); done
echo "PHASE2-r$id carriers=\$(cat /sys/class/net/eth0/carrier)\$(cat /sys/class/net/eth1/carrier)"
n=0; while ! both_carriers 1 && [ \$n -lt 900 ]; do sleep 0.2; n=\$((n + 1)); done
n=0; while [ "\$(cat \$B/ad_num_ports)" != 2 ] && [ \$n -lt 450 ]; do sleep 0.2; n=\$((n + 1)); done
lacp_wait_partner 60
sleep 1
ping -c 3 -W 2 10.0.0.$((3 - id)) >/dev/null && p=ok || p=failed
lacp_report PHASE3-r$id \$p
sleep 10
GUEST
done
lab_start_pair "$A" "$B" eth1,eth2 recreate
log1=$TMP/recreate-r1.log
log2=$TMP/recreate-r2.log
lab_wait_log "$log1" "REPORT PHASE1-r1" 150
lab_wait_log "$log2" "REPORT PHASE1-r2" 60
check "before: r1's LACP partner is r2, two ports, ping" \
	grep -q "REPORT PHASE1-r1 partner=$mac_r2 .*ports=2 ping=ok" "$log1"
check "before: r2's LACP partner is r1, two ports, ping" \
	grep -q "REPORT PHASE1-r2 partner=$mac_r1 .*ports=2 ping=ok" "$log2"
qemus=$(for p in "${LAB_PIDS[@]}"; do qemu_below "$p"; done | tr '\n' ' ')

# The peer goes away: both veth pairs vanish
ip -n "$A" link del eth1
ip -n "$A" link del eth2
lab_wait_log "$log1" "PHASE2-r1" 30
lab_wait_log "$log2" "PHASE2-r2" 30
for r in 1 2; do
	log=$TMP/recreate-r$r.log
	for k in 1 2; do
		check "r$r: eth$k deleted: tcwnic$k's link set down, waiting for eth$k" \
			bash -c "grep -q 'tcwire-qemu: eth$k: [a-z ]*: tcwnic$k link down' '$log' &&
				grep -q 'tcwire-qemu: eth$k: deleted; tcwnic$k waits for it to be created again' '$log'"
	done
	check "r$r: the guest sees both carriers go" grep -q "PHASE2-r$r carriers=00" "$log"
done

# ... and comes back: the same links are made again
lab_link "$A" "$B" 1
lab_link "$A" "$B" 2
lab_wait_log "$log1" "REPORT PHASE3-r1" 150
lab_wait_log "$log2" "REPORT PHASE3-r2" 60
for r in 1 2; do
	log=$TMP/recreate-r$r.log
	for k in 1 2; do
		check "r$r: eth$k created again: its tap re-wired, tcwnic$k's link up" \
			bash -c "grep -q 'tcwire-qemu: eth$k: created again; tcw[0-9]* re-wired to it' '$log' &&
				grep -q 'tcwire-qemu: eth$k: carrier: tcwnic$k link up' '$log'"
	done
done
check "after: LACP formed again, r1's partner is r2, two ports, ping" \
	grep -q "REPORT PHASE3-r1 partner=$mac_r2 .*ports=2 ping=ok" "$log1"
check "after: LACP formed again, r2's partner is r1, two ports, ping" \
	grep -q "REPORT PHASE3-r2 partner=$mac_r1 .*ports=2 ping=ok" "$log2"
check "no VM was restarted: the same two qemu processes run ($qemus)" \
	bash -c "[ \$(wc -w <<<'$qemus') = 2 ] && for p in $qemus; do kill -0 \$p || exit 1; done"
for ns in "$A" "$B"; do
	for dev in eth1 eth2 $(ip -n "$ns" -o link | awk -F': ' '/: tcw/ {print $2}'); do
		check "$dev in ${ns##*-}: exactly one tcwire filter" \
			test "$(count_tcwire_filters "$ns" "$dev")" = 1
	done
	check "two taps in ${ns##*-}" test "$(ip -n "$ns" -o link | grep -c ': tcw')" = 2
done
wait "${LAB_PIDS[@]}" 2>/dev/null
if [ "$_failures" != 0 ]; then
	for r in 1 2; do echo "--- r$r"; show_log "$TMP/recreate-r$r.log"; done
fi
finish
