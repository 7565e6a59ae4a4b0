#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vrnetlab's own launch code with tcwire: common/vrnetlab.py of the vrnetlab
# snapshot (VRNETLAB_SRC, default ../shared/vrnetlab beside the source
# tree), after contrib/vrnetlab/apply.sh, runs a launch.py of the test guest
# (tests/vm/vrnetlab-launch.py) in a "container": a network namespace with
# eth0 (management) and eth1, eth2 (CLAB_INTFS=2), and a root of its own (an
# overlay of /, where vrnetlab writes /health, /tftpboot, /etc/tc-tap-ifup).
#
# apply.sh: adds the mode, changes nothing when applied again, refuses an
# unknown vrnetlab.py with one line. Mode tcwire: /health says running; qemu
# runs as the test user with no capability, below tcwire-qemu; the guest's
# NICs have the container interfaces' MACs (TCWIRE_PARTNER_MAC); frames
# cross the guest's bridge both ways, byte for byte; the guest's carrier
# follows the far end; eth1 re-created is re-wired; eth3, late, is wired to
# the slot it booted with (TCWIRE_SLOTS=3). The real huawei_vrp launch.py
# (a tap of its own) is refused with one line and no side effect. Mode tc,
# vrnetlab's own, fails on this kernel (no cls_flower): QemuBroken.
. "$(dirname "$0")/lib-vm.sh"
command -v python3 >/dev/null || skip "python3 is not installed"
command -v qemu-img >/dev/null || skip "qemu-img (qemu-utils, which vrnetlab uses) is not installed"
VRNETLAB_SRC=${VRNETLAB_SRC:-$TCWIRE_SOURCE_ROOT/../shared/vrnetlab}
[ -f "$VRNETLAB_SRC/common/vrnetlab.py" ] ||
	skip "no vrnetlab at VRNETLAB_SRC=$VRNETLAB_SRC (a srl-labs/vrnetlab checkout)"
APPLY=$TCWIRE_SOURCE_ROOT/contrib/vrnetlab/apply.sh
CROSS=$TCWIRE_SOURCE_ROOT/tests/tools/frame-cross.py

# --- apply.sh ---------------------------------------------------------------
code=$TMP/vrnetlab
mkdir -p "$code"
cp -r "$VRNETLAB_SRC/common" "$code/"
out=$("$APPLY" "$code" 2>&1)
check "apply.sh adds the mode ($out)" \
	bash -c "grep -q '^apply.sh: vrnetlab [0-9a-f]*: mode tcwire added' <<<'$out' &&
		grep -q '^tcwire_vrnetlab.install(sys.modules\[__name__\])$' '$code/common/vrnetlab.py' &&
		cmp -s '$TCWIRE_SOURCE_ROOT/contrib/vrnetlab/tcwire_vrnetlab.py' '$code/common/tcwire_vrnetlab.py'"
