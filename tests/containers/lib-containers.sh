#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shared set-up of the container tests: real containers of the router image
# (contrib/vrnetlab/Dockerfile), built on the local Debian base
# (build-base.sh), wired as containerlab wires them. Sourced by
# tests/containers/*.sh; the lab functions come from contrib/lab/lab-lib.sh.
#
# The engine: podman, or Docker when the test's first argument is
# --engine=docker (meson registers the Docker rows so). $ENGINE is the command the tests run containers with
# (podman, or the function docker below); the functions taking a PODMAN
# argument accept either, or another podman-like command (rootless: rl).
. "$(dirname "$0")/../lib.sh"
require_root
ENGINE=podman
if [ "${1:-}" = --engine=docker ]; then
	ENGINE=docker
fi
for c in podman runc mmdebstrap nsenter runuser; do
	command -v "$c" >/dev/null || skip "$c is not installed (tests/install-deps.sh)"
done
: "${TCWIRE_QEMU:?run through meson test}"

# docker ARGS...: Debian's own client, /usr/bin/docker (20.10, docker.io),
# not whatever comes first in PATH (here a static Docker 28 client in
# /usr/local/bin): the client that ships with the daemon under test, whose
# default builder is the legacy one, as a Debian 12 user has it
docker() { /usr/bin/docker "$@"; }
if [ "$ENGINE" = docker ]; then
	[ -x /usr/bin/docker ] || skip "docker.io is not installed (tests/install-deps.sh)"
	timeout 20 /usr/bin/docker version >/dev/null 2>&1 ||
		skip "no Docker daemon answers (tests/run.sh starts one: tests/dockerd.sh start)"
fi

# The router image of this source tree: tagged by the tree's path, so that
# two checkouts testing at once (a CI clone beside a work tree) never run
# each other's image
IMAGE=localhost/tcwire/vr-router:test-$(printf %s "$TCWIRE_SOURCE_ROOT" | md5sum | cut -c1-12)
BASE_IMAGE=localhost/tcwire-base:bookworm
CACHE=${TCWIRE_BASE_CACHE:-${HOME:-/root}/.cache/tcwire/base}
chmod 0755 "$TMPDIR_TEST"

# This machine's cgroups are hybrid (crun refuses them) and its bounding set
# lacks CAP_SYS_RESOURCE (podman's default nofile limit cannot be set):
# runc, cgroupfs and limits no higher than the caller's, for every podman
# command the tests run, kube play included
export CONTAINERS_CONF=$TMPDIR_TEST/containers.conf
cat >"$CONTAINERS_CONF" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
EOF
chmod 0644 "$CONTAINERS_CONF"

LAB_DIR=$TMPDIR_TEST
# Where router_run's log driver writes (the rootless test points it at a
# directory its user owns)
CTR_LOGS=$TMPDIR_TEST
LAB_QEMU_WRAPPER=$TCWIRE_QEMU
lab_cleanup_add() { at_exit "$@"; }
# shellcheck source=contrib/lab/lab-lib.sh
. "$TCWIRE_SOURCE_ROOT/contrib/lab/lab-lib.sh"

# router_image: build the base image (cached) and the router image from
# this source tree with $ENGINE; the layer cache makes a rebuild of an
# unchanged tree take seconds. Serialised: the tests of the suite may run
# at once. Docker: the legacy builder (docker.io's default); the base is
# the tarball build-base.sh caches, docker imported.
router_image() {
	local log=$TMPDIR_TEST/image-build.log
	mkdir -p "$CACHE"
	(
		flock 8
		"$TCWIRE_SOURCE_ROOT/tests/containers/build-base.sh" "$BASE_IMAGE" || exit 1
		if [ "$ENGINE" = docker ]; then
			docker_base && DOCKER_BUILDKIT=0 image_build docker "$IMAGE"
		else
			image_build podman "$IMAGE"
		fi
	) 8>"$CACHE/.image-lock" >"$log" 2>&1 ||
		{ cat "$log"; echo "FAIL: cannot build $IMAGE"; exit 1; }
}

