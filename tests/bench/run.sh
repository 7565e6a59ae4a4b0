#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tcwire benchmarks: wiring time against qemu-bridge-helper and the seed's
# ifup script, the whole-VM wiring time of tcwire-qemu, datapath rates of
# the tcwire wire against a Linux bridge and a raw veth, tcwire status
# --all against iproute2 (tests/bench/status.sh), peak memory, and the
# latencies of tcwire-qemu's live links (tests/bench/live.sh), and late
# links into slots against hot-plug with a real guest (tests/bench/slots.sh,
# and the management passthrough's throughput, tests/bench/mgmt.sh,
# not in the smoke run).
# Every figure is a ratio against a baseline measured in the same run.
#
#	sudo tests/bench/run.sh [--smoke] [--write-docs]
#
# --smoke: small sizes and short runs (about 10 s); the test suite runs it.
# --write-docs: rewrite docs/performance.md and its plot from this run.
# Needs root (namespaces, taps), a built tree in build/ (or $TCWIRE_BUILD),
# qemu-bridge-helper (qemu-system-common), gnuplot for the plot.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${TCWIRE_BUILD:-$top/build}
BENCH=$BUILD/tests/bench
HELPER=$BUILD/helper/tcwire-helper
WRAPPER=$BUILD/qemu-wrapper/tcwire-qemu/tcwire-qemu
QBH=${QEMU_BRIDGE_HELPER:-/usr/lib/qemu/qemu-bridge-helper}
SEED_SCRIPT=$top/tests/bench/seed-ifup.sh

smoke=0 write_docs=0
for a in "$@"; do
	case $a in
	--smoke) smoke=1 ;;
	--write-docs) write_docs=1 ;;
	*) echo "usage: $0 [--smoke] [--write-docs]" >&2; exit 2 ;;
	esac
done
if [ "$(id -u)" != 0 ]; then
	[ "${CI:-}" = true ] && { echo "FAIL: needs root"; exit 1; }
	echo "SKIP: needs root"; exit 77
fi
for f in "$BENCH/bench-setup" "$BENCH/bench-datapath" "$HELPER" "$WRAPPER"; do
	[ -x "$f" ] || { echo "missing $f: build first (meson compile -C build)"; exit 1; }
done
[ -x "$QBH" ] || { echo "missing $QBH (Debian: qemu-system-common)"; exit 1; }

if [ "$smoke" = 1 ]; then
	SIZES_N=(1 8); VM_NICS=8; FRAME_SIZES="64"; SECONDS_DP=0.5
else
	SIZES_N=(1 8 32 128); VM_NICS=128; FRAME_SIZES="64 1500 9000"; SECONDS_DP=2
fi

WORK=$(mktemp -d /tmp/tcwire-bench.XXXXXX)
NSES=()
cleanup() {
	local ns
	for ns in "${NSES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
	if [ -e "$WORK/bridge.conf.saved" ]; then
		mv "$WORK/bridge.conf.saved" /etc/qemu/bridge.conf
	elif [ -e "$WORK/bridge.conf.ours" ]; then
		rm -f /etc/qemu/bridge.conf
		rmdir /etc/qemu 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# qemu-bridge-helper reads /etc/qemu/bridge.conf: allow our bridges for
# the run, restore whatever was there afterwards
mkdir -p /etc/qemu
if [ -e /etc/qemu/bridge.conf ]; then cp -p /etc/qemu/bridge.conf "$WORK/bridge.conf.saved"; else touch "$WORK/bridge.conf.ours"; fi
echo "allow all" >/etc/qemu/bridge.conf

# fresh_ns VAR N [bridges]: a namespace with N veths eth1..N (peers up),
# optionally each ethK in a bridge brK
fresh_ns() {
	local name="tcwb-$$-$RANDOM" i
	ip netns add "$name"
	NSES+=("$name")
	ip netns exec "$name" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	for ((i = 1; i <= $2; i++)); do
		ip -n "$name" link add "eth$i" type veth peer name "p$i"
		ip -n "$name" link set "p$i" up
		if [ "${3:-}" = bridges ]; then
			ip -n "$name" link add "br$i" type bridge
			ip -n "$name" link set "eth$i" master "br$i"
			ip -n "$name" link set "br$i" up
		fi
	done
	printf -v "$1" %s "$name"
}

# value KEY FILE: the number after "KEY " in FILE
value() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }

# Everything below goes to stdout and, with --write-docs, into
# docs/performance.md under the fixed introduction
exec 3>&1
if [ "$write_docs" = 1 ]; then
	exec > >(tee "$WORK/report.md" >&3)
