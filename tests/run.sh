#!/bin/sh
# The whole test run: install dependencies, build, run every suite, then
# rebuild with AddressSanitizer + UndefinedBehaviorSanitizer and run the
# unit and namespace suites again. Run as root from the source tree:
#
#	tests/run.sh        (as root)
#
# Suites: unit (no privileges), netns (root, fresh namespaces), privilege
# (setuid/file-capability/rootless helper run as uid 65534), vm (real qemu),
# containers (the router image built and run under podman, rootful,
# rootless and kube play, and under Docker, whose daemon this script
# starts and stops: tests/dockerd.sh; docs/containers.md).
# Extra arguments go to meson test (e.g. --suite netns).
set -eu
cd "$(dirname "$0")/.."

tests/install-deps.sh
[ -d build ] || meson setup build -Dwerror=true
meson compile -C build
# The Docker rows of the containers suite need a Docker daemon: start one
# unless one runs, and stop it (only the one started here) on the way out,
# whatever happens
trap 'tests/dockerd.sh stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tests/dockerd.sh start
meson test -C build --print-errorlogs "$@"
tests/dockerd.sh stop

if [ $# -eq 0 ]; then
	[ -d build-sanitize ] ||
		meson setup build-sanitize -Dwerror=true \
			-Db_sanitize=address,undefined -Db_lundef=false
	meson compile -C build-sanitize
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	TCWIRE_SOAK_CYCLES=300 \
		meson test -C build-sanitize --print-errorlogs --suite unit \
			--suite netns --no-suite no-sanitizer
fi
