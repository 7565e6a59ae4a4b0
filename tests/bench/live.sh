#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tcwire-qemu's live links, timed (bench-live.c): how fast a partner's
# carrier change reaches qemu (target: median <= 50 ms from the kernel's
# event to qemu's reply) and how fast frames pass again after the partner
# is deleted and created (target: <= 200 ms after the new ethK is up),
# each next to a baseline measured in the same run. qemu runs paused
# (-S): no guest, so the figures are tcwire-qemu's own.
#
#	sudo tests/bench/live.sh [--smoke] [RUNS]
#
# Prints a markdown table (docs/performance.md, "Live links").
# Needs root, qemu-system-x86_64 and a built tree in build/ (or
# $TCWIRE_BUILD).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${TCWIRE_BUILD:-$top/build}
TOOL=$BUILD/tests/bench/bench-live
runs=50
case "${1:-}" in
--smoke) runs=3 ;;
'') ;;
*[!0-9]*) echo "usage: $0 [--smoke] [RUNS]" >&2; exit 2 ;;
*) runs=$1 ;;
esac
if [ "$(id -u)" != 0 ] || ! command -v qemu-system-x86_64 >/dev/null; then
	[ "${CI:-}" = true ] && { echo "FAIL: needs root and qemu"; exit 1; }
	echo "SKIP: needs root and qemu-system-x86_64"; exit 77
fi
[ -x "$TOOL" ] || { echo "missing $TOOL: build first"; exit 1; }

ns="tcwb-live-$$"
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null' EXIT
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$ns" link set lo up
for k in 1 2; do
	ip -n "$ns" link add "eth$k" type veth peer name "p$k"
	ip -n "$ns" link set "p$k" up
	ip -n "$ns" link set "eth$k" up
done
QEMU=(qemu-system-x86_64 -M pc -accel tcg -S -nodefaults -display none)
run() {
	ip netns exec "$ns" "$TOOL" "$1" "$BUILD/qemu-wrapper/tcwire-qemu/tcwire-qemu" \
		"$BUILD/helper/tcwire-helper" "$runs" "${QEMU[@]}" 2>/dev/null
}
ls=$(run linkstate)
rw=$(run rewire)
v() { awk -v k="$1" '$1 == k { print $2 }' <<<"$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3g", a / b }'; }

qmp=$(v baseline_qmp_set_link_rtt_ms "$ls")
reply=$(v event_to_qmp_reply_ms "$ls")
helper=$(v baseline_helper_new_wiring_ms "$rw")
pass=$(v up_to_frames_pass_ms "$rw")
from_add=$(v add_to_frames_pass_ms "$rw")
linkup=$(v up_to_nic_link_up_ms "$rw")
echo "Live links: medians of $(v changes "$ls") carrier changes and $(v rewires "$rw") re-wires, $(uname -r), $(nproc) CPUs"
echo
echo "| figure | median (ms) | baseline (ms) | ratio | target |"
echo "|---|---|---|---|---|"
echo "| far end carrier change -> rtnetlink event (kernel) | $(v kernel_event_ms "$ls") | | | |"
echo "| rtnetlink event -> qemu's reply to set_link | $reply | $qmp (bare QMP set_link round trip) | $(ratio "$reply" "$qmp") | <= 50 |"
echo "| far end carrier change -> qemu's reply | $(v change_to_qmp_reply_ms "$ls") | | | |"
rewired=$(v created_to_rewired_ms "$rw")
echo "| new eth1 created (rtnetlink event) -> its tap re-wired | $rewired | $helper (one helper wiring of a new tap) | $(ratio "$rewired" "$helper") | |"
echo "| new eth1 up -> first frame on the tap | $pass | | | <= 200 |"
echo "| 'ip link add' of the new eth1 -> first frame on the tap | $from_add | | | |"
echo "| new eth1 up -> qemu's reply to set_link up | $linkup | | | |"
awk -v r="$reply" -v p="$pass" 'BEGIN { exit !(r <= 50 && p <= 200) }' ||
	echo "(a target was missed in this run)"
