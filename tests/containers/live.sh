#!/bin/bash
# A running router container (podman or, with --engine=docker, Docker) with
# the least privilege (--cap-drop=ALL, NET_ADMIN, SETUID, SETGID,
# --device /dev/net/tun), its test guest bridging its two links:
#  - "tcwire status" and "tcwire doctor" inside the container (exec, as
#    the image ships them) show both wires ok and no problem; run as vr
#    (exec -u vr), status names qemu's pid too (root, without
#    CAP_SYS_PTRACE, may not read the fds of vr's qemu);
#  - eth1 recreated under the running lab, as when a peer container is
#    redeployed: the veth pair is deleted (both ends vanish) and made again
#    as containerlab makes it; tcwire-qemu re-wires the same VM's tap to the
#    new eth1 (exactly one tcwire redirect), the same qemu still runs, and
#    frames pass through the VM again (ping from eth1's far end to eth2's).
. "$(dirname "$0")/lib-containers.sh"

router_image
R=$(ctr_name r1)
router_run "$ENGINE" "$R" --network none -e CLAB_INTFS=2 \
	--cap-drop=ALL --cap-add=NET_ADMIN --cap-add=SETUID --cap-add=SETGID \
	--device /dev/net/tun ||
	{ echo "FAIL: cannot start $R"; exit 1; }
PID=$(ctr_pid "$ENGINE" "$R")
ns_new A
ns_new B

# link K FAR ADDR: eth$K of the container to FAR (address ADDR/24), as
# containerlab makes a link; the far end's name in $far_end
link() {
	local t=tl$RANDOM$RANDOM
	if ! ip link add "$t-a" type veth peer name "$t-b" ||
		! link_into "$t-a" "$PID" "$1" || ! ip link set "$t-b" netns "$2" ||
		! ip -n "$2" addr add "$3/24" dev "$t-b" || ! ip -n "$2" link set "$t-b" up; then
		echo "FAIL: cannot make the link eth$1"
		exit 1
	fi
	far_end=$t-b
}
link 1 "$A" 10.91.0.1
far1=$far_end
link 2 "$B" 10.91.0.2

# one_redirect K: eth$K carries exactly one tcwire redirect, to a tap
one_redirect() {
	test "$(in_ctr_net "$PID" tc filter show dev "eth$1" ingress |
		grep -c 'mirred (Egress Redirect to device tcw')" = 1
}
# pings: A reaches B through the VM's bridge
pings() { in_ns "$A" ping -c 3 -W 2 10.91.0.2 >/dev/null; }
# qemu_pids: the container's qemu processes (pids in its pid namespace)
qemu_pids() {
	"$ENGINE" exec "$R" sh -c 'for p in /proc/[0-9]*; do
		[ "$(cat $p/comm 2>/dev/null)" = qemu-system-x86 ] && echo "${p#/proc/}"; done'
}
# eth1_gone: the container has no eth1
eth1_gone() { ! in_ctr_net "$PID" ip link show eth1 >/dev/null 2>&1; }
# show LINES: LINES indented, for the test log
show() { local l; while IFS= read -r l; do echo "    | $l"; done <<<"$1"; }

check "the test guest boots and bridges both NICs" \
	ctr_wait_log "$R" "tcwire test guest: bridging eth0 eth1" 180
qemu_unprivileged "$R"
check "eth1 carries one redirect" one_redirect 1
check "eth2 carries one redirect" one_redirect 2
in_ns "$A" ping -c 1 -w 60 10.91.0.2 >/dev/null
check "ping from eth1's far end to eth2's far end, through the VM" pings

status=$("$ENGINE" exec "$R" tcwire status 2>&1)
check "tcwire status in the container (exec as root, the image's user): eth1 and eth2 wired, ok" \
	bash -c 'grep -Eq "^eth1 +tcw[0-9]+ +ok " <<<"$1" && grep -Eq "^eth2 +tcw[0-9]+ +ok " <<<"$1"' sh "$status" ||
	show "$status"
# qemu's fds are readable to its own user (root would need CAP_SYS_PTRACE)
status=$("$ENGINE" exec -u vr "$R" tcwire status 2>&1)
check "tcwire status as vr (exec -u vr): both wires ok, with qemu's pid" \
	bash -c 'grep -Eq "^eth1 +tcw[0-9]+ +ok .*pid [0-9]+ \(qemu-system-x86\)" <<<"$1" &&
		grep -Eq "^eth2 +tcw[0-9]+ +ok .*pid [0-9]+ \(qemu-system-x86\)" <<<"$1"' sh "$status" ||
	show "$status"
doctor=$("$ENGINE" exec "$R" tcwire doctor 2>&1)
check "tcwire doctor in the container: no problem, exit 0: $doctor" \
	"$ENGINE" exec "$R" tcwire doctor

# Recreate eth1: the pair goes (both ends), then comes back
qemu_before=$(qemu_pids)
ip -n "$A" link del "$far1"
check "eth1 is gone from the container with its peer" wait_until eth1_gone
link 1 "$A" 10.91.0.1
check "the new eth1 is re-wired: exactly one tcwire redirect" wait_until one_redirect 1
check "the same qemu runs ($qemu_before)" test "$(qemu_pids)" = "$qemu_before"
wait_until pings >/dev/null
check "ping through the VM again, over the new eth1" pings
status=$("$ENGINE" exec "$R" tcwire status 2>&1)
check "tcwire status in the container: the new eth1 ok" \
	grep -Eq "^eth1 +tcw[0-9]+ +ok " <<<"$status"
if [ "$_failures" != 0 ]; then
	show "$status"
	show_ctr_log "$R"
fi
finish
