#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark of tcwire status --all: 64 network namespaces with 8 live
# wires each (taps held by one process per namespace, as qemu holds them),
# against what a script does with iproute2 in the same run: ip + tc
# -s filter show per device, and the same through tc -batch. Prints a
# markdown section (tests/bench/run.sh includes it in docs/performance.md).
#
#	sudo tests/bench/status.sh [--smoke]
#
# --smoke: 4 namespaces x 2 wires, 3 runs each (seconds, not minutes).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${TCWIRE_BUILD:-$top/build}
HELPER=$BUILD/helper/tcwire-helper
BENCH_STATUS=$BUILD/tests/bench/bench-status
WIRE_CLIENT=$BUILD/tests/wire-client
TCWIRE=$BUILD/qemu-wrapper/tcwire/tcwire

# tcwire is measured RUNS times, the iproute2 baselines (over a minute
# each at 64 x 8 on a busy machine) BASE_RUNS times
NS_N=64 WIRES=8 RUNS=11 BASE_RUNS=3
if [ "${1:-}" = --smoke ]; then NS_N=4 WIRES=2 RUNS=3 BASE_RUNS=1; fi
if [ "$(id -u)" != 0 ]; then
	[ "${CI:-}" = true ] && { echo "FAIL: needs root"; exit 1; }
	echo "SKIP: needs root"; exit 77
fi
for f in "$HELPER" "$WIRE_CLIENT" "$TCWIRE" "$BENCH_STATUS"; do
	[ -x "$f" ] || { echo "missing $f: build first (meson compile -C build)"; exit 1; }
done

