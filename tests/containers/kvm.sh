#!/bin/bash
# KVM for the unprivileged qemu (launch.sh): the container starts as root,
# and the entrypoint switches to vr with /dev/kvm's group, whatever its gid,
# as the only supplementary group. This machine has no KVM, so the access
# path is tested with stand-ins: /dev/kvm is a node mknod'd here (of
# /dev/null's device numbers, so that an open can succeed) with mode 0660
# and a foreign gid, passed with --device; qemu is a script (QEMU=) that
# tcwire-qemu runs in qemu's place, which reports its ids and capabilities,
# whether it can open /dev/kvm read-write, and the -accel it was given.
# Cases: the open succeeds for qemu's user started as root, and as vr with
# --group-add; one line saying why and how to fix it, and TCG, for vr
# without the group, a root-group node, a 0600 node, the real device
# numbers of a device the host lacks, and no /dev/kvm at all. And a router
# disk on a read-only root file system: one line naming --tmpfs /var/tmp,
# exit 2; with it, qemu runs.
. "$(dirname "$0")/lib-containers.sh"

router_image
FAKE_QEMU=$TMPDIR_TEST/qemu
cat >"$FAKE_QEMU" <<'EOS'
#!/bin/sh
# stands in for qemu-system-x86_64
accel=$(echo " $* " | sed -n 's/.* -accel \([^ ]*\) .*/\1/p')
echo "QEMU accel=$accel"
if (exec 3<>/dev/kvm) 2>/dev/null; then echo "QEMU kvm-open=ok"; else echo "QEMU kvm-open=failed"; fi
grep -E '^(Uid|Groups|CapEff|CapPrm|CapAmb):' /proc/self/status | tr -s '\t ' ' ' | sed 's/^/QEMU /'
EOS
chmod 0755 "$FAKE_QEMU"
DISK=$TMPDIR_TEST/router.qcow2
: >"$DISK"
chmod 0644 "$DISK"
KVM_GID=4242
# node NAME MODE GID [MAJOR MINOR]: a stand-in /dev/kvm
node() {
	mknod -m "$2" "$TMPDIR_TEST/$1" c "${4:-1}" "${5:-3}" &&
		chgrp "$3" "$TMPDIR_TEST/$1"
}
node kvm-group 0660 "$KVM_GID"
node kvm-rootgroup 0660 0
node kvm-0600 0600 "$KVM_GID"
node kvm-nodev 0660 "$KVM_GID" 10 240

# kvm_case RUN_ARGS...: boot the router disk with the stand-in qemu, no
# data interface; output in $out, exit status in $rc
kvm_case() {
	out=$(timeout 120 "$ENGINE" run --rm --network none \
		--cap-add=NET_ADMIN --device /dev/net/tun -e VM_SLOTS=0 \
		-v "$DISK:/vm/router.qcow2:ro" -v "$FAKE_QEMU:/opt/qemu:ro" -e QEMU=/opt/qemu \
		"$@" "$IMAGE" 2>&1 | tr -d '\r')
	rc=${PIPESTATUS[0]}
}

# qemu_saw ACCEL OPEN GROUPS: the container exited 0 and the stand-in
# qemu got -accel ACCEL, found /dev/kvm's open OPEN (ok or failed), ran as
# vr with the supplementary groups GROUPS only and no capability
qemu_saw() {
	[ "$rc" = 0 ] &&
		grep -qx "QEMU accel=$1" <<<"$out" &&
		grep -qx "QEMU kvm-open=$2" <<<"$out" &&
		grep -qx "QEMU Uid: 1000 1000 1000 1000" <<<"$out" &&
		grep -qx "QEMU Groups: $3 *" <<<"$out" &&
		grep -qx "QEMU CapEff: 0000000000000000" <<<"$out" &&
		grep -qx "QEMU CapAmb: 0000000000000000" <<<"$out"
}

# opens WHAT GROUPS RUN_ARGS...: qemu runs as vr with the supplementary
# groups GROUPS only (the runtime adds vr's own gid 1000 with --user), no
# capability, opens /dev/kvm, gets -accel kvm, and launch.sh says nothing
# about /dev/kvm
opens() {
	local what=$1 groups=$2
	shift 2
	kvm_case "$@"
	if qemu_saw kvm ok "$groups" && ! grep -q "^launch.sh: .*/dev/kvm" <<<"$out"; then
		ok "kvm: $what: qemu (uid 1000, groups: $groups, no capability) opens /dev/kvm, -accel kvm"
	else
		fail "kvm: $what: exit $rc: $out"
	fi
}