# image_build ENGINE TAG [ARGS...]: build the router image of this tree as
# TAG, the context's exclusions from its .dockerignore
image_build() {
	local e=$1 tag=$2
	shift 2
	"$e" build --quiet --network host \
		-f "$TCWIRE_SOURCE_ROOT/contrib/vrnetlab/Dockerfile" \
		--build-arg BASE="$BASE_IMAGE" -t "$tag" "$@" "$TCWIRE_SOURCE_ROOT"
}

# docker_base: the base image in Docker's store: build-base.sh's cached
# root file system tarball, docker imported with the settings and stamp
# label build-base.sh gives podman's, when Docker's copy lacks the stamp
docker_base() {
	local stamp
	stamp=$(cat "$CACHE/stamp") || return 1
	[ "$(docker image inspect --format '{{ index .Config.Labels "org.tcwire.base-stamp" }}' \
		"$BASE_IMAGE" 2>/dev/null)" = "$stamp" ] && return 0
	docker import --change "LABEL org.tcwire.base-stamp=$stamp" \
		--change 'CMD ["/bin/bash"]' \
		--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		"$CACHE/bookworm.tar.gz" "$BASE_IMAGE"
}

# ctr_name ROLE: a container name unique to this test run
ctr_name() { echo "tcwt-$TEST_NAME-$$-$1"; }

# router_run PODMAN NAME RUN_ARGS...: start a router container of $IMAGE
# detached with the podman command PODMAN (e.g. "podman", or docker),
# hostname NAME, console log in $TMPDIR_TEST/NAME.log (podman; Docker keeps
# its own, see ctr_console); removed at exit
router_run() {
	local pm=$1 name=$2 logs
	shift 2
	logs=(--log-driver k8s-file --log-opt path="$CTR_LOGS/$name.log")
	[ "$pm" = docker ] && logs=()
	$pm run -d --name "$name" --hostname "$name" "${logs[@]}" \
		"$@" "$IMAGE" >/dev/null || return 1
	at_exit ctr_remove "$pm" "$name"
}

# ctr_pid PODMAN NAME: the host pid of the container's first process
ctr_pid() { $1 inspect --format '{{.State.Pid}}' "$2"; }

# ctr_remove PODMAN NAME: remove the container NAME, running or not, at once
ctr_remove() {
	if [ "$1" = docker ]; then
		docker rm -f "$2" >/dev/null
	else
		$1 rm -f -t 0 "$2" >/dev/null
	fi
}

# ctr_ns VAR: a fresh network namespace that a router container can join
# (ctr_ns_net), its name in VAR, usable as a named namespace (ip -n).
# podman joins a named namespace; Docker only another container's: there
# it is that of a holder container (sleeping, no network), attached as
# the named namespace (ip netns attach). Both removed at exit.
ctr_ns() {
	if [ "$ENGINE" != docker ]; then
		ns_new "$1"
		return
	fi
	local name="tcwt-${TEST_NAME:0:10}-$$-$RANDOM"
	docker run -d --name "$name" --network none --entrypoint sleep "$IMAGE" infinity \
		>/dev/null || { echo "FAIL: cannot start the holder container $name"; exit 1; }
	at_exit ctr_remove docker "$name"
	ip netns attach "$name" "$(ctr_pid docker "$name")" ||
		{ echo "FAIL: cannot attach $name's network namespace"; exit 1; }
	at_exit ip netns del "$name"
	in_ns "$name" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	printf -v "$1" %s "$name"
}

# ctr_ns_net NS: the run option that puts a container into ctr_ns's NS
ctr_ns_net() {
	if [ "$ENGINE" = docker ]; then
		echo "--network=container:$1"
	else
		echo "--network=ns:/run/netns/$1"
	fi
}

