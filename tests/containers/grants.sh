#!/bin/bash
# The least privilege a rootful router container needs, found by
# experiment, and the one line each common misconfiguration gets, under
# podman or, with --engine=docker, Docker. Every case is a real
# container of the router image whose entrypoint wires eth1 (in a
# namespace the test made, so that its state can be compared after the
# container is gone: ctr_ns) and boots the test guest.
#  - works, with qemu as vr (uid 1000) holding no capability and no
#    supplementary group: --cap-drop=ALL plus NET_ADMIN (the setuid
#    helper), SETUID and SETGID (the entrypoint, started as root, switches
#    to vr), with this host's 0600 /dev/net/tun (the setuid helper opens it
#    as root, its owner); --user 1000 --cap-drop=ALL plus NET_ADMIN alone,
#    with the 0600 node and with a 0666 node (the usual host); the
#    engine's default set plus NET_ADMIN; --privileged; a read-only root
#    file system; the image's helper with the file capability
#    cap_net_admin+ep instead of setuid, with a 0666 node
#  - fails with the cause and the fix, exit status 3 (tcwire-qemu: helper
#    failed) and nothing left behind: that file-capability helper with a
#    0600 node (it opens it as the caller); no NET_ADMIN in the bounding
#    set; no-new-privileges; no /dev/net/tun; the helper on a nosuid mount;
#    and exit status 2 from the entrypoint: started as root without
#    SETUID/SETGID
. "$(dirname "$0")/lib-containers.sh"
command -v setcap >/dev/null || skip "setcap (libcap2-bin) is not installed"

router_image
TUN666=$TMPDIR_TEST/tun666
mknod -m 0666 "$TUN666" c 10 200
# The helper on a nosuid mount: the image's own, installed setuid root on
# a tmpfs mounted nosuid in the container, by a root shell in front of
# launch.sh (a bind mount cannot carry nosuid under Docker: runc remounts
# it without)
NOSUID_CMD=(-c 'install -m 4755 /usr/libexec/tcwire-helper /opt/tcwire/ && exec /usr/local/bin/launch.sh')
# The image's own helper, with cap_net_admin+ep instead of the setuid bit
FCAPS=$TMPDIR_TEST/fcaps
mkdir -m 0755 "$FCAPS"
if ! "$ENGINE" run --rm --user 0 --network none --entrypoint cat "$IMAGE" \
	/usr/libexec/tcwire-helper >"$FCAPS/tcwire-helper" ||
	! chmod 0755 "$FCAPS/tcwire-helper" ||
	! setcap cap_net_admin+ep "$FCAPS/tcwire-helper"; then
	echo "FAIL: cannot make a file-capability copy of the image's helper"
	exit 1
fi

# The least privilege: as root, switching to vr; as vr from the start
LEAST=(--cap-drop=ALL --cap-add=NET_ADMIN --cap-add=SETUID --cap-add=SETGID)
LEAST_VR=(--user 1000 --cap-drop=ALL --cap-add=NET_ADMIN)

# missing_caps: the capabilities the kernel knows that this host's
# bounding set lacks, as --cap-drop options
missing_caps() {
	local last bnd
	last=$(cat /proc/sys/kernel/cap_last_cap)
	bnd=$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/self/status)
	[ $((0x$bnd)) = $(((1 << (last + 1)) - 1)) ] && return
	capsh --decode="$(printf '%x' $((((1 << (last + 1)) - 1) & ~0x$bnd)))" |
		sed 's/.*=//' | tr , '\n' | sed 's/^cap_//' | tr '[:lower:]' '[:upper:]' |
		sed 's/^/--cap-drop=/'
}

# run_case NS RUN_ARGS...: start a router container wiring eth1 of NS, its
# guest prints one line and ends, with the arguments CASE_CMD after the
# image; the container's name in $name, or
# nothing (and the runtime's error in $run_error) if it did not start
cases=0
CASE_CMD=()
run_case() {
	local ns=$1
	shift
	cases=$((cases + 1))
	name=$(ctr_name "case$cases")
	at_exit ctr_remove "$ENGINE" "$name"
	if ! run_error=$("$ENGINE" run -d --name "$name" "$(ctr_ns_net "$ns")" "$@" \
		-e CLAB_INTFS=1 -e VM_WAIT_TIMEOUT=10 \
		-e VM_GUEST_SCRIPT='ip link show eth0 >/dev/null && echo GUEST-HAS-ETH0' \
		"$IMAGE" "${CASE_CMD[@]}" 2>&1 >/dev/null); then
		name=
	fi
}

# case_end: wait until the container ended; its output in $out, its exit
# status in $rc (125: it did not start)
case_end() {
	if [ -z "$name" ]; then
		rc=125 out="$ENGINE run: $run_error"
		return
	fi
	rc=$(wait_exit "$ENGINE" "$name" 180)
	out=$("$ENGINE" logs "$name" 2>&1 | tr -d '\r')
}