NSES=() HOLDERS=()
WORK=$(mktemp -d /tmp/tcwire-bench-status.XXXXXX)
cleanup() {
	local x
	rm -rf "$WORK"
	for x in "${HOLDERS[@]}"; do kill "$x" 2>/dev/null || true; done
	for x in "${NSES[@]}"; do ip netns del "$x" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One namespace: WIRES veths eth1..N (peers up), each wired by the helper;
# one process holds all taps (nested wire-clients exec each other)
setup_ns() {
	local ns=$1 i cmd=()
	ip netns add "$ns"
	NSES+=("$ns")
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	for ((i = 1; i <= WIRES; i++)); do
		ip -n "$ns" link add "eth$i" type veth peer name "p$i"
		ip -n "$ns" link set "p$i" up
		cmd+=("$WIRE_CLIENT" --helper "$HELPER" --br "eth$i" --)
	done
	ip netns exec "$ns" "${cmd[@]}" sleep 3600 >/dev/null 2>&1 &
	HOLDERS+=($!)
}

for ((n = 0; n < NS_N; n++)); do setup_ns "tcwb-st-$$-$n"; done
# Wait until every wire is up (the last namespace's taps exist)
for ((i = 0; i < 200; i++)); do
	[ "$(ip -n "${NSES[-1]}" -o link show type tun | wc -l)" = "$WIRES" ] && break
	sleep 0.05
done

# cpu_ms FILE: CPU time (user + system) of our children in a "times"
# output, in ms ("times" runs in this shell: a $(...) subshell has its own)
cpu_ms() {
	sed -n 2p "$1" | tr 'ms' '  ' |
		awk '{ printf "%.3f\n", ($1 * 60 + $2 + $3 * 60 + $4) * 1000 }'
}

# measure N CMD...: "wall_ms cpu_ms", medians of N runs of CMD (the CPU
# time of its processes; the wall time suffers when the machine is busy)
measure() {
	local r t0 t1 c0 c1 n=$1
	shift
	for ((r = 0; r < n; r++)); do
		times >"$WORK/c0"
		t0=$EPOCHREALTIME
		"$@" >/dev/null
		t1=$EPOCHREALTIME
		times >"$WORK/c1"
		c0=$(cpu_ms "$WORK/c0")
		c1=$(cpu_ms "$WORK/c1")
		awk -v a="$t0" -v b="$t1" -v c="$c0" -v d="$c1" \
			'BEGIN { printf "%.3f %.3f\n", (b - a) * 1000, d - c }'
	done >"$WORK/samples"
	echo "$(median 1) $(median 2)"
}
# median COLUMN: of $WORK/samples
median() {
	sort -n -k"$1","$1" "$WORK/samples" |
		awk -v c="$1" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}

# The iproute2 baselines read exactly what tcwire reads: links with
# counters, qdiscs, and the ingress filters of devices with an ingress hook
# hooked_devs QDISCS: devices with an ingress hook in a "tc qdisc show" output
hooked_devs() { awk '$1 == "qdisc" && ($2 == "ingress" || $2 == "clsact") { print $5 }' <<<"$1"; }
per_device() {
	local ns dev q
	for ns in "${NSES[@]}"; do
		ip -n "$ns" -s -d link show 2>/dev/null
		q=$(tc -n "$ns" -s qdisc show)
		for dev in $(hooked_devs "$q"); do
			tc -n "$ns" -s filter show dev "$dev" ingress
		done
	done
}
batched() {
	local ns q
	for ns in "${NSES[@]}"; do
		ip -n "$ns" -s -d link show 2>/dev/null
		q=$(tc -n "$ns" -s qdisc show)
		hooked_devs "$q" | sed 's/^/filter show dev /; s/$/ ingress/' |
			tc -n "$ns" -s -batch -
	done
}

seen=$("$TCWIRE" status --all --json | jq '[.namespaces[] | select(.wires | length > 0)] | length')
ok=$("$TCWIRE" status --all --json |
	jq --arg p "tcwb-st-$$-" '[.namespaces[] | select(.netns | startswith($p)) | .wires[] | select(.state == "ok")] | length')
"$BENCH_STATUS" "$RUNS" >"$WORK/inproc"
inproc() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/inproc"; }
read -r w_all c_all <<<"$(measure "$RUNS" "$TCWIRE" status --all)"
read -r w_json c_json <<<"$(measure "$RUNS" "$TCWIRE" status --all --json)"
read -r w_dev c_dev <<<"$(measure "$BASE_RUNS" per_device)"
read -r w_batch c_batch <<<"$(measure "$BASE_RUNS" batched)"
read -r w_one c_one <<<"$(measure "$RUNS" ip netns exec "${NSES[0]}" "$TCWIRE" status)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }

echo "## tcwire status --all: $NS_N namespaces x $WIRES wires (medians of $RUNS runs, iproute2 of $BASE_RUNS; ms)"
echo
echo "| what | wall ms | CPU ms | CPU x tcwire |"
echo "|---|---|---|---|"
echo "| \`tcwire status --all\` | $w_all | $c_all | 1.0 |"
echo "| \`tcwire status --all --json\` | $w_json | $c_json | $(ratio "$c_json" "$c_all") |"
echo "| iproute2 per device: \`ip -s link\`, \`tc -s qdisc\`, \`tc -s filter show dev X ingress\` per hooked device | $w_dev | $c_dev | $(ratio "$c_dev" "$c_all") |"
echo "| iproute2 batched: \`ip -s link\`, \`tc -s qdisc\`, one \`tc -s -batch\` per namespace | $w_batch | $c_batch | $(ratio "$c_batch" "$c_all") |"
echo
ms_of() { awk -v u="$(inproc "$1")" 'BEGIN { printf "%.1f", u / 1000 }'; }
echo "- the work alone (bench-status: the same reading in one process, no start-up, no output): **$(ms_of median_us) ms** wall, **$(ms_of cpu_us) ms** CPU for $(inproc namespaces) namespaces, $(inproc wires) wires"
echo "- requests of one reading: $(inproc link_dumps) link dumps, $(inproc qdisc_dumps) qdisc dumps, $(inproc hook_scans) ingress hook scans (each one filter dump; a u32 root query only where the dump leaves it ambiguous); iproute2 per device runs one process per request"
echo "- wires found healthy: $ok of $((NS_N * WIRES)); namespaces with wires seen: $seen (the host's others included)"
echo "- \`tcwire status\` in one of these namespaces (with \`ip netns exec\`): $w_one ms wall, $c_one ms CPU"
echo "- load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "- target: \`tcwire status --all\` < 100 ms at 64 x 8"
