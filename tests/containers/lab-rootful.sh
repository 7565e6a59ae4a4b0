#!/bin/bash
# Two router containers (rootful podman) of the real image, with the least
# privilege that works here: --cap-drop=ALL, then only NET_ADMIN and
# DAC_OVERRIDE (this host's /dev/net/tun is 0600) and --device /dev/net/tun;
# no --privileged, the default seccomp profile, no network but the links.
# The links come as containerlab makes them: after the containers started,
# a veth pair per link moved into each container's netns by pid and named
# ethK there, while the entrypoint waits. Each guest bonds its two NICs
# with 802.3ad: LACP must bundle both links and ping must pass, with qemu
# running as the image's user vr and without any capability.
. "$(dirname "$0")/lib-containers.sh"

router_image
GRANTS=(--cap-drop=ALL --cap-add=NET_ADMIN,DAC_OVERRIDE --device /dev/net/tun)
lab_bond_scripts ctr 60
R1=$(ctr_name r1)
R2=$(ctr_name r2)
for id in 1 2; do
	name=$(ctr_name "r$id")
	router_run podman "$name" --network none "${GRANTS[@]}" \
		-e CLAB_INTFS=2 -e VM_MAC_SEED="lab-r$id" \
		-e VM_GUEST_SCRIPT="$(cat "$LAB_DIR/ctr-r$id.sh")" ||
		{ echo "FAIL: cannot start $name"; exit 1; }
done
P1=$(ctr_pid podman "$R1")
P2=$(ctr_pid podman "$R2")
ctr_wait_log "$R1" "waiting for 2 data interface" 30
ctr_wait_log "$R2" "waiting for 2 data interface" 30
sleep 1
check "the entrypoints wait for the links: no qemu yet" \
	test -z "$(qemu_status podman "$R1")$(qemu_status podman "$R2")"
clab_link "$P1" 1 "$P2" 1 && clab_link "$P1" 2 "$P2" 2 ||
	{ echo "FAIL: cannot create the links"; exit 1; }

for c in "$R1:$P1" "$R2:$P2"; do
	wait_qemu podman "${c%%:*}" 60
	status=$(qemu_status podman "${c%%:*}")
	check "${c%%:*}: qemu runs as vr (uid 1000) with no capability: $status" \
		bash -c 'grep -q "^Uid: 1000 1000 1000 1000" <<<"$1" &&
			grep -q "^CapEff: 0000000000000000" <<<"$1" &&
			grep -q "^CapPrm: 0000000000000000" <<<"$1" &&
			grep -q "^CapAmb: 0000000000000000" <<<"$1"' sh "$status"
	for dev in eth1 eth2; do
		check "${c%%:*}: $dev carries exactly one tcwire redirect, to the VM's tap" \
			test "$(in_ctr_net "${c#*:}" tc filter show dev "$dev" ingress |
				grep -c 'mirred (Egress Redirect to device tcw')" = 1
	done
done

mac_r1=$(lab_mac lab-r1 1)
mac_r2=$(lab_mac lab-r2 1)
ctr_wait_log "$R1" "REPORT r1" 180
ctr_wait_log "$R2" "REPORT r2" 60
check "r1's LACP partner is r2's bond ($mac_r2), both links bundled, ping ok" \
	ctr_has_line "$R1" "REPORT r1 partner=$mac_r2 .*ports=2 ping=ok"
check "r2's LACP partner is r1's bond ($mac_r1), both links bundled, ping ok" \
	ctr_has_line "$R2" "REPORT r2 partner=$mac_r1 .*ports=2 ping=ok"
check "r1's container exits 0 with its guest" test "$(wait_exit podman "$R1" 60)" = 0
check "r2's container exits 0 with its guest" test "$(wait_exit podman "$R2" 60)" = 0
if [ "$_failures" != 0 ]; then
	for c in "$R1" "$R2"; do echo "--- $c"; show_ctr_log "$c"; done
fi
finish
