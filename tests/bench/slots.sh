#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Late links, timed with a real guest: how long after a late ethK is up the
# guest answers over it, when ethK lands in a slot (a tap reserved at boot,
# re-wired when ethK appears: the guest's NIC just gets its link) against
# the hot-plug path (ethK beyond the slots: tap, netdev_add, device_add,
# the guest's ACPI hot-plug and driver, then the guest configures it), both
# in the same VM and the same run. Target: the slot's median <= 50 ms.
#
#	sudo tests/bench/slots.sh [RUNS]	(default 5 of each)
#
# One VM (the test guest, tests/vm, under TCG) booted by tcwire-qemu as
# root with --slots RUNS; its script gives every NIC it finds 10.9.K.1/24
# (K its position, from its MAC). Per run the bench makes ethK with its
# peer in another namespace as 10.9.K.2, sets ethK up and pings 10.9.K.1
# every 2 ms until the first reply: that time is the figure.
# Prints a markdown table (docs/performance.md, "Late links").
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${TCWIRE_BUILD:-$top/build}
WRAPPER=$BUILD/qemu-wrapper/tcwire-qemu/tcwire-qemu
HELPER=$BUILD/helper/tcwire-helper
runs=${1:-5}
case $runs in *[!0-9]*|'') echo "usage: $0 [RUNS]" >&2; exit 2 ;; esac
if [ "$(id -u)" != 0 ] || ! command -v qemu-system-x86_64 >/dev/null; then
	echo "SKIP: needs root and qemu-system-x86_64"; exit 77
fi
GUEST=${TCWIRE_GUEST_DIR:-/var/tmp/tcwire-guest}
"$top/tests/vm/build-guest.sh" "$GUEST" >/dev/null

tmp=$(mktemp -d /tmp/tcwire-bench-slots.XXXXXX)
vm="tcwb-slots-$$" far="tcwb-slots-far-$$" qpid=""
cleanup() {
	set +e	# every step, whatever the one before it returned
	if [ -n "$qpid" ]; then
		kill "$qpid" 2>/dev/null
		wait "$qpid" 2>/dev/null
	fi
	ip netns del "$vm" 2>/dev/null
	ip netns del "$far" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
for ns in "$vm" "$far"; do
	ip netns add "$ns"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n "$ns" link set lo up
done

total=$((2 * runs))
macs=""
for k in $(seq "$total"); do
	macs="$macs $("$WRAPPER" --print --count "$k" --mac-seed bench -- q |
		grep -o "id=tcwnic$k,mac=[0-9a-f:]*" | sed 's/.*mac=//')"
done
cat >"$tmp/guest.sh" <<GUEST
set -- $macs
done=""
echo READY
while :; do
	k=0
	for m; do
		k=\$((k + 1))
		case " \$done " in *" \$k "*) continue ;; esac
		for d in /sys/class/net/eth*; do
			[ "\$(cat \$d/address 2>/dev/null)" = "\$m" ] || continue
			e=\${d##*/}
			ip link set \$e up && ip addr add 10.9.\$k.1/24 dev \$e && done="\$done \$k"
		done
	done
	sleep 0.05
done
GUEST
chmod 0644 "$tmp/guest.sh"

ip netns exec "$vm" "$WRAPPER" --helper "$HELPER" --slots "$runs" --mac-seed bench \
	--wait-timeout 5 -- "$top/tests/vm/run-guest.sh" --guest "$GUEST" \
	--script "$tmp/guest.sh" --timeout 900 >"$tmp/vm.log" 2>&1 &
qpid=$!
for _ in $(seq 600); do grep -q READY "$tmp/vm.log" && break; sleep 0.1; done
grep -q READY "$tmp/vm.log" || { echo "the guest did not boot"; tail "$tmp/vm.log"; exit 1; }
sleep 2	# the slots' NICs configured in the guest

# late K: make ethK, set it up, ping the guest over it; prints the ms
late() {
	local k=$1 t0 t1
	ip -n "$vm" link add "eth$k" type veth peer name "p$k"
	ip -n "$vm" link set "p$k" netns "$far"
	ip -n "$far" addr add "10.9.$k.2/24" dev "p$k"
	ip -n "$far" link set "p$k" up
	t0=$(date +%s%N)
	ip -n "$vm" link set "eth$k" up
	ip netns exec "$far" ping -q -n -c 1 -i 0.002 -w 30 "10.9.$k.1" >/dev/null
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'; }

for k in $(seq "$runs"); do late "$k"; done >"$tmp/slot.us"
for k in $(seq $((runs + 1)) "$total"); do late "$k"; done >"$tmp/hotplug.us"
slot=$(median <"$tmp/slot.us")
hot=$(median <"$tmp/hotplug.us")
echo "Late links: medians of $runs late links each, one VM (test guest under TCG), $(uname -r), $(nproc) CPUs"
echo
echo "| figure | median (ms) | baseline (ms) | ratio | target |"
echo "|---|---|---|---|---|"
echo "| ethK up -> the guest answers over it, ethK in a slot | $slot | $hot (ethK beyond the slots: hot-plug) | $(awk -v a="$slot" -v b="$hot" 'BEGIN { printf "%.3g", a / b }') | <= 50 |"
grep -c 'appeared; tcw' "$tmp/vm.log" >"$tmp/n"
[ "$(cat "$tmp/n")" = "$runs" ] || echo "(only $(cat "$tmp/n") of $runs slots were wired)"
awk -v s="$slot" 'BEGIN { exit !(s <= 50) }' || echo "(the target was missed in this run)"
