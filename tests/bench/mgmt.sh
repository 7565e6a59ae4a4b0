#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Management passthrough throughput (issue 21): TCP from a host on the
# management bridge to a sink in the VM through the passthrough (the VM
# owns eth0's address; tcwire-helper --mgmt), against the two baselines
# measured in the same run: a plain veth (the same sink program in a
# namespace on the same bridge, no VM) and qemu's user networking with
# hostfwd= (vrnetlab's default management path), into the same VM.
#
#	sudo tests/bench/mgmt.sh [MIB] [RUNS]	(default 8 MiB, 3 runs each)
#
# One VM (the test guest, tests/vm, under TCG: no KVM here, so the VM
# paths are bound by the emulated guest) booted by tcwire-qemu as root with
# --mgmt-passthrough and one more NIC on -netdev user,hostfwd=tcp::9001-:9000
# (port 9001 kept local with --mgmt-local-tcp, so it reaches qemu's slirp
# in the container). The sink is busybox nc -ll on port 9000 running cat
# into /dev/null for each connection, in the guest and in the baseline's
# namespace; the sender (python3, in the host's namespace) connects, sends MIB
# MiB, half-closes and waits for the sink to close: that time is the
# figure. Prints a markdown table: medians, and the ratios to each baseline.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${TCWIRE_BUILD:-$top/build}
WRAPPER=$BUILD/qemu-wrapper/tcwire-qemu/tcwire-qemu
HELPER=$BUILD/helper/tcwire-helper
mib=${1:-8}
runs=${2:-3}
case $mib$runs in *[!0-9]*|'') echo "usage: $0 [MIB] [RUNS]" >&2; exit 2 ;; esac
if [ "$(id -u)" != 0 ] || ! command -v qemu-system-x86_64 >/dev/null ||
	! command -v busybox >/dev/null; then
	echo "SKIP: needs root, qemu-system-x86_64 and busybox"; exit 77
fi
GUEST=${TCWIRE_GUEST_DIR:-/var/tmp/tcwire-guest}
"$top/tests/vm/build-guest.sh" "$GUEST" >/dev/null

