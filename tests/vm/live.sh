#!/bin/bash
# Live links, one VM booted through tcwire-qemu (as uid 65534, setuid
# helper): the partner's MTU reaches the guest (host_mtu); the far end
# going down and up is seen in the guest's carrier; an eth2 created later
# is wired to the tap its slot (--slots 2) booted with, the same guest NIC
# with its link down until then, and an eth3 created later gets a NIC
# hot-added beyond the slots, both without a reboot and with working pings;
# eth3 deleted again takes its NIC's link down, and created again is
# re-wired to the same tap; SIGTERM to tcwire-qemu ends qemu and leaves
# no tap.
. "$(dirname "$0")/lib-lab.sh"

container_ns NS 1
ip -n "$NS" link set eth1 mtu 9000
ip -n "$NS-far" link set peer1 mtu 9000
mac1=$(lab_mac live 1)
mac2=$(lab_mac live 2)
mac3=$(lab_mac live 3)

lab_script "$TMP/live.sh" <<GUEST
e1=\$(nic_by_mac $mac1)
e2=\$(nic_by_mac $mac2)
slot=\$(ifindex "\$e2")
ip link set \$e2 up
echo "BOOT nic1=\$e1 slot-ifindex=\$slot nics=\$(ls /sys/class/net | tr '\n' ' ')"
wait_for '[ "\$(carrier \$e2)" = 0 ]' 50 && echo "SLOT2 carrier 0"
ip link set \$e1 up
ip addr add 10.91.1.1/24 dev \$e1
wait_for '[ "\$(carrier \$e1)" = 1 ]' 50
echo "MTU1 \$(cat /sys/class/net/\$e1/mtu)"
ping -c 1 -W 3 -s 8000 10.91.1.2 >/dev/null && echo "JUMBO ok"
echo "STEP far-down"
wait_for '[ "\$(carrier \$e1)" = 0 ]' 150 && echo "CARRIER 0"
echo "STEP far-up"
wait_for '[ "\$(carrier \$e1)" = 1 ]' 150 && echo "CARRIER 1"
ping -c 2 -W 3 10.91.1.2 >/dev/null && echo "PING1 ok"
echo "STEP hot-add"
# NIC 2 is the slot's device, now with carrier; NIC 3 is new
wait_for '[ "\$(carrier \$e2)" = 1 ]' 300 &&
	[ "\$(ifindex "\$(nic_by_mac $mac2)")" = "\$slot" ] && echo "NIC2 same \$e2"
wait_for 'e=\$(nic_by_mac $mac3)' 300 && echo "NIC3 \$e"
for k in 2 3; do
	e=\$(nic_by_mac "\$(eval echo \\\$mac\$k)") || continue
	ip link set \$e up
	ip addr add 10.91.\$k.1/24 dev \$e
	wait_for '[ "\$(carrier \$e)" = 1 ]' 50
	ping -c 2 -W 3 10.91.\$k.2 >/dev/null && echo "PING\$k ok"
done
e3=\$(nic_by_mac $mac3)
echo "STEP delete-eth3"
wait_for '[ "\$(carrier \$e3)" = 0 ]' 150 && echo "CARRIER3 0"
echo "STEP recreate-eth3"
wait_for '[ "\$(carrier \$e3)" = 1 ]' 300 && echo "CARRIER3 1"
ping -c 2 -W 3 10.91.3.2 >/dev/null && echo "PING3again ok"
echo "STEP done"
sleep 600
GUEST
guest_nic_funcs "$TMP/live.sh"
sed -i "1i mac2=$mac2 mac3=$mac3" "$TMP/live.sh"

log=$TMP/live.log
wrapper_start "$NS" "$log" "$TMP/live.sh" --slots 2 --mac-seed live
wrapper=$WRAPPER

lab_wait_log "$log" "STEP far-down" 120
check "the partner's MTU 9000 reaches the guest (host_mtu)" grep -q "MTU1 9000" "$log"
check "a 8000-byte ping crosses the wire" grep -q "JUMBO ok" "$log"
ip -n "$NS-far" link set peer1 down
lab_wait_log "$log" "CARRIER 0" 30
check "far end down: tcwire-qemu sets the NIC's link down" \
	grep -q "tcwire-qemu: eth1: no carrier: tcwnic1 link down" "$log"
check "far end down: the guest's NIC loses its carrier" grep -q "CARRIER 0" "$log"
ip -n "$NS-far" link set peer1 up
lab_wait_log "$log" "PING1" 30
check "far end up: tcwire-qemu sets the NIC's link up" \
	grep -q "tcwire-qemu: eth1: carrier: tcwnic1 link up" "$log"
