#!/bin/bash
# Two VM routers, 2 links, 802.3ad bond in each guest: LACP negotiates (the
# partner is the other VM's bond MAC) and traffic passes over the bond.
# Then one VM's qemu is killed and started again: LACP forms again, and no
# stale or duplicate tc filter remains on any device.
. "$(dirname "$0")/lib-lab.sh"

two_routers A B
lab_link "$A" "$B" 1
lab_link "$A" "$B" 2
mac_r1=$(lab_mac lab-r1 1)
mac_r2=$(lab_mac lab-r2 1)

lab_script "$TMP/r1.sh" <<GUEST
$LAB_GUEST_BOND
ip addr add 10.0.0.1/24 dev bond0
lacp_wait_partner 60 || { echo "r1: no LACP partner"; exit 1; }
echo "PHASE1 partner=\$(cat \$B/ad_partner_mac) ports=\$(cat \$B/ad_num_ports)"
ping -c 2 -W 2 10.0.0.2 >/dev/null && echo "PHASE1 ping=ok"
n=0; while lacp_has_partner && [ \$n -lt 600 ]; do sleep 0.2; n=\$((n + 1)); done
echo "PHASE2 partner lost"
lacp_wait_partner 120 || { echo "r1: partner never came back"; exit 1; }
sleep 1
ping -c 3 -W 2 10.0.0.2 >/dev/null && p=ok || p=failed
lacp_report r1 \$p
sleep 8
GUEST
lab_script "$TMP/r2.sh" <<GUEST
$LAB_GUEST_BOND
ip addr add 10.0.0.2/24 dev bond0
lacp_wait_partner 60
lacp_report r2 first
sleep 600
GUEST
lab_script "$TMP/r2-again.sh" <<GUEST
$LAB_GUEST_BOND
ip addr add 10.0.0.2/24 dev bond0
lacp_wait_partner 60
sleep 1
ping -c 3 -W 2 10.0.0.1 >/dev/null && p=ok || p=failed
lacp_report r2 \$p
sleep 8
GUEST

lab_start_vm "$A" lab-r1 eth1,eth2 "$TMP/r1.sh" "$TMP/r1.log"; r1=$LAB_PID
at_exit kill "$r1"
lab_start_vm "$B" lab-r2 eth1,eth2 "$TMP/r2.sh" "$TMP/r2.log"; r2=$LAB_PID
at_exit kill "$r2"

lab_wait_log "$TMP/r1.log" "PHASE1 ping" 120
lab_wait_log "$TMP/r2.log" "REPORT r2" 60
check "r1's LACP partner is r2's bond ($mac_r2), both links bundled" \
	grep -q "PHASE1 partner=$mac_r2 ports=2" "$TMP/r1.log"
check "r2's LACP partner is r1's bond ($mac_r1)" \
	grep -q "REPORT r2 partner=$mac_r1 .*ports=2" "$TMP/r2.log"
check "ping over the bond" grep -q "PHASE1 ping=ok" "$TMP/r1.log"

# Crash r2: its taps vanish, the partners in B keep stale redirects
kill_vm "$r2"
check_absent "after r2's qemu died, its taps are gone" ': tcw' ip -n "$B" -o link
check "the stale redirects point nowhere" \
	test "$(count_matches 'Redirect to device \*' tc -n "$B" filter show dev eth1 ingress)" = 1
lab_wait_log "$TMP/r1.log" "PHASE2" 60
check "r1 noticed the partner was gone" grep -q "PHASE2 partner lost" "$TMP/r1.log"

# Start r2 again, as a restarted container entrypoint would
lab_start_vm "$B" lab-r2 eth1,eth2 "$TMP/r2-again.sh" "$TMP/r2-again.log"; r2=$LAB_PID
at_exit kill "$r2"
lab_wait_log "$TMP/r2-again.log" "REPORT r2" 120
for dev in eth1 eth2; do
	target=$(tc -n "$B" filter show dev "$dev" ingress | grep -o 'Redirect to device [^)]*' | awk '{print $4}')
	check "after restart, $dev in B has exactly one tcwire filter, to a live tap ($target)" \
		bash -c "[ '$(count_tcwire_filters "$B" "$dev")' = 1 ] && ip -n '$B' link show '$target' >/dev/null 2>&1"
	check "... and that tap redirects back to $dev, once" \
		test "$(tc -n "$B" filter show dev "$target" ingress | grep -c "Redirect to device $dev)")" = 1
	check "$dev in A still has exactly one tcwire filter" \
		test "$(count_tcwire_filters "$A" "$dev")" = 1
done
check "exactly two taps in B" test "$(count_matches ': tcw' ip -n "$B" -o link)" = 2
lab_wait_log "$TMP/r1.log" "REPORT r1" 60
check "LACP formed again: r1's partner is r2 and both links bundled" \
	grep -q "REPORT r1 partner=$mac_r2 .*ports=2 ping=ok" "$TMP/r1.log"
check "LACP formed again: r2's partner is r1, ping ok" \
	grep -q "REPORT r2 partner=$mac_r1 .*ports=2 ping=ok" "$TMP/r2-again.log"
wait "$r1" "$r2" 2>/dev/null
if [ "$_failures" != 0 ]; then
	for l in r1 r2 r2-again; do echo "--- $l"; show_log "$TMP/$l.log"; done
fi
finish