tmp=$(mktemp -d /tmp/tcwire-bench-mgmt.XXXXXX)
vm="tcwb-mgmt-vm-$$" mg="tcwb-mgmt-mg-$$" host="tcwb-mgmt-host-$$" plain="tcwb-mgmt-plain-$$"
qpid="" spid=""
cleanup() {
	set +e	# every step, whatever the one before it returned
	for p in $qpid $spid; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for ns in "$vm" "$mg" "$host" "$plain"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
for ns in "$vm" "$mg" "$host" "$plain"; do
	ip netns add "$ns"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n "$ns" link set lo up
done
ip -n "$mg" link add br0 type bridge
ip -n "$mg" addr add 172.20.22.1/24 dev br0
ip -n "$mg" link set br0 up
# port NS IF ADDRESS: IF in NS on the bridge, with ADDRESS/24
port() {
	ip -n "$mg" link add "p-$2-$$" type veth peer name "$2" netns "$1"
	ip -n "$mg" link set "p-$2-$$" master br0 up
	ip -n "$1" addr add "$3/24" dev "$2"
	ip -n "$1" link set "$2" up
}
port "$vm" eth0 172.20.22.2
port "$host" h0 172.20.22.9
port "$plain" v0 172.20.22.3
ip -n "$vm" route add default via 172.20.22.1
mac=$(ip netns exec "$vm" cat /sys/class/net/eth0/address)

cat >"$tmp/guest.sh" <<GUEST
for d in /sys/class/net/eth*; do
	case "\$(cat \$d/address)" in
	$mac) ip link set \${d##*/} up; ip addr add 172.20.22.2/24 dev \${d##*/} ;;
	52:54:00:12:34:56) ip link set \${d##*/} up; ip addr add 10.0.2.15/24 dev \${d##*/} ;;
	esac
done
ip route add default via 172.20.22.1
# slirp keeps the host's address as the source of a forwarded connection:
# answers from the user network's address go back through slirp, as in a
# VM whose management is user networking (its default route)
ip rule add from 10.0.2.15 table 100
ip route add default via 10.0.2.2 table 100
printf '#!/bin/sh\nexec cat >/dev/null\n' >/tmp/sink
chmod +x /tmp/sink
nc -ll -p 9000 -e /tmp/sink &
ping -c 1 -W 5 10.0.2.2 >/dev/null && echo "slirp answers"
echo READY
while :; do sleep 3600; done
GUEST
chmod 0644 "$tmp/guest.sh"

ip netns exec "$vm" "$WRAPPER" --helper "$HELPER" --mgmt-passthrough --count 0 \
	--mgmt-local-tcp 5000-5007,9001 -- "$top/tests/vm/run-guest.sh" --guest "$GUEST" \
	--script "$tmp/guest.sh" --timeout 900 -- \
	-netdev user,id=u,hostfwd=tcp::9001-:9000 \
	-device virtio-net-pci,netdev=u,mac=52:54:00:12:34:56 >"$tmp/vm.log" 2>&1 &
qpid=$!
# the baseline's sink: the same program, on a plain veth of the same bridge
printf '#!/bin/sh\nexec cat >/dev/null\n' >"$tmp/sink"
chmod 0755 "$tmp/sink"
ip netns exec "$plain" busybox nc -ll -p 9000 -e "$tmp/sink" &
spid=$!
for _ in $(seq 1200); do grep -q READY "$tmp/vm.log" && break; sleep 0.1; done
grep -q READY "$tmp/vm.log" || { echo "the guest did not boot"; tail "$tmp/vm.log"; exit 1; }

cat >"$tmp/send.py" <<'PY'
import socket, sys, time
host, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
buf = b"\0" * 65536
for _ in range(600):		# the sink's loop may be between two listens
    try:
        s = socket.create_connection((host, port), timeout=120)
        break
    except OSError:
        time.sleep(0.05)
t0 = time.monotonic()
left = size
try:
    while left:
        left -= s.send(buf[:min(left, len(buf))])
    s.shutdown(socket.SHUT_WR)
    while s.recv(4096):
        pass
except OSError as e:
    sys.exit("%s:%d: %s after %d of %d bytes" % (host, port, e, size - left, size))
print("%.2f" % (size * 8 / (time.monotonic() - t0) / 1e6))
PY
# rate ADDRESS PORT: Mbit/s of one transfer from the host
rate() { ip netns exec "$host" python3 "$tmp/send.py" "$1" "$2" $((mib << 20)); }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3g", a / b }'; }

ip netns exec "$host" python3 "$tmp/send.py" 172.20.22.2 9000 1048576 >/dev/null	# warm-up
for _ in $(seq "$runs"); do
	rate 172.20.22.3 9000 >>"$tmp/veth"
	rate 172.20.22.2 9000 >>"$tmp/pass"
	rate 172.20.22.2 9001 >>"$tmp/user"
done
veth=$(median <"$tmp/veth")
pass=$(median <"$tmp/pass")
user=$(median <"$tmp/user")
echo "Management path: TCP, $mib MiB a transfer, medians of $runs, one VM (test guest under TCG), $(uname -r), $(nproc) CPUs"
echo
echo "| path into the VM's management | Mbit/s | vs. user networking (hostfwd) | vs. plain veth (no VM) |"
echo "|---|---|---|---|"
echo "| tcwire passthrough (u32 + mirred, eth0's address) | $pass | $(ratio "$pass" "$user") | $(ratio "$pass" "$veth") |"
echo "| qemu user networking, hostfwd= (vrnetlab's default) | $user | 1 | $(ratio "$user" "$veth") |"
echo "| plain veth on the same bridge, no VM (baseline) | $veth | - | 1 |"