check "far end up: the guest has its carrier back and pings" \
	bash -c "grep -q 'CARRIER 1' '$log' && grep -q 'PING1 ok' '$log'"

lab_wait_log "$log" "STEP hot-add" 30
far_link "$NS" "$NS-far" 2
far_link "$NS" "$NS-far" 3
lab_wait_log "$log" "STEP delete-eth3" 120
check "eth2 missing at boot: its slot's NIC booted with a reserved tap, link down" \
	bash -c "grep -q 'tcwire-qemu: eth2: not there yet: tcwnic2 link down' '$log' &&
		grep -q 'SLOT2 carrier 0' '$log'"
check "eth2 (a slot under --slots 2) is wired to the slot's tap: the same guest NIC, no hot-plug" \
	bash -c "grep -q 'tcwire-qemu: eth2: appeared; tcw[0-9]* wired to it in slot 2' '$log' &&
		grep -q 'NIC2 same eth' '$log' && ! grep -q 'eth2: hot-added' '$log'"
check "eth3 (beyond --slots) is hot-added as a new NIC" \
	bash -c "grep -q 'tcwire-qemu: eth3: hot-added as tcwnic3 (mac $mac3, tcwbr1 slot 3)' '$log' &&
		grep -q 'NIC3 eth' '$log'"
check "the guest pings over both hot-added NICs" \
	bash -c "grep -q 'PING2 ok' '$log' && grep -q 'PING3 ok' '$log'"
for k in 2 3; do
	check "eth$k carries exactly one tcwire filter" \
		test "$(count_tcwire_filters "$NS" "eth$k")" = 1
done
check "three taps in the container" test "$(ip -n "$NS" -o link | grep -c ': tcw')" = 3

# The hot-added eth3 is deleted (its NIC goes down) and created again
# (the tap is re-wired through the helper, the NIC comes back)
ip -n "$NS" link del eth3
lab_wait_log "$log" "STEP recreate-eth3" 30
check "eth3 deleted: tcwire-qemu sets its NIC's link down" \
	bash -c "grep -q 'tcwire-qemu: eth3: [a-z ]*: tcwnic3 link down' '$log' &&
		grep -q 'tcwire-qemu: eth3: deleted; tcwnic3 waits for it to be created again' '$log'"
check "eth3 deleted: the guest's NIC loses its carrier" grep -q "CARRIER3 0" "$log"
far_link "$NS" "$NS-far" 3
lab_wait_log "$log" "STEP done" 60
check "eth3 created again: its tap re-wired, link up" \
	bash -c "grep -q 'tcwire-qemu: eth3: created again; tcw[0-9]* re-wired to it' '$log' &&
		tail -n +\$(grep -n 'eth3: created again' '$log' | cut -d: -f1) '$log' | grep -q 'tcwire-qemu: eth3: carrier: tcwnic3 link up'"
check "eth3 created again: the guest's NIC has carrier and pings" \
	bash -c "grep -q 'CARRIER3 1' '$log' && grep -q 'PING3again ok' '$log'"
check "the new eth3 carries exactly one tcwire filter" \
	test "$(count_tcwire_filters "$NS" eth3)" = 1
check "still three taps: the same tap was re-wired" \
	test "$(ip -n "$NS" -o link | grep -c ': tcw')" = 3

below=$(descendants "$wrapper" | tr '\n' ' ')
check "tcwire-qemu is qemu's parent's parent (run-guest.sh, then qemu)" \
	bash -c "[ '$(cat "/proc/$wrapper/comm")' = tcwire-qemu ] && [ -n '$below' ]"
kill -TERM "$wrapper"
wait "$wrapper"
rc=$?
# qemu's parent here is run-guest.sh, which exits 143 on SIGTERM
check "SIGTERM: tcwire-qemu exits with its child's status (143, got $rc)" test "$rc" = 143
# gone PID...: none of the PIDs runs any more
gone() {
	local p
	for p in "$@"; do ! kill -0 "$p" 2>/dev/null || return 1; done
}
for _ in $(seq 100); do
	# shellcheck disable=SC2086 # a list of pids
	gone $below && break
	sleep 0.1
done
# shellcheck disable=SC2086
check "SIGTERM: qemu and every other process below tcwire-qemu are gone" gone $below
check "SIGTERM: no tap is left" bash -c "! ip -n '$NS' -o link | grep -q ': tcw'"
[ "$_failures" = 0 ] || show_log "$log"
finish
