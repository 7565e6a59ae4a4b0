#!/bin/sh
# Boot the tcwire test guest (built by build-guest.sh) under TCG, run a shell
# script inside it and exit with that script's exit status.
#
# Usage: run-guest.sh --guest DIR --script FILE [--timeout SEC] [--] EXTRA_QEMU_ARGS...
#
# The script travels base64 encoded on the kernel command line
# (tcw.script=<BASE64>; if that does not fit, gzip + base64 as
# tcw.scriptgz=<BASE64>).  The guest prints TCW-EXIT=<rc> when the script
# ends.  The console is copied to stdout.
#
# Run as the qemu command of tcwire-qemu --mgmt-passthrough, it is the
# image's bootstrap: eth0's addresses, handed over in TCWIRE_MGMT_* (see
# tcwire-qemu(1)), go on to the guest's command line as
# tcw.mgmt4=ADDRESS/PREFIX,GATEWAY and tcw.mgmt6=... for the guest script to
# configure its management NIC (the first) with.
#
# Exit status: the guest script's rc; 124 on timeout; 125 if the guest printed
# no (numeric) TCW-EXIT line (qemu failed, guest init failed, kernel panic).
# Environment: QEMU (default qemu-system-x86_64), TCWIRE_GUEST_MEM (256).
# Needs no root; writes only to a temporary directory.
#
# Needs: qemu-system-x86 coreutils gzip
set -eu

usage() {
	echo "usage: $0 --guest DIR --script FILE [--timeout SEC] [--] EXTRA_QEMU_ARGS..." >&2
	exit 2
}
die() { echo "run-guest: error: $*" >&2; exit 125; }

guest=""
script=""
tmo=120
while [ $# -gt 0 ]; do
	case "$1" in
	--guest) [ $# -ge 2 ] || usage; guest=$2; shift 2 ;;
	--script) [ $# -ge 2 ] || usage; script=$2; shift 2 ;;
	--timeout) [ $# -ge 2 ] || usage; tmo=$2; shift 2 ;;
	--guest=*) guest=${1#*=}; shift ;;
	--script=*) script=${1#*=}; shift ;;
	--timeout=*) tmo=${1#*=}; shift ;;
	--) shift; break ;;
	-h | --help) usage ;;
	*) break ;;
	esac
done
{ [ -n "$guest" ] && [ -n "$script" ]; } || usage
case "$tmo" in '' | *[!0-9]*) die "--timeout wants whole seconds, got '$tmo'" ;; esac

kernel=$guest/vmlinuz
initrd=$guest/initrd.gz
[ -r "$kernel" ] || die "cannot read $kernel (run build-guest.sh)"
# Prefer the uncompressed ELF kernel (PVH boot, no in-guest decompression:
# ~2.5 s faster under TCG).  TCWIRE_GUEST_PVH=0 boots the bzImage instead.
boot_kernel=$kernel
if [ "${TCWIRE_GUEST_PVH:-1}" != 0 ] && [ -r "$guest/vmlinux" ]; then
	boot_kernel=$guest/vmlinux
fi
[ -r "$initrd" ] || die "cannot read $initrd (run build-guest.sh)"
[ -r "$script" ] || die "cannot read script $script"

# Longest command line the kernel accepts, without the trailing NUL: the
# boot protocol's cmdline_size field (setup header 0x238, protocol >= 2.06;
# 2047 for Debian's x86 kernels, i.e. COMMAND_LINE_SIZE 2048).  QEMU
# silently truncates anything longer, so check here.
max=2047
if [ "$(dd if="$kernel" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ]; then
	proto=$(od -An -tu2 -j 518 -N2 "$kernel" | tr -d ' ')
	if [ "$proto" -ge 518 ]; then # 0x0206
		max=$(od -An -tu4 -j 568 -N4 "$kernel" | tr -d ' ')
	fi
fi

base="console=ttyS0 quiet panic=-1"
if [ -n "${TCWIRE_MGMT_IPV4_ADDRESS:-}" ]; then
	base="$base tcw.mgmt4=$TCWIRE_MGMT_IPV4_ADDRESS/${TCWIRE_MGMT_IPV4_PREFIX_LENGTH:-32},${TCWIRE_MGMT_IPV4_GATEWAY:-}"
fi
if [ -n "${TCWIRE_MGMT_IPV6_ADDRESS:-}" ]; then
	base="$base tcw.mgmt6=$TCWIRE_MGMT_IPV6_ADDRESS/${TCWIRE_MGMT_IPV6_PREFIX_LENGTH:-128},${TCWIRE_MGMT_IPV6_GATEWAY:-}"
fi
b64=$(base64 -w0 "$script")
append="$base tcw.script=$b64"
if [ ${#append} -gt "$max" ]; then
	b64=$(gzip -9 -n -c "$script" | base64 -w0)
	append="$base tcw.scriptgz=$b64"
	if [ ${#append} -gt "$max" ]; then
		die "script $script too big for the kernel command line:" \
			"${#append} > $max bytes even gzip-compressed" \
			"(about $(((max - ${#base} - 14) * 3 / 4)) bytes of gzip output fit)"
	fi
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcwire-run.XXXXXX")
qpid=""
teepid=""
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	# timeout(1) passes the signal on to qemu.
	[ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true
	[ -z "$teepid" ] || wait "$teepid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
log=$tmp/console.log

# qemu and tee run in the background so that a signal to this script is
# handled at once (the trap kills qemu) instead of after qemu exits.
# stdin is /dev/null: qemu must not touch the terminal.  --foreground keeps
# qemu in our process group, so killing the group (test harness timeouts)
# reaches it too.
mkfifo "$tmp/console"
tee "$log" <"$tmp/console" &
teepid=$!
timeout --foreground -k 5 "$tmo" "${QEMU:-qemu-system-x86_64}" \
	-accel tcg -m "${TCWIRE_GUEST_MEM:-256}" \
	-display none -no-reboot -nodefaults -serial stdio \
	-kernel "$boot_kernel" -initrd "$initrd" -append "$append" \
	"$@" </dev/null >"$tmp/console" 2>&1 &
qpid=$!
qrc=0
wait "$qpid" || qrc=$?
qpid=""
wait "$teepid" || true
teepid=""
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "run-guest: timeout after ${tmo}s" >&2
	exit 124
fi

res=$(tr -d '\r' <"$log" | sed -n 's/.*TCW-EXIT=\([0-9A-Za-z]*\).*/\1/p' | tail -n1)
case "$res" in
'')
	echo "run-guest: no TCW-EXIT line from the guest (qemu exit $qrc)" >&2
	exit 125
	;;
*[!0-9]*)
	echo "run-guest: guest reported TCW-EXIT=$res" >&2
	exit 125
	;;
esac
exit "$res"
