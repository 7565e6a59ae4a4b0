#!/bin/bash
# The router image (contrib/vrnetlab/Dockerfile), built on the local base
# (build-base.sh's root file system; Docker: docker imported) by podman or,
# with --engine=docker, by both of Docker's builders: the legacy one
# (docker.io 20.10's default, whose image the other Docker tests run) and
# BuildKit (DOCKER_BUILDKIT=1). Each image ships tcwire-qemu, tcwire
# (status/doctor), the helper setuid root, tc and ip (iproute2, which the
# docs use), and launch.sh as the entrypoint, started as root; the build
# context holds the sources, no .git and no build directory.
. "$(dirname "$0")/lib-containers.sh"

router_image

# image_checks WHAT TAG: TAG's contents and settings
image_checks() {
	local out
	out=$("$ENGINE" run --rm --network none --entrypoint sh "$2" -c '
		stat -c "helper %a %U:%G" /usr/libexec/tcwire-helper
		tcwire --version; tcwire-qemu --version
		tc -V; ip -V; id -u' 2>&1)
	check "$1: the helper is setuid root" grep -qx 'helper 4755 root:root' <<<"$out"
	check "$1: tcwire and tcwire-qemu are there" \
		bash -c 'grep -q "^tcwire [0-9]" <<<"$1" && grep -q "^tcwire-qemu [0-9]" <<<"$1"' sh "$out"
	check "$1: tc and ip (iproute2) are there" \
		bash -c 'grep -q "^tc utility, iproute2" <<<"$1" && grep -q "^ip utility, iproute2" <<<"$1"' sh "$out"
	check "$1: it starts as root" test "$(tail -n 1 <<<"$out")" = 0
	check "$1: the entrypoint is launch.sh" test "$("$ENGINE" image inspect \
		--format '{{json .Config.Entrypoint}}' "$2")" = '["/usr/local/bin/launch.sh"]'
	[ "$_failures" = 0 ] || echo "    $out"
}

# context_checks WHAT [BUILDKIT]: the build stage's /src, built with
# DOCKER_BUILDKIT=BUILDKIT (Docker), has the sources and nothing the
# .dockerignore excludes
context_checks() {
	local what=$1 tag=$IMAGE-context
	if ! (
		flock 8
		[ -z "${2:-}" ] || export DOCKER_BUILDKIT="$2"
		image_build "$ENGINE" "$tag" --target build
	) 8>"$CACHE/.image-lock" >"$TMPDIR_TEST/context.log" 2>&1; then
		cat "$TMPDIR_TEST/context.log"
		fail "$what: cannot build the build stage"
		return
	fi
	at_exit "$ENGINE" rmi "$tag"
	check "$what: the build context has the sources, no .git, no build directory" \
		"$ENGINE" run --rm --network none --entrypoint sh "$tag" -c \
		'test -e /src/meson.build && test ! -e /src/.git && ! ls -d /src/build* 2>/dev/null'
}

if [ "$ENGINE" = docker ]; then
	image_checks "legacy builder" "$IMAGE"
	context_checks "legacy builder" 0
	if (flock 8; DOCKER_BUILDKIT=1 image_build docker "$IMAGE-buildkit") \
		8>"$CACHE/.image-lock" >"$TMPDIR_TEST/buildkit.log" 2>&1; then
		at_exit docker rmi "$IMAGE-buildkit"
		image_checks "BuildKit" "$IMAGE-buildkit"
		context_checks "BuildKit" 1
	else
		cat "$TMPDIR_TEST/buildkit.log"
		fail "BuildKit: cannot build the image"
	fi
else
	image_checks podman "$IMAGE"
	context_checks podman
fi
finish
