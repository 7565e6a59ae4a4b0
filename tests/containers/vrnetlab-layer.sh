#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/vrnetlab/Dockerfile.layer on a vrnetlab image: an image built as
# vrnetlab builds a NOS's (Debian, qemu, vrnetlab's common/vrnetlab.py and
# healthcheck.py from VRNETLAB_SRC and a launch.py at /, launch.py the
# entrypoint, as root), whose launch.py boots the test guest
# (tests/vm/vrnetlab-launch.py), gets the layer; a container of the result,
# with podman's default capabilities plus NET_ADMIN and /dev/net/tun, runs
# in mode tcwire (CONNECTION_MODE, as containerlab sets it): vrnetlab's
# healthcheck.py says running, qemu runs as vr (uid 1000) with no
# capability, and frames cross the guest between eth1 and eth2 both ways,
# byte for byte. Without the sysctl that lets vr bind port 22 (podman does
# not set it, /proc/sys is read-only), the mode refuses with one line.
. "$(dirname "$0")/lib-containers.sh"
command -v python3 >/dev/null || skip "python3 is not installed"
VRNETLAB_SRC=${VRNETLAB_SRC:-$TCWIRE_SOURCE_ROOT/../shared/vrnetlab}
[ -f "$VRNETLAB_SRC/common/vrnetlab.py" ] ||
	skip "no vrnetlab at VRNETLAB_SRC=$VRNETLAB_SRC (a srl-labs/vrnetlab checkout)"
CROSS=$TCWIRE_SOURCE_ROOT/tests/tools/frame-cross.py
TAG=$(printf %s "$TCWIRE_SOURCE_ROOT" | md5sum | cut -c1-12)
VR_IMAGE=localhost/tcwire/vrnetlab-guest:test-$TAG
LAYERED=localhost/tcwire/vrnetlab-guest:tcwire-$TAG

GUEST=${TCWIRE_GUEST_DIR:-/var/tmp/tcwire-guest}
"$TCWIRE_SOURCE_ROOT/tests/vm/build-guest.sh" "$GUEST" >"$TMPDIR_TEST/guest.log" 2>&1 ||
	{ cat "$TMPDIR_TEST/guest.log"; echo "FAIL: cannot build the test guest"; exit 1; }
chmod -R a+rX "$GUEST"