before=$(cd "$code/common" && sha256sum ./* && stat -c '%n %a %Y' ./*)
out=$("$APPLY" "$code" 2>&1)
check "apply.sh again: nothing changes ($out)" \
	bash -c "grep -q 'already there, nothing changed' <<<'$out' &&
		[ '$before' = \"\$(cd '$code/common' && sha256sum ./* && stat -c '%n %a %Y' ./*)\" ]"
mkdir -p "$TMP/other/common"
sed 's/MAX_RETRIES = 60/MAX_RETRIES = 61/' "$VRNETLAB_SRC/common/vrnetlab.py" >"$TMP/other/common/vrnetlab.py"
sum=$(sha256sum <"$TMP/other/common/vrnetlab.py" | cut -d' ' -f1)
expect_error "apply.sh refuses an unknown vrnetlab.py with one line" \
	"apply.sh: $TMP/other/common/vrnetlab.py: unknown upstream version (sha256 $sum); tested: 9b1495fd161d" \
	"$APPLY" "$TMP/other"
check "apply.sh refused: nothing was changed or added" \
	bash -c "[ \"\$(ls '$TMP/other/common')\" = vrnetlab.py ] &&
		! grep -q tcwire '$TMP/other/common/vrnetlab.py'"
cp "$TCWIRE_SOURCE_ROOT/tests/vm/vrnetlab-launch.py" "$code/common/launch.py"

# --- containers ---------------------------------------------------------------
# mgmt_link NS: the container's eth0 (management; its peer stays in NS)
mgmt_link() {
	veth_pair "$1" eth0 mgmt0 && ip -n "$1" link set eth0 up
}

# container_root VAR: a root of its own for vrnetlab (name in VAR): an
# overlay of / on a tmpfs, with /proc, $TMP and the guest bound in, and a
# container's /dev: null, zero, full, random, urandom, tty and net/tun (the
# test's private one), no kvm (vrnetlab would add -enable-kvm); /sys is
# mounted by vr_launch, in the namespace
container_root() {
	local base
	base=$(mktemp -d /var/tmp/tcwire-vrnetlab.XXXXXX)
	at_exit rmdir "$base"
	mount -t tmpfs tmpfs "$base" || return 1
	at_exit umount -R "$base"
	mkdir "$base/up" "$base/work" "$base/root"
	mount -t overlay overlay -o "lowerdir=/,upperdir=$base/up,workdir=$base/work" \
		"$base/root" || return 1
	mount -t proc proc "$base/root/proc"
	mount -t tmpfs -o mode=0755 tmpfs "$base/root/dev"
	mkdir "$base/root/dev/net" "$base/root/dev/pts"
	for d in null zero full random urandom tty net/tun; do
		touch "$base/root/dev/$d"
		mount --bind "/dev/$d" "$base/root/dev/$d" || return 1
	done
	mkdir -p "$base/root$TMP" "$base/root$GUEST" "$base/root/vm"
	mount --bind "$TMP" "$base/root$TMP"
	mount --bind "$GUEST" "$base/root$GUEST"
	qemu-img create -q -f qcow2 "$base/root/vm/disk.qcow2" 16M || return 1
	printf -v "$1" %s "$base/root"
}

# in_container NS ROOT [VAR=VALUE...] CMD...: CMD as root in NS and ROOT,
# with a fresh environment (CLAB_INTFS=2 and the VARs) and /sys of NS
in_container() {
	local ns=$1 root=$2
	shift 2
	ip netns exec "$ns" sh -c 'mount -t sysfs sysfs "$1/sys" && exec chroot "$@"' \
		sh "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root CLAB_INTFS=2 "$@"
}

# vr_launch NS ROOT MODE LOG [VAR=VALUE...]: the test guest's launch.py in
# NS and ROOT, mode MODE, in the background (pid in VR_PID)
vr_launch() {
	local ns=$1 root=$2 mode=$3 log=$4
	shift 4
	guest_script "$TMP/guest.sh" <"$TCWIRE_SOURCE_ROOT/tests/vm/vrnetlab-guest.sh"
	spawn in_container "$ns" "$root" "$@" python3 "$code/common/launch.py" \
		--connection-mode "$mode" --disk /vm/disk.qcow2 --guest "$GUEST" \
		--script "$TMP/guest.sh" >"$log" 2>&1
	VR_PID=$!
}


# carrier_is LOG STATE: the guest's last carrier report is STATE
carrier_is() { [ "$(grep -a '^CARRIER ' "$1" | tail -n1 | tr -d '\r')" = "CARRIER $2" ]; }
# health ROOT: vrnetlab's /health in ROOT
health() { cat "$1/health" 2>/dev/null; }
# cross A B: frames from far end A to far end B through the guest, and back
cross() {
	in_ns "$NS-far" python3 "$CROSS" "$1" "$2" >>"$TMP/cross.log" 2>&1 &&
		in_ns "$NS-far" python3 "$CROSS" "$2" "$1" >>"$TMP/cross.log" 2>&1
}
# no_flower NS: tc in NS has no flower classifier
no_flower() {
	in_ns "$1" tc qdisc add dev eth0 clsact &&
		! in_ns "$1" tc filter add dev eth0 ingress flower action drop 2>/dev/null
}

# mode tc first, in a container of its own: it takes vrnetlab's 60 s of
# monitor retries to give up, while mode tcwire boots
ns_new TC
mgmt_link "$TC"
for k in 1 2; do veth_pair "$TC" "eth$k" "peer$k"; done
container_root TC_ROOT || { echo "FAIL: cannot make a container root"; exit 1; }
vr_launch "$TC" "$TC_ROOT" tc "$TMP/tc.log"
TC_PID=$VR_PID

container_ns NS 1 2
mgmt_link "$NS"
container_root ROOT || { echo "FAIL: cannot make a container root"; exit 1; }
log=$TMP/tcwire.log
# shellcheck disable=SC2153 # ROOT is set by container_root
vr_launch "$NS" "$ROOT" tcwire "$log" TCWIRE_USER="$TEST_UID" \
	TCWIRE_QEMU="$TMP/bin/tcwire-qemu" TCWIRE_HELPER="$HELPER" TCWIRE_SLOTS=3 \
	TCWIRE_PARTNER_MAC=1 TCWIRE_MAC_SEED=vrtest

TCWIRE_WAIT_SECONDS=300 wait_until bash -c "[ \"\$(cat '$ROOT/health' 2>/dev/null)\" = '0 running' ]"
check "mode tcwire: vrnetlab's /health says the VM is running ($(health "$ROOT"))" \
	test "$(health "$ROOT")" = "0 running"
qemu=$(qemu_below "$VR_PID")
check "qemu runs below tcwire-qemu, its parent" \
	test "$(cat "/proc/$(awk '/^PPid:/ { print $2 }' "/proc/$qemu/status")/comm")" = tcwire-qemu
status=$(helper_status "$qemu")
check "qemu runs as uid $TEST_UID with no capability: $(echo "$status" | tr '\n' ' ')" \
	bash -c "grep -qx 'Uid: $TEST_UID $TEST_UID $TEST_UID $TEST_UID' <<<'$status' &&
		grep -qx 'Gid: $TEST_GID $TEST_GID $TEST_GID $TEST_GID' <<<'$status' &&
		[ \$(grep -cE '^Cap(Inh|Prm|Eff|Amb): 0+$' <<<'$status') = 4 ]"
nics=$(grep -a '^NICS ' "$log" | tr -d '\r')
slot_mac=$("$TMP/bin/tcwire-qemu" --print --count 3 --mac-seed vrtest -- q 2>/dev/null |
	grep -o 'id=tcwnic3,mac=[0-9a-f:]*' | sed 's/.*mac=//')
eth_mac() { cat "/sys/class/net/$1/address"; }
check "the guest's NICs 1, 2 have the MACs of eth1, eth2 (--partner-mac), the slot 3 a derived one ($nics)" \
	bash -c "grep -q ' eth1=$(in_ns "$NS" cat /sys/class/net/eth1/address) eth2=$(in_ns "$NS" cat /sys/class/net/eth2/address) eth3=$slot_mac ' <<<' ${nics#NICS }'"
check "the NIC of the missing eth3 (a slot) is down, eth1 and eth2 up" \
	wait_until carrier_is "$log" "eth1=1 eth2=1 eth3=0 "
check "frames cross the guest's bridge, eth1 -> eth2 and back, byte for byte" cross peer1 peer2

ip -n "$NS-far" link set peer1 down
check "far end of eth1 down: the guest's NIC 1 loses its carrier" \
	wait_until carrier_is "$log" "eth1=0 eth2=1 eth3=0 "
ip -n "$NS-far" link set peer1 up
check "far end of eth1 up: the guest's NIC 1 has its carrier back" \
	wait_until carrier_is "$log" "eth1=1 eth2=1 eth3=0 "

ip -n "$NS" link del eth1
check "eth1 deleted: NIC 1 down" wait_until carrier_is "$log" "eth1=0 eth2=1 eth3=0 "
far_link "$NS" "$NS-far" 1
check "eth1 created again: re-wired, NIC 1 up" \
	wait_until carrier_is "$log" "eth1=1 eth2=1 eth3=0 "
check "frames cross the re-wired eth1 both ways" cross peer1 peer2

far_link "$NS" "$NS-far" 3
check "eth3 appears late: wired to its slot, NIC 3 up" \
	wait_until carrier_is "$log" "eth1=1 eth2=1 eth3=1 "
check "frames cross the late eth3 both ways" cross peer3 peer1
check "still running: /health $(health "$ROOT"), the same qemu" \
	bash -c "[ '$(health "$ROOT")' = '0 running' ] && kill -0 $qemu"
for k in 1 2 3; do
	check "eth$k carries exactly one tcwire filter" \
		test "$(count_tcwire_filters "$NS" "eth$k")" = 1
done

# A real NOS's launch.py that makes a tap of its own (huawei_vrp: the
# "vrp-dummy" tap) is refused with one line, before qemu runs or the disk
# changes owner
ns_new HW
mgmt_link "$HW"
container_root HW_ROOT || { echo "FAIL: cannot make a container root"; exit 1; }
qemu-img create -q -f qcow2 "$HW_ROOT/huawei_ne40e-V800R011.qcow2" 16M
cp "$VRNETLAB_SRC/huawei/huawei_vrp/docker/launch.py" "$code/common/huawei-launch.py"
want="vrnetlab tcwire mode: VRP_vm: its launch.py gives qemu a netdev of its own (tap vrp-dummy), which an unprivileged qemu cannot create; use mode tc"
in_container "$HW" "$HW_ROOT" CLAB_INTFS=0 TCWIRE_USER="$TEST_UID" \
	TCWIRE_QEMU="$TMP/bin/tcwire-qemu" TCWIRE_HELPER="$HELPER" \
	python3 "$code/common/huawei-launch.py" --connection-mode tcwire >"$TMP/hw.log" 2>&1
rc=$?
check "huawei_vrp in mode tcwire: refused, exit 1 ($rc), its last line says why" \
	bash -c "[ $rc = 1 ] && [ \"\$(tail -n1 '$TMP/hw.log')\" = '$want' ]"
check "huawei_vrp refused: no qemu ran, no tap, the overlay disk still root's" \
	bash -c "! grep -q 'qemu cmd:' '$TMP/hw.log' && ! ip -n '$HW' -o link | grep -q ': tcw' &&
		[ \"\$(stat -c %u '$HW_ROOT/huawei_ne40e-V800R011-overlay.qcow2')\" = 0 ]"

# Mode tc: cls_flower is missing here, so vrnetlab's tap script fails
check "this kernel has no cls_flower" no_flower "$TC"
TCWIRE_WAIT_SECONDS=200 wait_until bash -c "! kill -0 $TC_PID 2>/dev/null"
wait "$TC_PID"
rc=$?
check "mode tc: vrnetlab gives up on the VM: QemuBroken, exit status $rc" \
	bash -c "[ $rc != 0 ] && [ $rc != 127 ] && grep -q '^vrnetlab.QemuBroken: ' '$TMP/tc.log'"
check "mode tc: /health never said running ($(health "$TC_ROOT"))" \
	test "$(health "$TC_ROOT")" != "0 running"
grep -q "TC classifier not found\|tc-tap-ifup" "$TMP/tc.log" &&
	echo "note: mode tc: $(grep -a -m1 -o "TC classifier not found.*\|network script /etc/tc-tap-ifup.*" "$TMP/tc.log")"

if [ "$_failures" != 0 ]; then
	sed 's/^/    tcwire | /' "$log" | tail -n 80
	sed 's/^/    tc | /' "$TMP/tc.log" | tail -n 30
	sed 's/^/    cross | /' "$TMP/cross.log"
fi
finish
