#!/bin/bash
# Rootless containers: an unprivileged user in its own user and network
# namespace (unshare -Urn) already holds CAP_NET_ADMIN over that netns. The
# plain, non-setuid helper then works with no ACL file at all, and no
# boundary is crossed. /dev/net/tun is 0666 here, as distributions ship it
# (changed in this test's private mount namespace only).
. "$(dirname "$0")/lib-priv.sh"

tun_mode 0666
HELPER=$TMP/bin/tcwire-helper-plain
check "the plain helper is not setuid" test "$(stat -c %a "$HELPER")" = 755
check_absent "the plain helper has no file capabilities" . getcap "$HELPER"

# shellcheck disable=SC2016
out=$(as_user unshare -Urn bash -c '
	ip link set lo up
	ip link add eth1 type veth peer name peer1 || exit 1
	ip link set peer1 up
	"$1/wire-client" --helper "$2" --use-vnet --br eth1 -- \
		sh -c "\"\$1\" --vnet --tap-fd \"\$TCWIRE_TAP_FD\" --peer peer1" sh "$1/frame-check"
	echo "exit=$?"
	tc filter show dev eth1 ingress | grep -c "mirred (Egress Redirect" | sed "s/^/filters=/"
	' sh "$TMP/bin" "$HELPER" 2>&1)
echo "$out" | grep -v '^ok   '
check "helper wires a tap inside the user's own namespaces" grep -qx 'exit=0' <<<"$out"
check "every frame passes, byte-exact" grep -qx '[0-9]* passed, 0 failed' <<<"$out"
check "the partner carries exactly one tcwire filter" grep -qx 'filters=1' <<<"$out"

# Outside a namespace it owns, the same user has no power: a clear refusal
ns_new NS
veth_pair "$NS" eth1 peer1
expect_error "without CAP_NET_ADMIN the plain helper says so and names the install step" \
	"tcwire-helper: uid $TEST_UID has no CAP_NET_ADMIN, and this helper is neither setuid root nor has file capabilities: build with meson setup -Dhelper-permissions=setuid (or =capabilities) and run meson install as root" \
	as_user -n "$NS" "$TMP/bin/wire-client" --helper "$HELPER" --br eth1
finish
