#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build (and cache) the local Debian bookworm base image that the router
# image (contrib/vrnetlab/Dockerfile) is built FROM when no image registry
# is reachable: mmdebstrap a minbase root file system from the same Debian
# mirror that apt uses on this machine, then podman import it.
#
# Usage: build-base.sh [IMAGE]
#   IMAGE defaults to localhost/tcwire-base:bookworm.
#   The root file system is cached as a tarball in
#   ${TCWIRE_BASE_CACHE:-$HOME/.cache/tcwire/base}/bookworm.tar.gz with a
#   stamp (hash of this script); the image carries the same stamp as a label.
#   If both are current, nothing is done; a current tarball is only imported.
#   TCWIRE_BASE_REBUILD=1 forces a new bootstrap.
#   TCWIRE_BASE_SOURCES: an apt sources file (one-line or deb822) to bootstrap
#   from, instead of the host's own.
#
# The image has apt's sources (the host's) and dpkg excludes for
# documentation, man pages and translations, which later apt-get installs in
# the image honour too (smaller router image).
#
# Needs: root, mmdebstrap, podman, gzip
set -eu

image=${1:-localhost/tcwire-base:bookworm}
cachedir=${TCWIRE_BASE_CACHE:-${HOME:-/root}/.cache/tcwire/base}
tarball=$cachedir/bookworm.tar.gz

log() { echo "build-base: $*" >&2; }
die() { echo "build-base: error: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap --mode=root, rootful podman)"
command -v mmdebstrap >/dev/null || die "mmdebstrap is not installed"
command -v podman >/dev/null || die "podman is not installed"

stamp=$(sha256sum "$0" | cut -c1-16)
podman() { command podman --runtime runc --cgroup-manager cgroupfs "$@"; }

# The host's apt sources for Debian: the deb822 file Debian 12 installs, or
# the classic sources.list
sources=${TCWIRE_BASE_SOURCES:-}
if [ -z "$sources" ]; then
	for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
		if [ -s "$f" ]; then sources=$f; break; fi
	done
fi
[ -n "$sources" ] || die "no apt sources found (set TCWIRE_BASE_SOURCES)"

mkdir -p "$cachedir"
exec 9>"$cachedir/.lock"
flock 9

label() {
	podman image inspect --format '{{ index .Labels "org.tcwire.base-stamp" }}' \
		"$image" 2>/dev/null || true
}
if [ "${TCWIRE_BASE_REBUILD:-0}" != 1 ] && [ "$(label)" = "$stamp" ]; then
	log "up to date: $image"
	exit 0
fi

if [ "${TCWIRE_BASE_REBUILD:-0}" = 1 ] || [ ! -s "$tarball" ] ||
	[ "$(cat "$cachedir/stamp" 2>/dev/null)" != "$stamp" ]; then
	log "bootstrapping Debian bookworm (minbase) from $sources"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcwire-base.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	mmdebstrap --variant=minbase --mode=root --format=tar --quiet \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		bookworm "$tmp/rootfs.tar" "$sources" ||
		die "mmdebstrap failed"
	gzip -1 -n "$tmp/rootfs.tar"
	rm -f "$cachedir/stamp"
	mv -f "$tmp/rootfs.tar.gz" "$tarball"
	echo "$stamp" >"$cachedir/stamp"
fi

log "importing $tarball as $image"
podman import --quiet \
	--change "LABEL org.tcwire.base-stamp=$stamp" \
	--change 'CMD ["/bin/bash"]' \
	--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	"$tarball" "$image" >/dev/null || die "podman import failed"
[ "$(label)" = "$stamp" ] || die "the imported $image has no stamp label"
log "done: $image"
