#!/bin/bash
# Late links for a guest that cannot take a PCI hot-plug, as most vendor
# router images: the VM boots through tcwire-qemu (uid 65534, setuid
# helper) on a bus without hot-plug support (PIIX4 ACPI hot-plug off) with
# --slots 4 and only eth1 present. eth2..eth4 are slots: tap NICs reserved
# by the helper, links down. eth3 and then eth4 are created while the VM
# runs: each slot's tap is re-wired to it, its link comes up, and the guest
# pings over the same NIC it booted with. No device_add, no device_del.
# Then eth5, beyond the slots, cannot be hot-plugged into this guest: one
# line says so and nothing else changes.
. "$(dirname "$0")/lib-lab.sh"

container_ns NS 1
macs=()
for k in 1 2 3 4; do macs[k]=$(lab_mac slots "$k"); done

lab_script "$TMP/slots.sh" <<GUEST
for k in 1 2 3 4; do
	e=\$(nic_by_mac "\$(eval echo \\\$mac\$k)") || { echo "NIC\$k missing"; continue; }
	ip link set \$e up
	ip addr add 10.91.\$k.1/24 dev \$e
	eval "e\$k=\$e"
	eval "i\$k=\$(cat /sys/class/net/\$e/ifindex)"
done
echo "BOOT nics=\$(ls /sys/class/net | tr '\n' ' ')"
wait_for '[ "\$(carrier \$e1)" = 1 ]' 50 && echo "CARRIER1 1"
for k in 2 3 4; do
	e=\$(eval echo \\\$e\$k)
	wait_for '[ "\$(carrier \$e)" = 0 ]' 50 && echo "SLOT\$k down"
done
echo "STEP eth3"
wait_for '[ "\$(carrier \$e3)" = 1 ]' 300 && echo "CARRIER3 1"
ping -c 2 -W 3 10.91.3.2 >/dev/null && echo "PING3 ok"
echo "STEP eth4"
wait_for '[ "\$(carrier \$e4)" = 1 ]' 300 && echo "CARRIER4 1"
ping -c 2 -W 3 10.91.4.2 >/dev/null && echo "PING4 ok"
for k in 1 2 3 4; do
	[ "\$(cat /sys/class/net/\$(eval echo \\\$e\$k)/ifindex)" = "\$(eval echo \\\$i\$k)" ] &&
		echo "SAME\$k"
done
echo "CARRIER2 \$(carrier \$e2)"
echo "STEP done"
sleep 600
GUEST
guest_nic_funcs "$TMP/slots.sh"
sed -i "1i mac1=${macs[1]} mac2=${macs[2]} mac3=${macs[3]} mac4=${macs[4]}" "$TMP/slots.sh"

log=$TMP/slots.log
wrapper_start "$NS" "$log" "$TMP/slots.sh" --slots 4 --mac-seed slots -- \
	-global PIIX4_PM.acpi-pci-hotplug-with-bridge-support=off
wrapper=$WRAPPER

lab_wait_log "$log" "STEP eth3" 120
check "the guest booted with all four NICs" \
	bash -c "! grep -q 'NIC[0-9] missing' '$log' && grep -q 'CARRIER1 1' '$log'"
check "slots eth2..eth4: tap NICs with their links down at boot" \
	bash -c "for k in 2 3 4; do grep -q \"tcwire-qemu: eth\$k: not there yet: tcwnic\$k link down\" '$log' &&
		grep -q \"SLOT\$k down\" '$log' || exit 1; done"
check "four taps: eth1's and three reserved, each owned by the VM's user" \
	bash -c "[ \"\$(ip -n '$NS' -o link | grep -c ': tcw')\" = 4 ] &&
		for t in \$(ip -n '$NS' -o link | grep -o ': tcw[0-9]*' | cut -c3-); do
			[ \"\$(ip netns exec '$NS' cat /sys/class/net/\$t/owner)\" = $TEST_UID ] || exit 1; done"
check "each reserved tap names the interface it waits for (its alias)" \
	bash -c "for k in 2 3 4; do ip -n '$NS' -d link | grep -q \"alias tcwire:eth\$k\" || exit 1; done"
as_user -n "$NS" "$TMP/bin/tcwire" status >"$TMP/status" 2>&1
as_user -n "$NS" "$TMP/bin/tcwire" doctor >"$TMP/doctor" 2>&1
doctor_rc=$?
check "tcwire status: each slot's tap is 'waiting' for its interface" \
	bash -c "for k in 2 3 4; do grep -q \"waiting .*tcwire-qemu waits for eth\$k\" '$TMP/status' || exit 1; done"
check "tcwire doctor: waiting slots are no problem (exit $doctor_rc)" \
	bash -c "[ $doctor_rc = 0 ] && grep -q '^all is well: 4 wires, no problem found' '$TMP/doctor'"

far_link "$NS" "$NS-far" 3
lab_wait_log "$log" "STEP eth4" 60
check "eth3 appears: the slot's tap is wired to it, its link comes up" \
	bash -c "grep -q 'tcwire-qemu: eth3: appeared; tcw[0-9]* wired to it in slot 3' '$log' &&
		grep -q 'tcwire-qemu: eth3: carrier: tcwnic3 link up' '$log'"
check "... the guest's NIC 3 gets carrier and pings over it" \
	bash -c "grep -q 'CARRIER3 1' '$log' && grep -q 'PING3 ok' '$log'"
far_link "$NS" "$NS-far" 4
lab_wait_log "$log" "STEP done" 60
check "eth4 appears: wired to its slot the same way, and pings" \
	bash -c "grep -q 'tcwire-qemu: eth4: appeared; tcw[0-9]* wired to it in slot 4' '$log' &&
		grep -q 'PING4 ok' '$log'"
check "no hot-plug was asked of the guest: the same four NICs (ifindexes) as at boot" \
	bash -c "for k in 1 2 3 4; do grep -q \"SAME\$k\" '$log' || exit 1; done &&
		! grep -q 'hot-added\|not hot-added' '$log'"
check "eth2, still missing, keeps its NIC down" grep -q "CARRIER2 0" "$log"
for k in 3 4; do
	check "eth$k carries exactly one redirect, to a tap" \
		test "$(count_matches 'mirred (Egress Redirect to device tcw' tc -n "$NS" filter show dev "eth$k" ingress)" = 1
done
check "still four taps" test "$(ip -n "$NS" -o link | grep -c ': tcw')" = 4

# Beyond the slots this guest cannot take a NIC: one line, nothing changes
far_link "$NS" "$NS-far" 5
lab_wait_log "$log" "eth5: not hot-added" 90
check "eth5 beyond the slots: one line saying why it was not hot-added" \
	grep -q "tcwire-qemu: eth5: not hot-added: " "$log"
check "... and its tap is gone again" \
	test "$(ip -n "$NS" -o link | grep -c ': tcw')" = 4

kill -TERM "$wrapper"
wait "$wrapper"
check "SIGTERM: no tap is left" bash -c "! ip -n '$NS' -o link | grep -q ': tcw'"
[ "$_failures" = 0 ] || { show_log "$log"; sed 's/^/    status| /' "$TMP/status" "$TMP/doctor"; }
finish
