#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Entrypoint of the tcwire router image (contrib/vrnetlab/Dockerfile). Started
# as root (the image's default), it switches to the unprivileged user "vr"
# at once (see "The user" below); as vr it builds the qemu command line
# from the settings below and hands it to tcwire-qemu, which waits for the
# data interfaces eth1..ethN (N = $CLAB_INTFS, set by containerlab), gets a
# wired tap for each from the setuid tcwire-helper, starts qemu and stays
# its parent. eth0 (management) is never wired: the VM reaches it through
# qemu's user network instead.
#
# Two kinds of VM: the router's disk, VM_DISK, when that file exists; else
# the image's test guest (/vm/guest: a Debian kernel and a busybox
# initramfs, booted by run-guest.sh under TCG, no management NIC, console on
# stdout): it runs VM_GUEST_SCRIPT, or by default bridges all its data NICs
# (guest eth0, eth1, ... = container eth1, eth2, ...) and stays up.
#
# Arguments are appended to the qemu command line (containerlab: "cmd:").
# Settings (environment, containerlab: "env:"):
#   VM_MEMORY        guest memory in MiB            (4096; test guest 256)
#   VM_CPUS          vCPUs                                  (2)
#   VM_DISK          disk image; run with snapshot=on, so
#                    guest writes are lost with the VM       (/vm/router.qcow2)
#   VM_GUEST         the test guest's directory              (/vm/guest)
#   VM_GUEST_SCRIPT  shell script the test guest runs; the
#                    container ends with its exit status     (bridge the NICs)
#   VM_SLOTS         NIC positions to keep; gaps become
#                    link-down placeholders          (8; test guest 0)
#   VM_NIC_MODEL     qemu NIC model, data and management     (virtio-net-pci)
#   VM_QUEUES        queues per data NIC                     (1)
#   VM_VHOST         1: vhost-net (needs /dev/vhost-net)     (0)
#   VM_MAC_SEED      seed of the data NICs' MACs             (tcwire-qemu's: lab/node, or hostname)
#   VM_WAIT_TIMEOUT  seconds to wait for eth1..ethN          (300)
#   VM_MGMT_PORTS    TCP ports of eth0 forwarded to the same
#                    port of the guest's management NIC      (22 830)
#   VM_CONSOLE       qemu -serial backend        (telnet::5000,server=on,wait=off)
#   QEMU_ACCEL       kvm, tcg, or auto: kvm when this user
#                    can open /dev/kvm, else tcg, saying why
#                    in one line                             (auto)
#                    (-cpu host with kvm, -cpu max otherwise)
#   QEMU             qemu binary                             (qemu-system-x86_64)
#   RUN_GUEST        the test guest's launcher               (run-guest.sh)
#   TCWIRE_QEMU      tcwire-qemu binary                      (tcwire-qemu)
#   TCWIRE_HELPER    tcwire-helper, if not the installed one (unset)
#   TCWIRE_PRINT     1: print the command line and exit      (0)
#   VM_USER          the user qemu runs as when the container
#                    starts as root; root: stay root (rootless
#                    runtimes, where it is an unprivileged user) (vr)
#   TMPDIR           scratch directory: the test guest's script and
#                    console; qemu's snapshot=on overlay of VM_DISK
#                    (test guest: the first writable of TMPDIR, /tmp,
#                    /dev/shm; router disk: /var/tmp)
#
# A read-only root file system (--read-only): podman mounts tmpfs on /tmp
# and /var/tmp, Docker does not. The test guest then works in /dev/shm
# (both mount it); a router disk needs a writable /var/tmp with room for
# what the guest writes (its snapshot overlay): --tmpfs /var/tmp, else
# launch.sh says so in one line and exits 2.
#
# The user: started as root, launch.sh runs itself again as VM_USER
# (setpriv) with that user's own group and, when /dev/kvm exists, the
# node's group as the only supplementary one (its gid on the host, which
# the image cannot know; never gid 0), and no capabilities. That takes
# CAP_SETUID and CAP_SETGID, which the runtimes' default set has; with
# --cap-drop=ALL add them back, or start as vr (--user 1000) and give it
# /dev/kvm's group yourself (--group-add GID). The bounding set is kept:
# the setuid tcwire-helper gains CAP_NET_ADMIN from it. Started as another
# user (Kubernetes runAsUser), launch.sh runs as that user.
set -eu

# die MESSAGE: one line, exit status 2 (the container's settings)
die() { echo "launch.sh: $*" >&2; exit 2; }

