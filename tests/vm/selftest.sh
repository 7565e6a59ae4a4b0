#!/bin/sh
# Self-test of the test guest: builds it (cached) and checks that
#  1. two guests joined by qemu -netdev socket can ping each other, and
#  2. a guest can set up 802.3ad bonding via sysfs, an 802.1Q VLAN and a
#     bridge with STP.
# Needs no root once the guest is built.
#
# Usage: selftest.sh [GUESTDIR]   (default: build-guest.sh's default cache)
#
# Needs: qemu-system-x86 busybox-static cpio gzip xz-utils
set -eu

here=$(cd "$(dirname "$0")" && pwd)
guest=${1:-${TCWIRE_GUEST_CACHE:-${HOME:-/root}/.cache/tcwire/guest}}
"$here/build-guest.sh" "$guest"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcwire-selftest.XXXXXX")
pid=""
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() { echo "selftest: FAIL: $*" >&2; exit 1; }

# --- 1. two guests, socket netdev, ping -------------------------------------
cat >"$tmp/a.sh" <<'EOF'
set -eu
echo "guest A: 10.99.0.1/24 on eth0"
ip link set eth0 up
ip addr add 10.99.0.1/24 dev eth0 2>/dev/null || true
echo "guest A: waiting for B to report"
msg=$(timeout 120 nc -l -p 5000 || true)
echo "guest A: B said: $msg"
[ "$msg" = ping-ok ]
EOF
cat >"$tmp/b.sh" <<'EOF'
set -eu
echo "guest B: 10.99.0.2/24 on eth0"
ip link set eth0 up
ip addr add 10.99.0.2/24 dev eth0 2>/dev/null || true
i=0
until ping -c 1 -W 1 10.99.0.1 >/dev/null 2>&1; do
	i=$((i + 1))
	[ "$i" -lt 60 ] || { echo "guest B: no answer from 10.99.0.1"; exit 1; }
done
ping -c 3 10.99.0.1
# A may still be starting nc: retry.
i=0
until echo ping-ok | nc 10.99.0.1 5000; do
	i=$((i + 1))
	[ "$i" -lt 30 ] || exit 1
	sleep 1
done
echo "guest B: done"
EOF

port=$((20000 + $$ % 20000))
nic="virtio-net-pci,netdev=n0,speed=10000,duplex=full"
"$here/run-guest.sh" --guest "$guest" --script "$tmp/a.sh" --timeout 180 -- \
	-netdev "socket,id=n0,listen=127.0.0.1:$port" \
	-device "$nic,mac=52:54:00:99:00:01" >"$tmp/a.log" 2>&1 &
pid=$!
# qemu listens before the guest boots: wait for its first console output
# rather than probing the port (the probe would be taken as the peer).
i=0
until [ -s "$tmp/a.log" ]; do
	i=$((i + 1))
	[ "$i" -lt 300 ] || fail "guest A produced no output"
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/a.log"; fail "guest A died"; }
	sleep 0.1
done
start=$(date +%s)
brc=0
"$here/run-guest.sh" --guest "$guest" --script "$tmp/b.sh" --timeout 180 -- \
	-netdev "socket,id=n0,connect=127.0.0.1:$port" \
	-device "$nic,mac=52:54:00:99:00:02" >"$tmp/b.log" 2>&1 || brc=$?
end=$(date +%s)
arc=0
wait "$pid" || arc=$?
pid=""
sed 's/^/A| /' "$tmp/a.log"
sed 's/^/B| /' "$tmp/b.log"
[ "$brc" = 0 ] || fail "guest B exited $brc"
[ "$arc" = 0 ] || fail "guest A exited $arc"
echo "selftest: ping between two guests OK (guest B took $((end - start)) s)"

# --- 2. bonding / vlan / bridge in one guest -----------------------------
cat >"$tmp/c.sh" <<'EOF'
set -eu
echo "vlan: eth0.10"
ip link add link eth0 name eth0.10 type vlan id 10
grep -q '^eth0.10 *| 10 *| eth0$' /proc/net/vlan/config
ip link del eth0.10

echo "bridge: br0 with stp_state=1"
ip link add br0 type bridge
echo 1 >/sys/class/net/br0/bridge/stp_state
[ "$(cat /sys/class/net/br0/bridge/stp_state)" = 1 ]
ip link del br0

echo "bond: bond0 802.3ad, lacp_rate fast, slave eth0"
[ ! -e /sys/class/net/bond0 ] || { echo "bond0 exists before setup (max_bonds?)"; exit 1; }
echo +bond0 >/sys/class/net/bonding_masters
echo 802.3ad >/sys/class/net/bond0/bonding/mode
echo fast >/sys/class/net/bond0/bonding/lacp_rate
echo 100 >/sys/class/net/bond0/bonding/miimon
ip link set eth0 down
echo +eth0 >/sys/class/net/bond0/bonding/slaves
ip link set bond0 up
cat /sys/class/net/bond0/bonding/mode /sys/class/net/bond0/bonding/lacp_rate \
	/sys/class/net/bond0/bonding/slaves
grep -q '802.3ad 4' /sys/class/net/bond0/bonding/mode
grep -q 'fast 1' /sys/class/net/bond0/bonding/lacp_rate
grep -qx eth0 /sys/class/net/bond0/bonding/slaves
echo "vlan on the bond: bond0.10"
ip link add link bond0 name bond0.10 type vlan id 10
ip link del bond0.10

# eth1 is wired to eth0 (qemu hub): a second 802.3ad bond on it must see
# bond0 as its LACP partner (needs duplex=full on the virtio NICs).
echo "bond: bond1 802.3ad on eth1, expect bond0 as LACP partner"
echo +bond1 >/sys/class/net/bonding_masters
echo 802.3ad >/sys/class/net/bond1/bonding/mode
echo fast >/sys/class/net/bond1/bonding/lacp_rate
echo 100 >/sys/class/net/bond1/bonding/miimon
ip link set eth1 down
echo +eth1 >/sys/class/net/bond1/bonding/slaves
ip link set bond1 up
mac0=$(cat /sys/class/net/bond0/address)
i=0
until [ "$(cat /sys/class/net/bond1/bonding/ad_partner_mac)" = "$mac0" ]; do
	i=$((i + 1))
	[ "$i" -lt 20 ] || { echo "no LACP partner: $(cat /sys/class/net/bond1/bonding/ad_partner_mac)"; exit 1; }
	sleep 1
done
echo "bond1 partner $(cat /sys/class/net/bond1/bonding/ad_partner_mac) after ~${i}s"
echo ok
EOF
"$here/run-guest.sh" --guest "$guest" --script "$tmp/c.sh" --timeout 120 -- \
	-netdev hubport,id=n0,hubid=0 -netdev hubport,id=n1,hubid=0 \
	-device "$nic,mac=52:54:00:99:00:03" \
	-device "virtio-net-pci,netdev=n1,speed=10000,duplex=full,mac=52:54:00:99:00:04" ||
	fail "bond/vlan/bridge guest"
echo "selftest: bonding/vlan/bridge OK"
