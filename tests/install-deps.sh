#!/bin/sh
# Install the Debian packages tcwire needs to build and to run every test
# (and the lab). Idempotent; needs root. Used by tests/run.sh and .ci/run.
set -eu
PACKAGES="
	meson ninja-build pkg-config gcc libc6-dev
	libglib2.0-dev libnl-3-dev libnl-route-3-dev libcap-ng-dev libjson-glib-dev jq
	iproute2 iputils-ping util-linux libcap2-bin procps strace valgrind ethtool
	qemu-system-x86 qemu-utils python3 busybox-static cpio gzip xz-utils
	libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients
	shellcheck gnuplot-nox sudo python3-yaml curl
	podman runc uidmap slirp4netns fuse-overlayfs catatonit mmdebstrap
	docker.io
"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
# The test guest's kernel is fetched with apt-get download: the package
# lists must know linux-image-amd64
if ! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
fi
[ -z "$missing" ] && exit 0
echo "tcwire: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