# writable_dir DIR...: the first DIR that is a directory this user may
# write into (a read-only mount is not)
writable_dir() {
	for d in "$@"; do
		if [ -n "$d" ] && [ -d "$d" ] && [ -w "$d" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

# drop_to_user ARGS...: run this script again as VM_USER, as described
# above; does not return
drop_to_user() {
	eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
	# CAP_SETGID is bit 6, CAP_SETUID bit 7
	[ $((0x$eff & 0xc0)) = $((0xc0)) ] ||
		die "started as root without CAP_SETUID and CAP_SETGID, so it cannot switch to the user $VM_USER that runs qemu: add --cap-add=SETUID --cap-add=SETGID (the runtimes' default set has them), or start as that user (--user $(id -u "$VM_USER" 2>/dev/null || echo UID)), or set VM_USER=root (rootless runtimes)"
	uid=$(id -u "$VM_USER" 2>/dev/null) ||
		die "VM_USER=$VM_USER: no such user in the image"
	gid=$(id -g "$VM_USER")
	groups=--clear-groups
	if [ -c /dev/kvm ]; then
		kvm_gid=$(stat -c %g /dev/kvm)
		if [ "$kvm_gid" != 0 ] && [ "$kvm_gid" != "$gid" ]; then
			groups=--groups=$kvm_gid
		fi
	fi
	HOME=$(getent passwd "$VM_USER" | cut -d: -f6) USER=$VM_USER LOGNAME=$VM_USER \
		exec setpriv --reuid="$uid" --regid="$gid" "$groups" \
		--inh-caps=-all --ambient-caps=-all -- "$0" "$@"
}

# kvm_usable: this user can open /dev/kvm read-write (as qemu does); if
# not, one line saying why and what to change
kvm_usable() {
	if [ ! -e /dev/kvm ]; then
		echo "launch.sh: no /dev/kvm in the container, so qemu runs under TCG (slow): pass the device (--device /dev/kvm; containerlab: devices: [/dev/kvm])" >&2
		return 1
	fi
	err=$(exec 2>&1 3<>/dev/kvm) && return 0
	err=${err##*: }
	kvm_gid=$(stat -c %g /dev/kvm)
	case "$err" in
	"Permission denied")
		if id -G | tr ' ' '\n' | grep -qx "$kvm_gid"; then
			fix="its mode gives the group no read-write: make the host's node 0660 (or 0666)"
		elif [ "$kvm_gid" = 0 ]; then
			fix="its group is root's, which launch.sh does not add: give the host's node a group of its own (udev: root:kvm 0660) or mode 0666"
		else
			fix="start the container as root, the image's default (launch.sh adds the node's group and switches to vr), or add the group: --group-add $kvm_gid"
		fi ;;
	"Operation not permitted")
		fix="the container's device cgroup refuses it: pass it with --device /dev/kvm" ;;
	"No such device" | "No such device or address")
		fix="the host has no KVM: load kvm_intel or kvm_amd, or enable virtualisation for this machine" ;;
	*) fix="see the host's /dev/kvm" ;;
	esac
	echo "launch.sh: /dev/kvm: cannot open as $(id -un) (uid $(id -u), groups $(id -G)): $err (mode 0$(stat -c %a /dev/kvm), group $kvm_gid), so qemu runs under TCG (slow): $fix" >&2
	return 1
}

: "${VM_USER:=vr}"
if [ "$(id -u)" = 0 ] && [ "$VM_USER" != root ]; then
	drop_to_user "$@"
fi

: "${VM_DISK:=/vm/router.qcow2}"
: "${VM_GUEST:=/vm/guest}"
: "${VM_GUEST_SCRIPT:=}"
test_guest=0
if [ ! -e "$VM_DISK" ] && [ -d "$VM_GUEST" ]; then
	test_guest=1
	: "${VM_MEMORY:=256}"
	: "${VM_SLOTS:=0}"
fi
: "${VM_MEMORY:=4096}"
: "${VM_CPUS:=2}"
: "${VM_SLOTS:=8}"
: "${VM_NIC_MODEL:=virtio-net-pci}"
: "${VM_QUEUES:=1}"
: "${VM_VHOST:=0}"
: "${VM_MAC_SEED:=}"
: "${VM_WAIT_TIMEOUT:=300}"
: "${VM_MGMT_PORTS=22 830}"
: "${VM_CONSOLE:=telnet::5000,server=on,wait=off}"
: "${QEMU_ACCEL:=auto}"
: "${QEMU:=qemu-system-x86_64}"
: "${RUN_GUEST:=run-guest.sh}"
: "${TCWIRE_QEMU:=tcwire-qemu}"
: "${TCWIRE_HELPER:=}"
: "${TCWIRE_PRINT:=0}"