# clab_link PID_A K_A PID_B K_B [MTU]: a link as containerlab makes one,
# after the containers started: a veth pair in the host (both ends MTU
# bytes, if given), each end moved into a container's network namespace (by
# pid) and named ethK there, up
clab_link() {
	local t=tl$RANDOM$RANDOM mtu=()
	[ -z "${5:-}" ] || mtu=(mtu "$5")
	ip link add "$t-a" "${mtu[@]}" type veth peer name "$t-b" "${mtu[@]}" || return 1
	link_into "$t-a" "$1" "$2" && link_into "$t-b" "$3" "$4"
}

# link_into DEV PID K: move host DEV into the netns of PID as ethK, up
link_into() {
	ip link set "$1" netns "$2" &&
		nsenter -t "$2" -n ip link set "$1" name "eth$3" &&
		nsenter -t "$2" -n ip link set "eth$3" up
}

# in_ctr_net PID CMD...: run CMD (a host binary) in the container's netns
in_ctr_net() { local p=$1; shift; nsenter -t "$p" -n "$@"; }

# qemu_status PODMAN NAME [FIELDS]: uid and capabilities (or the
# /proc/PID/status fields FIELDS, an extended regex) of the container's qemu
qemu_status() {
	$1 exec "$2" sh -c 'for p in /proc/[0-9]*; do
		[ "$(cat $p/comm 2>/dev/null)" = qemu-system-x86 ] || continue
		grep -E "^($0):" $p/status | tr -s "\t " " "
	done' "${3:-Uid|CapEff|CapPrm|CapAmb}"
}

# qemu_unprivileged NAME: check that the qemu of the container NAME ($ENGINE)
# runs as vr (uid 1000), without any capability or supplementary group (but
# vr's own, which runtimes add for --user 1000)
qemu_unprivileged() {
	local status
	status=$(qemu_status "$ENGINE" "$1" "Uid|Groups|CapEff|CapPrm|CapAmb")
	check "$1: qemu runs as vr (uid 1000) with no capability and no supplementary group" \
		bash -c 'grep -q "^Uid: 1000 1000 1000 1000" <<<"$1" &&
			grep -Eq "^Groups: *(1000 *)?$" <<<"$1" &&
			grep -q "^CapEff: 0000000000000000" <<<"$1" &&
			grep -q "^CapPrm: 0000000000000000" <<<"$1" &&
			grep -q "^CapAmb: 0000000000000000" <<<"$1"' sh "$status"
	[ "${_failures:-0}" = 0 ] || echo "    qemu: $status"
}

# wait_exit PODMAN NAME SECONDS: the container's exit status once it ended
wait_exit() {
	local i
	for ((i = 0; i < $3; i++)); do
		[ "$($1 inspect --format '{{.State.Running}}' "$2")" = false ] && break
		sleep 1
	done
	$1 inspect --format '{{.State.ExitCode}}' "$2"
}

# ctr_console NAME: the container's output as it printed it, in
# $TMPDIR_TEST/NAME.console. podman's log driver stores "TIME STREAM F|P
# TEXT" records and splits a line the serial console sent in pieces into P
# (partial) records: join them again. Docker (no such log file): docker logs.
ctr_console() {
	if [ "$ENGINE" = docker ] && [ ! -e "$CTR_LOGS/$1.log" ]; then
		docker logs "$1" 2>&1 | tr -d '\r' >"$TMPDIR_TEST/$1.console"
		return
	fi
	awk '{ t = $0; sub(/^[^ ]* [^ ]* [FP] ?/, "", t); sub(/\r$/, "", t)
		buf = buf t; if ($3 == "F") { print buf; buf = "" } }
		END { if (buf != "") print buf }' \
		"$CTR_LOGS/$1.log" >"$TMPDIR_TEST/$1.console" 2>/dev/null
}

# ctr_wait_log NAME PATTERN SECONDS: wait until the container printed a
# line matching PATTERN
ctr_wait_log() {
	local i
	for ((i = 0; i < $3 * 2; i++)); do
		ctr_console "$1"
		grep -q -- "$2" "$TMPDIR_TEST/$1.console" && return 0
		sleep 0.5
	done
	return 1
}

