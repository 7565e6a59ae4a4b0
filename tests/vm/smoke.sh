#!/bin/bash
# Real qemu, real guest: qemu runs as an unprivileged user with
#   -netdev tap,br=eth1,helper=<setuid tcwire-helper>
# boots the test guest (TCG) and pings a peer namespace over the wire.
. "$(dirname "$0")/../privilege/lib-priv.sh"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed"

GUEST=${TCWIRE_GUEST_DIR:-/var/tmp/tcwire-guest}
"$TCWIRE_SOURCE_ROOT/tests/vm/build-guest.sh" "$GUEST" >"$TMP/guest.log" 2>&1 ||
	{ cat "$TMP/guest.log"; echo "FAIL: cannot build the test guest"; exit 1; }
chmod -R a+rX "$GUEST"
cp "$TCWIRE_SOURCE_ROOT/tests/vm/run-guest.sh" "$TMP/bin/"

HELPER=$(install_helper setuid) || { echo "FAIL: meson install"; exit 1; }
mkdir -p "$ACL_DIR"
echo "allow eth1" >"$ACL"
tun_mode 0600

# The container (NS) with its data link eth1; the far end in NS-far
ns_new NS
veth_pair "$NS" eth1 peer1
ip netns add "$NS-far"
at_exit ip netns del "$NS-far"
ip -n "$NS" link set peer1 netns "$NS-far"
ip -n "$NS-far" addr add 10.88.0.2/24 dev peer1
ip -n "$NS-far" link set peer1 up

cat >"$TMP/guest.sh" <<'GUEST'
set -e
ip link show eth0 | grep -q 52:54:00:12:34:56
ip link set eth0 up
ip addr add 10.88.0.1/24 dev eth0
ping -c 3 -W 3 10.88.0.2
echo "guest: ping over the tcwire link works"
GUEST
chmod 0644 "$TMP/guest.sh"

in_ns "$NS" setpriv --reuid="$TEST_UID" --regid="$TEST_GID" --clear-groups \
	--inh-caps=-all "$TMP/bin/run-guest.sh" --guest "$GUEST" \
	--script "$TMP/guest.sh" --timeout 120 -- \
	-netdev "tap,id=n1,br=eth1,helper=$HELPER" \
	-device virtio-net-pci,netdev=n1,mac=52:54:00:12:34:56 >"$TMP/console" 2>&1
rc=$?
sed 's/^/    | /' "$TMP/console"
check "qemu as uid $TEST_UID with helper=tcwire-helper boots and pings the peer" test "$rc" = 0
check "after qemu exited its tap is gone" \
	bash -c "! ip -n '$NS' -o link show | grep -q ': tcw'"
finish