# A router disk's snapshot overlay goes to TMPDIR or /var/tmp (qemu)
if [ "$test_guest" = 0 ]; then
	writable_dir "${TMPDIR:-/var/tmp}" >/dev/null ||
		die "${TMPDIR:-/var/tmp} is not writable (a read-only root file system?): qemu writes $VM_DISK's snapshot overlay there: add --tmpfs /var/tmp, or set TMPDIR to a writable directory with room for the guest's writes"
fi

# The test guest always runs under TCG (run-guest.sh)
accel=$QEMU_ACCEL
if [ "$accel" = auto ] && [ "$test_guest" = 0 ]; then
	if kvm_usable; then
		accel=kvm
	else
		accel=tcg
	fi
fi
cpu=max
if [ "$accel" = kvm ]; then
	cpu=host
fi

# Docker sets net.ipv4.ip_unprivileged_port_start=0 in a container's network
# namespace, so user vr may listen on port 22 of eth0.
fwd=
for port in $VM_MGMT_PORTS; do
	fwd="$fwd,hostfwd=tcp::$port-:$port"
done

# The test guest's default script: one bridge over all data NICs, so frames
# entering on one container interface leave on the others
bridge_all='brctl addbr br0
for d in /sys/class/net/eth*; do
	[ -e "$d" ] || continue
	ip link set "${d##*/}" up && brctl addif br0 "${d##*/}"
done
ip link set br0 up
echo "tcwire test guest: bridging" $(ls /sys/class/net/br0/brif)
while :; do sleep 3600; done'

# qemu arguments, the caller's extra ones last
if [ "$test_guest" = 1 ]; then
	TMPDIR=$(writable_dir "${TMPDIR:-}" /tmp /dev/shm) ||
		die "no writable directory for the test guest's script (TMPDIR, /tmp, /dev/shm): add --tmpfs /tmp"
	export TMPDIR
	script=$(mktemp "$TMPDIR/guest-script.XXXXXX")
	printf '%s\n' "${VM_GUEST_SCRIPT:-$bridge_all}" >"$script"
	export TCWIRE_GUEST_MEM="$VM_MEMORY"
	set -- "$RUN_GUEST" --guest "$VM_GUEST" --script "$script" --timeout 0 -- \
		-smp "$VM_CPUS" "$@"
else
	set -- "$QEMU" -accel "$accel" -cpu "$cpu" -m "$VM_MEMORY" -smp "$VM_CPUS" \
		-display none -serial "$VM_CONSOLE" \
		-drive "if=virtio,file=$VM_DISK,snapshot=on" \
		-netdev "user,id=mgmt$fwd" -device "$VM_NIC_MODEL,netdev=mgmt" \
		"$@"
fi

# tcwire-qemu options in front; its data NICs follow the management NIC
set -- --slots "$VM_SLOTS" --nic-model "$VM_NIC_MODEL" --queues "$VM_QUEUES" \
	--wait-timeout "$VM_WAIT_TIMEOUT" -- "$@"
if [ "$VM_VHOST" = 1 ]; then
	set -- --vhost "$@"
fi
if [ -n "$VM_MAC_SEED" ]; then
	set -- --mac-seed "$VM_MAC_SEED" "$@"
fi
if [ -n "$TCWIRE_HELPER" ]; then
	set -- --helper "$TCWIRE_HELPER" "$@"
fi
if [ "$TCWIRE_PRINT" = 1 ]; then
	set -- --print "$@"
else
	[ "$test_guest" = 1 ] && accel="tcg, test guest"
	echo "launch.sh: $(uname -n): accel $accel, waiting for ${CLAB_INTFS:-the present} data interface(s)" >&2
fi
# Podman hands the capabilities of --cap-add to a non-root user as ambient
# ones, so vr, and qemu after it, would hold CAP_NET_ADMIN. Only the helper
# needs it, and gains it itself (setuid): clear the ambient and inheritable
# sets, so that tcwire-qemu and qemu start with no capability at all. (As
# root, the rootless case, exec gives root its capabilities back anyway.)
if command -v setpriv >/dev/null; then
	set -- setpriv --ambient-caps=-all --inh-caps=-all "$TCWIRE_QEMU" "$@"
else
	set -- "$TCWIRE_QEMU" "$@"
fi
exec "$@"