fi
echo "## Setup time per interface (median of >= 64 wirings, ms)"
echo
echo "| N | tcwire-helper | qemu-bridge-helper | seed script | tcwire/qbh | seed/tcwire |"
echo "|---|---|---|---|---|---|"
: >"$WORK/setup.dat"
# median_of FILE: median of the "us X" lines of FILE
median_of() { awk '$1 == "us" { print $2 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# setup_rounds CONTENDER N: at least 64 samples for each N, each round in
# a fresh namespace with N partners (so every wiring starts from scratch)
setup_rounds() {
	local who=$1 n=$2 rounds r out="$WORK/$1-$2"
	rounds=$(( (64 + n - 1) / n ))
	[ "$smoke" = 1 ] && rounds=1
	: >"$out"
	for ((r = 0; r < rounds; r++)); do
		case $who in
		t) fresh_ns ns "$n"; ip netns exec "$ns" "$BENCH/bench-setup" helper "$HELPER" eth "$n" ;;
		q) fresh_ns ns "$n" bridges; ip netns exec "$ns" "$BENCH/bench-setup" helper "$QBH" br "$n" ;;
		s) fresh_ns ns "$n"; ip netns exec "$ns" "$BENCH/bench-setup" script "$SEED_SCRIPT" "$n" ;;
		esac >>"$out"
		for x in "${NSES[@]}"; do ip netns del "$x"; done
		NSES=()
	done
	local rss med
	rss=$(awk '$1 == "maxrss_kib" && $2 > m { m = $2 } END { print m }' "$out")
	med=$(median_of "$out")
	printf 'maxrss_kib %s\nmedian_us %s\n' "$rss" "$med" >>"$out"
}

for n in "${SIZES_N[@]}"; do
	setup_rounds t "$n"
	setup_rounds q "$n"
	setup_rounds s "$n"
	t=$(value median_us "$WORK/t-$n" | tail -n1); q=$(value median_us "$WORK/q-$n" | tail -n1); s=$(value median_us "$WORK/s-$n" | tail -n1)
	echo "| $n | $(ms "$t") | $(ms "$q") | $(ms "$s") | $(ratio "$t" "$q") | $(ratio "$s" "$t") |"
	echo "$n $(ms "$t") $(ms "$q") $(ms "$s")" >>"$WORK/setup.dat"
	helper_rss=$(value maxrss_kib "$WORK/t-$n" | tail -n1)
	qbh_rss=$(value maxrss_kib "$WORK/q-$n" | tail -n1)
done
small=${SIZES_N[1]}
last=${SIZES_N[-1]}
med() { value median_us "$WORK/$1" | tail -n1; }
flat=$(ratio "$(med "t-$last")" "$(med "t-$small")")
echo
echo "- tcwire at N=$last / at N=$small: **$flat** (target <= 1.10: flat in N)"
echo "- tcwire / qemu-bridge-helper at N=$last: **$(ratio "$(med "t-$last")" "$(med "q-$last")")** (target <= 1.00)"
echo "- seed script / tcwire at N=$last: **$(ratio "$(med "s-$last")" "$(med "t-$last")")**"

echo
echo "## Whole VM: tcwire-qemu, $VM_NICS NICs, start to exec of qemu"
echo
fresh_ns ns "$VM_NICS"
for r in 1 2 3; do
	ip netns exec "$ns" "$BENCH/bench-setup" exec "$WRAPPER" --helper "$HELPER" \
		--count "$VM_NICS" -- "$BENCH/bench-setup" stamp >"$WORK/vm-$r"
	value to_stamp_us "$WORK/vm-$r" >>"$WORK/vm.all"
done
vm_us=$(sort -n "$WORK/vm.all" | sed -n 2p)
wrapper_rss=$(value maxrss_kib "$WORK/vm-1")
for x in "${NSES[@]}"; do ip netns del "$x"; done
NSES=()
echo "- median of 3 runs: **$(ms "$vm_us") ms** for $VM_NICS NICs ($(ms "$(awk -v u="$vm_us" -v n="$VM_NICS" 'BEGIN{print u/n}')") ms per NIC); target < 250 ms for 128"

