#!/bin/bash
# The least privilege a rootful router container needs, found by
# experiment, and the one line each common misconfiguration gets. Every
# case is a real podman container of the router image whose entrypoint
# wires eth1 (in a namespace the test made, so that its state can be
# compared after the container is gone) and boots the test guest.
#  - works: --cap-drop=ALL plus NET_ADMIN alone, with this host's 0600
#    /dev/net/tun (the setuid helper opens it as root, its owner) and with
#    a 0666 node (the usual host); podman's default set plus NET_ADMIN; a
#    read-only root file system; the image's helper with the file
#    capability cap_net_admin+ep instead of setuid, with a 0666 node
#  - fails with the cause and the fix, exit status 3 (tcwire-qemu: helper
#    failed) and nothing left behind: that file-capability helper with a
#    0600 node (it opens it as the caller); no NET_ADMIN in the bounding
#    set; no-new-privileges; no /dev/net/tun; the helper on a nosuid mount
. "$(dirname "$0")/lib-containers.sh"
command -v setcap >/dev/null || skip "setcap (libcap2-bin) is not installed"

router_image
TUN666=$TMPDIR_TEST/tun666
mknod -m 0666 "$TUN666" c 10 200
NOSUID=$TMPDIR_TEST/nosuid
mkdir -m 0755 "$NOSUID"
install -o root -g root -m 4755 "$TCWIRE_HELPER" "$NOSUID/tcwire-helper"
# The image's own helper, with cap_net_admin+ep instead of the setuid bit
FCAPS=$TMPDIR_TEST/fcaps
mkdir -m 0755 "$FCAPS"
if ! podman run --rm --user 0 --network none --entrypoint cat "$IMAGE" \
	/usr/libexec/tcwire-helper >"$FCAPS/tcwire-helper" ||
	! chmod 0755 "$FCAPS/tcwire-helper" ||
	! setcap cap_net_admin+ep "$FCAPS/tcwire-helper"; then
	echo "FAIL: cannot make a file-capability copy of the image's helper"
	exit 1
fi

# run_case NS RUN_ARGS...: run a router container wiring eth1 of NS until
# its guest printed one line; its output in $out, its exit status in $rc
run_case() {
	local ns=$1
	shift
	out=$(timeout 180 podman run --rm --network "ns:/run/netns/$ns" "$@" \
		-e CLAB_INTFS=1 -e VM_WAIT_TIMEOUT=10 \
		-e VM_GUEST_SCRIPT='ip link show eth0 >/dev/null && echo GUEST-HAS-ETH0' \
		"$IMAGE" 2>&1)
	rc=$?
}

# works WHAT RUN_ARGS...: eth1 is wired to the guest's eth0, exit 0
works() {
	local what=$1 ns
	shift
	ns_new ns
	veth_pair "$ns" eth1 peer1
	run_case "$ns" "$@"
	if [ "$rc" = 0 ] && grep -q '^GUEST-HAS-ETH0' <<<"$out"; then
		ok "works: $what"
	else
		fail "works: $what: exit $rc: $out"
	fi
}

# refused WHAT LINE RUN_ARGS...: the helper prints LINE, the container
# exits 3, and the namespace is as before (no tap, qdisc or filter)
refused() {
	local what=$1 want=$2 ns before
	shift 2
	ns_new ns
	veth_pair "$ns" eth1 peer1
	before=$(snapshot "$ns")
	run_case "$ns" "$@"
	if [ "$rc" != 3 ]; then
		fail "refused: $what: exit status $rc, not 3: $out"
	elif ! grep -qxF -- "$want" <<<"$out"; then
		fail "refused: $what: wanted '$want', got: $out"
	else
		ok "refused: $what: one line, exit 3"
	fi
	same_state "refused: $what" "$before" "$(snapshot "$ns")"
}

works "--cap-drop=ALL --cap-add=NET_ADMIN --device /dev/net/tun (this host's, 0600)" \
	--cap-drop=ALL --cap-add=NET_ADMIN --device /dev/net/tun
works "--cap-drop=ALL --cap-add=NET_ADMIN --device of a 0666 /dev/net/tun" \
	--cap-drop=ALL --cap-add=NET_ADMIN --device "$TUN666:/dev/net/tun"
works "podman's default capabilities --cap-add=NET_ADMIN --device /dev/net/tun" \
	--cap-add=NET_ADMIN --device /dev/net/tun
works "a read-only root file system (--read-only)" \
	--read-only --cap-drop=ALL --cap-add=NET_ADMIN --device /dev/net/tun
works "file capabilities: --cap-drop=ALL --cap-add=NET_ADMIN --device of a 0666 /dev/net/tun" \
	--cap-drop=ALL --cap-add=NET_ADMIN --device "$TUN666:/dev/net/tun" \
	-v "$FCAPS:/opt/tcwire:ro" -e TCWIRE_HELPER=/opt/tcwire/tcwire-helper

refused "file capabilities with this host's 0600 /dev/net/tun" \
	"tcwire-helper: /dev/net/tun: cannot open: Permission denied (mode 0600: make it 0666, or install the helper setuid root, which opens it as its owner)" \
	--cap-drop=ALL --cap-add=NET_ADMIN --device /dev/net/tun \
	-v "$FCAPS:/opt/tcwire:ro" -e TCWIRE_HELPER=/opt/tcwire/tcwire-helper
refused "no NET_ADMIN in the bounding set" \
	"tcwire-helper: CAP_NET_ADMIN is not in the capability bounding set, so the setuid helper gains nothing: add it (--cap-add=NET_ADMIN; Kubernetes: capabilities.add: [NET_ADMIN])" \
	--device /dev/net/tun
refused "no-new-privileges" \
	"tcwire-helper: no_new_privs is set, so the kernel ignored the helper's setuid bit or file capability: run without it (no --security-opt no-new-privileges; Kubernetes: allowPrivilegeEscalation: true)" \
	--security-opt no-new-privileges --cap-add=NET_ADMIN --device "$TUN666:/dev/net/tun"
refused "no /dev/net/tun in the container" \
	"tcwire-helper: /dev/net/tun: cannot open: No such file or directory (the container has no such device: pass it with --device /dev/net/tun; Kubernetes: a hostPath CharDevice or a device plugin)" \
	--cap-add=NET_ADMIN
refused "the helper on a nosuid mount" \
	"tcwire-helper: the helper is on a nosuid mount, so the kernel ignored its setuid bit or file capability: install it on a file system mounted without nosuid" \
	--cap-add=NET_ADMIN --device /dev/net/tun \
	-v "$NOSUID:/opt/tcwire:ro,nosuid" -e TCWIRE_HELPER=/opt/tcwire/tcwire-helper
finish
