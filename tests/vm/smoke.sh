#!/bin/bash
# Real qemu, real guest: qemu runs as an unprivileged user with
#   -netdev tap,br=eth1,helper=<setuid tcwire-helper>
# boots the test guest (TCG) and pings a peer namespace over the wire.
. "$(dirname "$0")/lib-vm.sh"

# The container (NS) with its data link eth1; the far end in NS-far
container_ns NS 1

guest_script "$TMP/guest.sh" <<'GUEST'
set -e
ip link show eth0 | grep -q 52:54:00:12:34:56
ip link set eth0 up
ip addr add 10.91.1.1/24 dev eth0
ping -c 3 -W 3 10.91.1.2
echo "guest: ping over the tcwire link works"
GUEST

as_user -n "$NS" "$TMP/bin/run-guest.sh" --guest "$GUEST" \
	--script "$TMP/guest.sh" --timeout 120 -- \
	-netdev "tap,id=n1,br=eth1,helper=$HELPER" \
	-device virtio-net-pci,netdev=n1,mac=52:54:00:12:34:56 >"$TMP/console" 2>&1
rc=$?
sed 's/^/    | /' "$TMP/console"
check "qemu as uid $TEST_UID with helper=tcwire-helper boots and pings the peer" test "$rc" = 0
check_absent "after qemu exited its tap is gone" ': tcw' ip -n "$NS" -o link
finish
