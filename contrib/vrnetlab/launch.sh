#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Entrypoint of the tcwire router image (contrib/vrnetlab/Dockerfile). Runs as
# the unprivileged user "vr": builds the qemu command line from the settings
# below and hands it to tcwire-qemu, which waits for the data interfaces
# eth1..ethN (N = $CLAB_INTFS, set by containerlab), gets a wired tap for each
# from the setuid tcwire-helper and becomes qemu. eth0 (management) is never
# wired: the VM reaches it through qemu's user network instead.
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
#   VM_MAC_SEED      seed of the data NICs' MACs             (the hostname)
#   VM_WAIT_TIMEOUT  seconds to wait for eth1..ethN          (300)
#   VM_MGMT_PORTS    TCP ports of eth0 forwarded to the same
#                    port of the guest's management NIC      (22 830)
#   VM_CONSOLE       qemu -serial backend        (telnet::5000,server=on,wait=off)
#   QEMU_ACCEL       kvm, tcg, or auto: kvm when /dev/kvm is
#                    usable by this user, else tcg           (auto)
#                    (-cpu host with kvm, -cpu max otherwise)
#   QEMU             qemu binary                             (qemu-system-x86_64)
#   RUN_GUEST        the test guest's launcher               (run-guest.sh)
#   TCWIRE_QEMU      tcwire-qemu binary                      (tcwire-qemu)
#   TCWIRE_HELPER    tcwire-helper, if not the installed one (unset)
#   TCWIRE_PRINT     1: print the command line and exit      (0)
set -eu

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

accel=$QEMU_ACCEL
if [ "$accel" = auto ]; then
	if [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
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
	script=$(mktemp "${TMPDIR:-/tmp}/guest-script.XXXXXX")
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