# The "vrnetlab image": vrnetlab's files as its Makefile puts them in a
# NOS's image, on the local Debian base
ctx=$TMPDIR_TEST/vrnetlab-image
mkdir -p "$ctx"
cp "$VRNETLAB_SRC/common/vrnetlab.py" "$VRNETLAB_SRC/common/healthcheck.py" "$ctx/"
cp "$TCWIRE_SOURCE_ROOT/tests/vm/vrnetlab-launch.py" "$ctx/launch.py"
cat >"$ctx/Dockerfile" <<EOF
FROM $BASE_IMAGE
RUN apt-get update && apt-get install -y --no-install-recommends \\
        python3 qemu-system-x86 qemu-utils iproute2 \\
 && rm -rf /var/lib/apt/lists/*
RUN mkdir /vm && qemu-img create -q -f qcow2 /vm/disk.qcow2 16M
COPY vrnetlab.py healthcheck.py launch.py /
RUN chmod 0755 /launch.py /healthcheck.py
ENTRYPOINT ["python3", "/launch.py"]
EOF
router_image	# the base image, and the layer cache of the tcwire build stage
build() {
	podman build --network host -f "$ctx/Dockerfile" -t "$VR_IMAGE" "$ctx" &&
		podman build --network host -f "$TCWIRE_SOURCE_ROOT/contrib/vrnetlab/Dockerfile.layer" \
			--build-arg VRNETLAB_IMAGE="$VR_IMAGE" --build-arg BUILD_BASE="$BASE_IMAGE" \
			-t "$LAYERED" "$TCWIRE_SOURCE_ROOT"
}
(flock 8 && build) 8>"$CACHE/.image-lock" >"$TMPDIR_TEST/build.log" 2>&1 ||
	{ tail -n 40 "$TMPDIR_TEST/build.log"; echo "FAIL: cannot build $LAYERED"; exit 1; }
# (podman's cache may skip the RUN that printed apply.sh's line: ask the image)
again=$(podman run --rm --network none --entrypoint sh "$LAYERED" -c \
	'grep -c "^tcwire_vrnetlab.install" /vrnetlab.py; sh /usr/share/tcwire/vrnetlab/apply.sh /' 2>&1)
check "Dockerfile.layer on the vrnetlab image: the mode is in its /vrnetlab.py, once ($(echo "$again" | tr '\n' ' '))" \
	test "$again" = "1
apply.sh: vrnetlab 9b1495fd161d: mode tcwire already there, nothing changed"

cp "$TCWIRE_SOURCE_ROOT/tests/vm/vrnetlab-guest.sh" "$TMPDIR_TEST/guest.sh"
chmod 0644 "$TMPDIR_TEST/guest.sh"

# run NAME [RUN_ARGS...]: a container of the layered image in mode tcwire,
# links eth0..eth2 made after it started; far ends v1b, v2b in netns $FAR
ns_new FAR
run() {
	local name=$1 pid k t=tv$RANDOM
	shift
	podman run -d --name "$name" --hostname "$name" --network none \
		--log-driver k8s-file --log-opt path="$TMPDIR_TEST/$name.log" \
		--cap-add NET_ADMIN --device /dev/net/tun \
		-e CONNECTION_MODE=tcwire -e CLAB_INTFS=2 \
		-v "$GUEST:/vm/guest:ro" -v "$TMPDIR_TEST/guest.sh:/vm/guest.sh:ro" "$@" \
		"$LAYERED" --disk /vm/disk.qcow2 --guest /vm/guest --script /vm/guest.sh \
		>/dev/null || return 1
	at_exit "podman rm -f -t 0 $name"
	pid=$(ctr_pid podman "$name")
	ip link add "$t-0" type veth peer name "$t-m" && link_into "$t-0" "$pid" 0 || return 1
	for k in 1 2; do
		ip link add "$t-$k" type veth peer name "v${k}b" netns "$FAR" &&
			ip -n "$FAR" link set "v${k}b" up && link_into "$t-$k" "$pid" "$k" || return 1
	done
}

# Without the sysctl: one line, the container ends, no qemu ran
bad=$(ctr_name nosysctl)
run "$bad" || { echo "FAIL: cannot start $bad"; exit 1; }
rc=$(wait_exit podman "$bad" 120)
ctr_console "$bad"
want="vrnetlab tcwire mode: GuestVM: qemu runs unprivileged and cannot bind forwarded port 22: net.ipv4.ip_unprivileged_port_start is 1024 and cannot be lowered (Read-only file system); run the container with --sysctl net.ipv4.ip_unprivileged_port_start=0"
check "no sysctl: the mode refuses with one line, exit 1 ($rc)" \
	bash -c "[ '$rc' = 1 ] && [ \"\$(grep -v '^\$' '$TMPDIR_TEST/$bad.console' | tail -n1)\" = '$want' ]"
check "no sysctl: no qemu ran" bash -c "! grep -q 'qemu cmd:' '$TMPDIR_TEST/$bad.console'"
podman rm -f -t 0 "$bad" >/dev/null	# its links go with it

name=$(ctr_name r1)
run "$name" --sysctl net.ipv4.ip_unprivileged_port_start=0 ||
	{ echo "FAIL: cannot start $name"; exit 1; }
ok=0
for _ in $(seq 300); do
	podman exec "$name" python3 /healthcheck.py >/dev/null 2>&1 && { ok=1; break; }
	sleep 1
done
check "vrnetlab's healthcheck.py: $(podman exec "$name" python3 /healthcheck.py 2>&1)" test "$ok" = 1
status=$(qemu_status podman "$name" | tr '\n' ' ')
check "qemu runs as vr (uid 1000) with no capability: $status" \
	test "$status" = "Uid: 1000 1000 1000 1000 CapPrm: 0000000000000000 CapEff: 0000000000000000 CapAmb: 0000000000000000 "
cross() {
	in_ns "$FAR" python3 "$CROSS" v1b v2b >>"$TMPDIR_TEST/cross.log" 2>&1 &&
		in_ns "$FAR" python3 "$CROSS" v2b v1b >>"$TMPDIR_TEST/cross.log" 2>&1
}
check "frames cross the guest, eth1 -> eth2 and back, byte for byte" cross
if [ "$_failures" != 0 ]; then
	show_ctr_log "$name" | tail -n 60
	sed 's/^/    cross | /' "$TMPDIR_TEST/cross.log" 2>/dev/null
fi
finish