# works WHAT RUN_ARGS...: eth1 is wired to the guest's eth0, qemu runs as
# vr without privileges, exit 0
works() {
	local what=$1 ns
	shift
	ctr_ns ns
	veth_pair "$ns" eth1 peer1
	run_case "$ns" "$@"
	if [ -n "$name" ] && wait_qemu "$ENGINE" "$name" 120; then
		qemu_unprivileged "$name"
	else
		fail "works: $what: no qemu started"
	fi
	case_end
	if [ "$rc" = 0 ] && grep -q '^GUEST-HAS-ETH0' <<<"$out"; then
		ok "works: $what"
	else
		fail "works: $what: exit $rc: $out"
	fi
}

# refused [--status N] WHAT LINE RUN_ARGS...: the container prints LINE,
# exits N (3: tcwire-qemu's "helper failed"), and the namespace is as
# before (no tap, qdisc or filter)
refused() {
	local want_rc=3 what want ns before
	if [ "$1" = --status ]; then
		want_rc=$2
		shift 2
	fi
	what=$1 want=$2
	shift 2
	ctr_ns ns
	veth_pair "$ns" eth1 peer1
	before=$(snapshot "$ns")
	run_case "$ns" "$@"
	case_end
	if [ "$rc" != "$want_rc" ]; then
		fail "refused: $what: exit status $rc, not $want_rc: $out"
	elif ! grep -qxF -- "$want" <<<"$out"; then
		fail "refused: $what: wanted '$want', got: $out"
	else
		ok "refused: $what: one line, exit $want_rc"
	fi
	same_state "refused: $what" "$before" "$(snapshot "$ns")"
}

works "${LEAST[*]} --device /dev/net/tun (this host's, 0600)" \
	"${LEAST[@]}" --device /dev/net/tun
works "${LEAST_VR[*]} --device /dev/net/tun (this host's, 0600)" \
	"${LEAST_VR[@]}" --device /dev/net/tun
works "${LEAST_VR[*]} --device of a 0666 /dev/net/tun" \
	"${LEAST_VR[@]}" --device "$TUN666:/dev/net/tun"
works "$ENGINE's default capabilities --cap-add=NET_ADMIN --device /dev/net/tun" \
	--cap-add=NET_ADMIN --device /dev/net/tun
# --privileged: Docker (20.10) asks runc for every capability it knows,
# and runc fails ("unable to apply caps") where the host's bounding set
# lacks one (this machine's lacks CAP_SYS_RESOURCE); podman gives what
# the host has. There Docker runs the nearest it can: every capability
# the host has, every device, no seccomp, AppArmor or masked paths.
mapfile -t drop < <(missing_caps)
if [ "$ENGINE" = docker ] && [ "${#drop[@]}" != 0 ]; then
	echo "note: this host's bounding set lacks ${drop[*]#--cap-drop=}: Docker's --privileged cannot start here; running its nearest"
	works "--privileged as far as this host allows (Docker: --cap-add=ALL ${drop[*]}, all devices, unconfined)" \
		--cap-add=ALL "${drop[@]}" --device-cgroup-rule='a *:* rwm' \
		--device /dev/net/tun --security-opt seccomp=unconfined \
		--security-opt apparmor=unconfined --security-opt systempaths=unconfined
else
	works "--privileged" --privileged
fi
works "a read-only root file system (--read-only)" \
	--read-only "${LEAST[@]}" --device /dev/net/tun
works "file capabilities: ${LEAST_VR[*]} --device of a 0666 /dev/net/tun" \
	"${LEAST_VR[@]}" --device "$TUN666:/dev/net/tun" \
	-v "$FCAPS:/opt/tcwire:ro" -e TCWIRE_HELPER=/opt/tcwire/tcwire-helper

refused "file capabilities with this host's 0600 /dev/net/tun" \
	"tcwire-helper: /dev/net/tun: cannot open: Permission denied (mode 0600: make it 0666, or install the helper setuid root, which opens it as its owner)" \
	"${LEAST_VR[@]}" --device /dev/net/tun \
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
refused --status 2 "started as root without SETUID and SETGID" \
	"launch.sh: started as root without CAP_SETUID and CAP_SETGID, so it cannot switch to the user vr that runs qemu: add --cap-add=SETUID --cap-add=SETGID (the runtimes' default set has them), or start as that user (--user 1000), or set VM_USER=root (rootless runtimes)" \
	--cap-drop=ALL --cap-add=NET_ADMIN --device /dev/net/tun
CASE_CMD=("${NOSUID_CMD[@]}")
refused "the helper on a nosuid mount" \
	"tcwire-helper: the helper is on a nosuid mount, so the kernel ignored its setuid bit or file capability: install it on a file system mounted without nosuid" \
	--cap-add=NET_ADMIN --device /dev/net/tun --entrypoint sh \
	--tmpfs /opt/tcwire:exec,nosuid,mode=0755 -e TCWIRE_HELPER=/opt/tcwire/tcwire-helper
CASE_CMD=()
finish
