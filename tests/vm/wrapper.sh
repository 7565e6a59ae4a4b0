#!/bin/bash
# tcwire-qemu with real qemu (TCG), run by uid 65534 with the setuid
# helper: NICs in order with the derived MACs and traffic on each; a
# missing eth2 keeps eth3's NIC at its position; two queues per NIC.
. "$(dirname "$0")/lib-vm.sh"

# expected_mac SEED K: the MAC tcwire-qemu gives NIC position K
expected_mac() {
	"$TMP/bin/tcwire-qemu" --print --count "$2" --mac-seed "$1" -- q |
		grep -o "id=tcwnic$2,mac=[0-9a-f:]*" | sed 's/.*mac=//'
}

# run_vm NS SCRIPT WRAPPER_OPTS... -- QEMU_EXTRA...: boot through tcwire-qemu
run_vm() {
	local ns=$1 script=$2
	shift 2
	local wopts=()
	while [ "$1" != -- ]; do wopts+=("$1"); shift; done
	shift
	as_user -n "$ns" "$TMP/bin/tcwire-qemu" --helper "$HELPER" \
		--wait-timeout 20 "${wopts[@]}" -- \
		"$TMP/bin/run-guest.sh" --guest "$GUEST" --script "$script" \
		--timeout 240 -- "$@" >"$script.console" 2>&1
	local rc=$?
	sed 's/^/    | /' "$script.console"
	return "$rc"
}

# 1. Three data interfaces: three NICs, in order, with the expected MACs
container_ns NS 1 2 3
guest_script "$TMP/three.sh" <<GUEST
set -e
i=0
for mac in $(expected_mac lab-r1 1) $(expected_mac lab-r1 2) $(expected_mac lab-r1 3); do
	[ "\$(cat /sys/class/net/eth\$i/address)" = "\$mac" ] || { echo "eth\$i: wrong MAC"; exit 1; }
	k=\$((i + 1))
	ip link set eth\$i up
	ip addr add 10.91.\$k.1/24 dev eth\$i
	ping -c 2 -W 3 10.91.\$k.2 >/dev/null || { echo "eth\$i: no ping"; exit 1; }
	echo "guest eth\$i: mac \$mac, ping over eth\$k ok"
	i=\$k
done
[ ! -e /sys/class/net/eth3 ] || { echo "a fourth NIC"; exit 1; }
GUEST
check "3 interfaces: guest sees eth0..eth2 in order, MACs as derived, pings on each" \
	run_vm "$NS" "$TMP/three.sh" --count 3 --mac-seed lab-r1 --

# 2. eth2 missing, --slots 3: placeholder at position 2, eth3 stays third
container_ns NS2 1 3
guest_script "$TMP/gap.sh" <<GUEST
set -e
[ "\$(cat /sys/class/net/eth1/address)" = "$(expected_mac lab-r2 2)" ]
[ "\$(cat /sys/class/net/eth2/address)" = "$(expected_mac lab-r2 3)" ]
ip link set eth1 up
sleep 1
[ "\$(cat /sys/class/net/eth1/carrier)" = 0 ] || { echo "placeholder eth1 has a carrier"; exit 1; }
echo "guest eth1 (placeholder): carrier 0"
ip link set eth2 up
ip addr add 10.91.3.1/24 dev eth2
ping -c 2 -W 3 10.91.3.2 >/dev/null
echo "guest eth2 (position 3) reaches the peer of container eth3"
GUEST
check "eth2 missing with --slots 3: placeholder link down, eth3's NIC keeps position 3" \
	run_vm "$NS2" "$TMP/gap.sh" --slots 3 --mac-seed lab-r2 --

# 3. --queues 2: the guest NIC has two rx and two tx queues, traffic passes
container_ns NS3 1
guest_script "$TMP/mq.sh" <<'GUEST'
set -e
ls /sys/class/net/eth0/queues
[ -d /sys/class/net/eth0/queues/rx-1 ] && [ -d /sys/class/net/eth0/queues/tx-1 ]
[ ! -d /sys/class/net/eth0/queues/rx-2 ]
ip link set eth0 up
ip addr add 10.91.1.1/24 dev eth0
ping -c 2 -W 3 10.91.1.2 >/dev/null
echo "guest eth0: 2 queue pairs, ping ok"
GUEST
check "--queues 2: guest NIC has rx-0/rx-1/tx-0/tx-1 and pings" \
	run_vm "$NS3" "$TMP/mq.sh" --count 1 --queues 2 -- -smp 2
finish