# tcg WHAT LINE GROUPS RUN_ARGS...: launch.sh prints LINE, its only line
# about KVM; qemu (vr, the supplementary groups GROUPS) gets -accel tcg
# and cannot open /dev/kvm
tcg() {
	local what=$1 want=$2 groups=$3
	shift 3
	kvm_case "$@"
	if qemu_saw tcg failed "$groups" && grep -qxF -- "$want" <<<"$out" &&
		[ "$(grep -c '^launch.sh: .*kvm' <<<"$out")" = 1 ]; then
		ok "kvm: $what: one line, -accel tcg"
	else
		fail "kvm: $what: wanted '$want', exit 0, qemu with groups '$groups' and -accel tcg; got exit $rc: $out"
	fi
}

opens "0660 node of gid $KVM_GID, the image's default (root, switching to vr)" "$KVM_GID" \
	--device "$TMPDIR_TEST/kvm-group:/dev/kvm"
opens "the same node, --user 1000 --group-add $KVM_GID" "1000 $KVM_GID" \
	--user 1000 --group-add "$KVM_GID" --device "$TMPDIR_TEST/kvm-group:/dev/kvm"
tcg "the same node, --user 1000 without the group" \
	"launch.sh: /dev/kvm: cannot open as vr (uid 1000, groups 1000): Permission denied (mode 0660, group $KVM_GID), so qemu runs under TCG (slow): start the container as root, the image's default (launch.sh adds the node's group and switches to vr), or add the group: --group-add $KVM_GID" \
	1000 --user 1000 --device "$TMPDIR_TEST/kvm-group:/dev/kvm"
tcg "a 0660 node of group root (not added)" \
	"launch.sh: /dev/kvm: cannot open as vr (uid 1000, groups 1000): Permission denied (mode 0660, group 0), so qemu runs under TCG (slow): its group is root's, which launch.sh does not add: give the host's node a group of its own (udev: root:kvm 0660) or mode 0666" \
	"" --device "$TMPDIR_TEST/kvm-rootgroup:/dev/kvm"
tcg "a 0600 node of gid $KVM_GID" \
	"launch.sh: /dev/kvm: cannot open as vr (uid 1000, groups 1000 $KVM_GID): Permission denied (mode 0600, group $KVM_GID), so qemu runs under TCG (slow): its mode gives the group no read-write: make the host's node 0660 (or 0666)" \
	"$KVM_GID" --device "$TMPDIR_TEST/kvm-0600:/dev/kvm"
tcg "a node of a device the host lacks (misc 10:240; KVM's 10:232 without the kvm module)" \
	"launch.sh: /dev/kvm: cannot open as vr (uid 1000, groups 1000 $KVM_GID): No such device (mode 0660, group $KVM_GID), so qemu runs under TCG (slow): the host has no KVM: load kvm_intel or kvm_amd, or enable virtualisation for this machine" \
	"$KVM_GID" --device "$TMPDIR_TEST/kvm-nodev:/dev/kvm"
tcg "no /dev/kvm" \
	"launch.sh: no /dev/kvm in the container, so qemu runs under TCG (slow): pass the device (--device /dev/kvm; containerlab: devices: [/dev/kvm])" \
	""

# A router disk on a read-only root file system
kvm_case --read-only
want="launch.sh: /var/tmp is not writable (a read-only root file system?): qemu writes /vm/router.qcow2's snapshot overlay there: add --tmpfs /var/tmp, or set TMPDIR to a writable directory with room for the guest's writes"
if [ "$ENGINE" = docker ]; then
	check "--read-only with a router disk: exit 2 and one line naming --tmpfs /var/tmp: $out" \
		bash -c '[ "$1" = 2 ] && [ "$2" = "$3" ]' sh "$rc" "$out" "$want"
else
	check "podman --read-only mounts a tmpfs on /var/tmp: qemu runs: $out" \
		bash -c '[ "$1" = 0 ] && grep -qx "QEMU accel=tcg" <<<"$2"' sh "$rc" "$out"
fi
kvm_case --read-only --tmpfs /var/tmp
check "--read-only --tmpfs /var/tmp with a router disk: qemu runs" \
	bash -c '[ "$1" = 0 ] && grep -qx "QEMU accel=tcg" <<<"$2"' sh "$rc" "$out"
finish