echo
echo "## Datapath (kpps; one receive syscall per frame on every path; into VM: sender batches with sendmmsg, out of VM: one write()/sendto() per frame on every path)"
echo
echo "| frame bytes | direction | tcwire | Linux bridge | raw veth | tcwire/bridge | tcwire/raw veth |"
echo "|---|---|---|---|---|---|---|"
for size in $FRAME_SIZES; do
	mtu=$([ "$size" -gt 1500 ] && echo 9000 || echo 1500)
	fresh_ns ns 1
	ip -n "$ns" link set eth1 mtu "$mtu"; ip -n "$ns" link set p1 mtu "$mtu"
	ip -n "$ns" link add va type veth peer name vb
	ip -n "$ns" link set va mtu "$mtu" up; ip -n "$ns" link set vb mtu "$mtu" up
	raw=$(ip netns exec "$ns" "$BENCH/bench-datapath" --tx-if va --rx-if vb --size "$size" --seconds "$SECONDS_DP" | awk '{print $2}')
	# "out of VM" frames enter with one write() each: compare with a raw
	# veth fed one sendto() per frame
	raw1=$(ip netns exec "$ns" "$BENCH/bench-datapath" --single --tx-if va --rx-if vb --size "$size" --seconds "$SECONDS_DP" | awk '{print $2}')
	# shellcheck disable=SC2016
	ip netns exec "$ns" "$BUILD/tests/wire-client" --helper "$HELPER" --use-vnet --br eth1 -- sh -c '
		"$1" --tx-if p1 --rx-fd "$TCWIRE_TAP_FD" --vnet --size "$2" --seconds "$3"
		"$1" --tx-fd "$TCWIRE_TAP_FD" --rx-if p1 --vnet --size "$2" --seconds "$3"' \
		sh "$BENCH/bench-datapath" "$size" "$SECONDS_DP" >"$WORK/dp-t"
	ip -n "$ns" link add br1 type bridge
	ip -n "$ns" link set br1 mtu "$mtu"
	tc -n "$ns" filter del dev eth1 ingress 2>/dev/null || true
	ip -n "$ns" link set eth1 master br1
	ip -n "$ns" link set br1 up
	# shellcheck disable=SC2016
	ip netns exec "$ns" "$BUILD/tests/wire-client" --helper "$HELPER" --use-vnet --br br1 -- sh -c '
		sleep 0.2
		"$1" --tx-if p1 --rx-fd "$TCWIRE_TAP_FD" --vnet --size "$2" --seconds "$3"
		"$1" --tx-fd "$TCWIRE_TAP_FD" --rx-if p1 --vnet --size "$2" --seconds "$3"' \
		sh "$BENCH/bench-datapath" "$size" "$SECONDS_DP" >"$WORK/dp-b"
	t_in=$(sed -n 1p "$WORK/dp-t" | awk '{print $2}'); t_out=$(sed -n 2p "$WORK/dp-t" | awk '{print $2}')
	b_in=$(sed -n 1p "$WORK/dp-b" | awk '{print $2}'); b_out=$(sed -n 2p "$WORK/dp-b" | awk '{print $2}')
	echo "| $size | into VM | $t_in | $b_in | $raw | $(ratio "$t_in" "$b_in") | $(ratio "$t_in" "$raw") |"
	echo "| $size | out of VM | $t_out | $b_out | $raw1 | $(ratio "$t_out" "$b_out") | $(ratio "$t_out" "$raw1") |"
	for x in "${NSES[@]}"; do ip netns del "$x"; done
	NSES=()
done
echo
echo "Targets: tcwire >= 1.2x bridge, >= 0.8x raw veth."

echo
if [ "$smoke" = 1 ]; then
	TCWIRE_BUILD=$BUILD "$top/tests/bench/status.sh" --smoke
else
	TCWIRE_BUILD=$BUILD "$top/tests/bench/status.sh"
fi

echo
echo "## Peak memory (RSS)"
echo
echo "- tcwire-helper: **$helper_rss KiB** (target < 4096 KiB); qemu-bridge-helper: $qbh_rss KiB"
echo "- tcwire-qemu for $VM_NICS NICs: **$wrapper_rss KiB**"

echo
echo "## Live links (tcwire-qemu following the links of a running VM)"
echo
if [ "$smoke" = 1 ]; then live_runs=3; else live_runs=50; fi
TCWIRE_BUILD=$BUILD "$top/tests/bench/live.sh" "$live_runs"

if [ "$smoke" = 0 ]; then	# a guest boot: not in the smoke run
	echo
	echo "## Late links (a slot against hot-plug, with a real guest)"
	echo
	TCWIRE_BUILD=$BUILD "$top/tests/bench/slots.sh" 5
	echo
	echo "## Management passthrough (throughput into a real guest)"
	echo
	TCWIRE_BUILD=$BUILD "$top/tests/bench/mgmt.sh" 8 3
fi

if [ "$write_docs" = 1 ]; then
	exec >&3
	sleep 0.2	# let tee finish
	{
		cat "$top/tests/bench/performance-intro.md"
		echo
		echo "## Results of the last run"
		echo
		echo "Run on $(date -u +%Y-%m-%d) on this project's CI machine kind: $(nproc) cores," \
			"kernel $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')."
		echo
		sed 's/^## /### /' "$WORK/report.md"
		echo
		echo "![wiring time per interface](performance-setup.png)"
	} >"$top/docs/performance.md"
	echo "(docs/performance.md rewritten)"
fi
if [ "$write_docs" = 1 ] && command -v gnuplot >/dev/null; then
	gnuplot <<PLOT
set terminal pngcairo size 800,480 noenhanced
set output "$top/docs/performance-setup.png"
set title "Wiring time per interface (median) vs. interfaces present"
set xlabel "partner interfaces in the namespace (N)"
set ylabel "ms per interface"
set logscale x 2
set yrange [0:*]
set key top left
set grid
plot "$WORK/setup.dat" using 1:2 with linespoints lw 2 title "tcwire-helper", \
     "$WORK/setup.dat" using 1:3 with linespoints lw 2 title "qemu-bridge-helper (bridge port)", \
     "$WORK/setup.dat" using 1:4 with linespoints lw 2 title "seed ifup script (ip + tc)"
PLOT
	echo
	echo "(plot written to docs/performance-setup.png)"
fi
