#!/bin/sh
# /init of the tcwire test guest (copied into the initramfs by build-guest.sh).
#
# Protocol: the kernel command line carries the test script, base64 encoded
# (no line wrapping), as tcw.script=<BASE64>, or gzip-compressed then base64
# encoded as tcw.scriptgz=<BASE64>.  The script is run with `sh`, then a line
#   TCW-EXIT=<rc>
# is printed on the console and the guest powers off.  Without a script the
# line is TCW-EXIT=noscript; if this init cannot prepare the guest it is
# TCW-EXIT=initfail.
#
# Runs under busybox sh; it must stay POSIX sh and shellcheck-clean.
set -u
set -f # no globbing when splitting /proc/cmdline

PATH=/bin:/sbin:/usr/bin:/usr/sbin
HOME=/
export PATH HOME

# Modules in dependency order (checked against the "depends=" modinfo of the
# Debian 6.1 kernel).  bonding gets max_bonds=0, otherwise it creates a bond0
# in balance-rr mode on load.
MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
failover net_failover virtio_net tls bonding llc stp bridge garp mrp 8021q"

finish() {
	# Give the UART a moment to drain before the hard power off.
	echo "TCW-EXIT=$1"
	sync
	sleep 0.2
	poweroff -f
	# poweroff -f does not return; if it does, let the kernel panic
	# (panic=-1 + qemu -no-reboot makes qemu exit).
	exit 1
}

die() {
	echo "tcw-init: $*"
	finish initfail
}

mkdir -p /proc /sys /dev /tmp /run
mount -t proc proc /proc || die "cannot mount /proc"
mount -t sysfs sysfs /sys 2>/dev/null || grep -q ' /sys ' /proc/mounts || die "cannot mount /sys"
mount -t devtmpfs devtmpfs /dev 2>/dev/null || grep -q ' /dev ' /proc/mounts || die "cannot mount /dev"
mount -t tmpfs -o mode=1777 tmpfs /tmp 2>/dev/null || true

# The kernel opened /dev/console from the (built-in) initramfs; reopen it from
# devtmpfs so stdio is valid even if that node was missing.
exec </dev/console >/dev/console 2>&1

for m in $MODULES; do
	[ -d "/sys/module/$m" ] && continue
	args=""
	[ "$m" = bonding ] && args="max_bonds=0"
	# shellcheck disable=SC2086 # args is empty or one word
	insmod "/lib/modules/$m.ko" $args || die "insmod $m failed"
done

ip link set lo up || die "cannot bring lo up"

script=""
gz=0
read -r cmdline </proc/cmdline || die "cannot read /proc/cmdline"
for arg in $cmdline; do
	case "$arg" in
	tcw.script=*) script=${arg#tcw.script=}; gz=0 ;;
	tcw.scriptgz=*) script=${arg#tcw.scriptgz=}; gz=1 ;;
	esac
done

if [ -z "$script" ]; then
	finish noscript
fi

if [ "$gz" = 1 ]; then
	printf '%s' "$script" | base64 -d | gunzip -c >/tmp/script.sh || die "cannot decode tcw.scriptgz"
else
	printf '%s' "$script" | base64 -d >/tmp/script.sh || die "cannot decode tcw.script"
fi
unset script cmdline

set +e
sh /tmp/script.sh </dev/null
rc=$?
finish "$rc"