# ctr_has_line NAME PATTERN: the container printed a line matching PATTERN
ctr_has_line() { ctr_console "$1"; grep -q -- "$2" "$TMPDIR_TEST/$1.console"; }

# wait_qemu PODMAN NAME SECONDS: wait until the container's qemu runs
wait_qemu() {
	local i
	for ((i = 0; i < $3 * 2; i++)); do
		[ -n "$(qemu_status "$1" "$2" 2>/dev/null)" ] && return 0
		sleep 0.5
	done
	return 1
}

# show_ctr_log NAME: the container's console, indented, for the test log
show_ctr_log() { ctr_console "$1"; sed 's/^/    | /' "$TMPDIR_TEST/$1.console"; }

# lacp_lab PODMAN QEMU_CHECK RUN_ARGS...: the two-router LACP lab in real
# containers started by PODMAN with RUN_ARGS (the grants under test). The
# containers start first and wait; then each link is made as containerlab
# makes it (clab_link). Checks: no qemu before the links; each qemu passes
# the function QEMU_CHECK NAME (who it runs as); every ethK carries exactly
# one redirect to the VM's tap; LACP bundles both links with the other VM as
# partner, ping passes over the bond; the containers exit 0 with the guests.
lacp_lab() {
	local pm=$1 qemu_check=$2 id name c dev p1 p2 r1 r2 mac_r1 mac_r2
	shift 2
	lab_bond_scripts ctr 60
	r1=$(ctr_name r1)
	r2=$(ctr_name r2)
	for id in 1 2; do
		name=$(ctr_name "r$id")
		router_run "$pm" "$name" --network none "$@" \
			-e CLAB_INTFS=2 -e VM_MAC_SEED="lab-r$id" \
			-e VM_GUEST_SCRIPT="$(cat "$LAB_DIR/ctr-r$id.sh")" ||
			{ echo "FAIL: cannot start $name"; exit 1; }
	done
	p1=$(ctr_pid "$pm" "$r1")
	p2=$(ctr_pid "$pm" "$r2")
	ctr_wait_log "$r1" "waiting for 2 data interface" 30
	ctr_wait_log "$r2" "waiting for 2 data interface" 30
	sleep 1
	check "the entrypoints wait for the links: no qemu yet" \
		test -z "$(qemu_status "$pm" "$r1")$(qemu_status "$pm" "$r2")"
	if ! clab_link "$p1" 1 "$p2" 1 || ! clab_link "$p1" 2 "$p2" 2; then
		echo "FAIL: cannot create the links"
		exit 1
	fi

	for c in "$r1:$p1" "$r2:$p2"; do
		wait_qemu "$pm" "${c%%:*}" 60
		"$qemu_check" "${c%%:*}"
		for dev in eth1 eth2; do
			check "${c%%:*}: $dev carries exactly one tcwire redirect, to the VM's tap" \
				test "$(in_ctr_net "${c#*:}" tc filter show dev "$dev" ingress |
					grep -c 'mirred (Egress Redirect to device tcw')" = 1
		done
	done

	mac_r1=$(lab_mac lab-r1 1)
	mac_r2=$(lab_mac lab-r2 1)
	ctr_wait_log "$r1" "REPORT r1" 180
	ctr_wait_log "$r2" "REPORT r2" 60
	check "r1's LACP partner is r2's bond ($mac_r2), both links bundled, ping ok" \
		ctr_has_line "$r1" "REPORT r1 partner=$mac_r2 .*ports=2 ping=ok"
	check "r2's LACP partner is r1's bond ($mac_r1), both links bundled, ping ok" \
		ctr_has_line "$r2" "REPORT r2 partner=$mac_r1 .*ports=2 ping=ok"
	check "r1's container exits 0 with its guest" test "$(wait_exit "$pm" "$r1" 60)" = 0
	check "r2's container exits 0 with its guest" test "$(wait_exit "$pm" "$r2" 60)" = 0
	if [ "$_failures" != 0 ]; then
		for c in "$r1" "$r2"; do echo "--- $c"; show_ctr_log "$c"; done
	fi
}
