#!/bin/sh
# Build (and cache) the tcwire test guest: a Debian kernel plus a busybox
# initramfs whose /init (guest-init.sh) runs a script passed on the kernel
# command line.  See README.md.
#
# Usage: build-guest.sh [OUTDIR]
#   OUTDIR defaults to ${TCWIRE_GUEST_CACHE:-$HOME/.cache/tcwire/guest}.
#   Produces OUTDIR/vmlinuz, OUTDIR/initrd.gz, OUTDIR/vmlinux (the same
#   kernel uncompressed, for fast PVH boots), OUTDIR/kernel-version and
#   OUTDIR/stamp (hash of this script and guest-init.sh).  If those exist and
#   the stamp matches, nothing is done.  TCWIRE_GUEST_REBUILD=1 forces a build.
#
# Optional overrides:
#   TCWIRE_GUEST_KERNEL_DEB  path of a linux-image-6.x .deb to use instead of
#                            apt-get download (offline builds)
#   TCWIRE_BUSYBOX           static busybox binary (default /bin/busybox)
#
# Needs: busybox-static cpio gzip xz-utils apt dpkg coreutils util-linux
#   (xz-utils unpacks the xz-compressed bzImage payload into vmlinux; zstd only
#    if a kernel package ships .ko.zst modules: bookworm's 6.1 ships plain .ko)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
init_src="$here/guest-init.sh"

outdir=${1:-${TCWIRE_GUEST_CACHE:-${HOME:-/root}/.cache/tcwire/guest}}

# Keep this list in sync with MODULES in guest-init.sh.
MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
failover net_failover virtio_net tls bonding llc stp bridge garp mrp 8021q"

log() { echo "build-guest: $*" >&2; }
die() { echo "build-guest: error: $*" >&2; exit 1; }

[ -r "$init_src" ] || die "missing $init_src"

# The stamp covers everything that shapes the output.
stamp=$(cat "$0" "$init_src" | sha256sum | cut -d' ' -f1)

umask 022
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

up_to_date() {
	[ -s "$outdir/vmlinuz" ] && [ -s "$outdir/initrd.gz" ] &&
		[ -f "$outdir/stamp" ] && [ "$(cat "$outdir/stamp")" = "$stamp" ]
}

if [ "${TCWIRE_GUEST_REBUILD:-0}" != 1 ] && up_to_date; then
	log "up to date: $outdir ($(cat "$outdir/kernel-version" 2>/dev/null || echo '?'))"
	exit 0
fi

# Serialise concurrent builds into the same OUTDIR (e.g. parallel tests).
if command -v flock >/dev/null 2>&1 && [ -z "${TCWIRE_GUEST_LOCKED:-}" ]; then
	TCWIRE_GUEST_LOCKED=1 exec flock "$outdir/.lock" sh "$0" "$outdir"
fi
# Another build may have finished while we waited for the lock.
if [ "${TCWIRE_GUEST_REBUILD:-0}" != 1 ] && up_to_date; then
	log "up to date: $outdir"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcwire-guest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
chmod 0755 "$tmp"

# --- kernel package ------------------------------------------------------
if [ -n "${TCWIRE_GUEST_KERNEL_DEB:-}" ]; then
	deb=$TCWIRE_GUEST_KERNEL_DEB
	[ -r "$deb" ] || die "cannot read $deb"
	log "using kernel package $deb"
else
	command -v apt-get >/dev/null 2>&1 || die "apt-get not found (or set TCWIRE_GUEST_KERNEL_DEB)"
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 ~ /Depends:$/ && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
	[ -n "$pkg" ] || die "cannot resolve linux-image-amd64 (run apt-get update?)"
	log "downloading $pkg (via linux-image-amd64)"
	# As root, apt downloads as the _apt user unless told otherwise; the
	# directory is world-writable either way.
	mkdir -m 0777 "$tmp/dl"
	set --
	if [ "$(id -u)" = 0 ]; then
		set -- -o APT::Sandbox::User=root
	fi
	(cd "$tmp/dl" && apt-get -q "$@" download "$pkg") >&2 ||
		die "apt-get download $pkg failed"
	deb=$(find "$tmp/dl" -name '*.deb' | head -n1)
	[ -n "$deb" ] || die "apt-get download produced no .deb"
fi

log "unpacking $(basename "$deb")"
dpkg -x "$deb" "$tmp/kpkg"

vmlinuz=$(find "$tmp/kpkg/boot" -name 'vmlinuz-*' | head -n1)
[ -n "$vmlinuz" ] || die "no /boot/vmlinuz-* in $deb"
kver=${vmlinuz##*/vmlinuz-}
moddir=$(find "$tmp/kpkg" -path "*/modules/$kver" -type d | head -n1)
[ -n "$moddir" ] || die "no modules directory for $kver in $deb"
log "kernel $kver"

# --- initramfs tree -----------------------------------------------------
root=$tmp/root
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
	"$root/lib/modules" "$root/proc" "$root/sys" "$root/dev" \
	"$root/tmp" "$root/run" "$root/etc" "$root/root"
chmod 1777 "$root/tmp"

busybox=${TCWIRE_BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || die "$busybox not found (apt-get install busybox-static)"
# A dynamic ELF names its interpreter (.interp) in the first few hundred bytes.
if head -c 1024 "$busybox" | grep -qa 'ld-linux'; then
	die "$busybox is dynamically linked (install busybox-static, not busybox)"
fi
cp "$busybox" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"
"$busybox" --list-full | while read -r applet; do
	case "$applet" in
	bin/busybox | "") continue ;;
	esac
	[ -e "$root/$applet" ] && continue
	mkdir -p "$root/$(dirname "$applet")"
	ln -s /bin/busybox "$root/$applet"
done
[ -e "$root/bin/sh" ] || ln -s busybox "$root/bin/sh"

for m in $MODULES; do
	f=$(find "$moddir" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" -o -name "$m.ko.gz" | head -n1)
	[ -n "$f" ] || die "module $m not found under $moddir"
	case "$f" in
	*.ko) cp "$f" "$root/lib/modules/$m.ko" ;;
	*.ko.xz) xz -dc "$f" >"$root/lib/modules/$m.ko" ;;
	*.ko.zst) zstd -qdc "$f" >"$root/lib/modules/$m.ko" ;;
	*.ko.gz) gzip -dc "$f" >"$root/lib/modules/$m.ko" ;;
	esac
	chmod 0644 "$root/lib/modules/$m.ko"
done

cp "$init_src" "$root/init"
chmod 0755 "$root/init"
echo "$kver" >"$root/etc/tcw-kernel-version"

# --- assemble -------------------------------------------------------------
log "creating initrd.gz"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -9 -n >"$tmp/initrd.gz"

cp "$vmlinuz" "$tmp/vmlinuz"
chmod 0644 "$tmp/vmlinuz" "$tmp/initrd.gz"

# Also extract the uncompressed ELF kernel from the bzImage.  QEMU boots it
# through its PVH entry point, which skips the in-guest decompression of the
# xz-compressed kernel: under TCG that saves about 2.5 s per boot.  run-guest.sh
# uses OUTDIR/vmlinux when it exists.  Setup header: setup_sects at 0x1f1,
# payload_offset at 0x248 (from the start of the protected-mode code).
extract_vmlinux() {
	[ "$(dd if="$1" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ] || return 1
	sects=$(od -An -tu1 -j 497 -N1 "$1" | tr -d ' ')
	[ "$sects" != 0 ] || sects=4
	poff=$(od -An -tu4 -j 584 -N4 "$1" | tr -d ' ')
	off=$(((sects + 1) * 512 + poff))
	magic=$(od -An -tx1 -j "$off" -N4 "$1" | tr -d ' ')
	case "$magic" in
	fd377a58) tail -c +"$((off + 1))" "$1" | xz -dc --single-stream >"$2" ;;
	28b52ffd) tail -c +"$((off + 1))" "$1" | zstd -qdc >"$2" 2>/dev/null ;;
	1f8b*) tail -c +"$((off + 1))" "$1" | gzip -dc >"$2" 2>/dev/null ;;
	*) return 1 ;;
	esac
	[ "$(od -An -tx1 -N4 "$2" | tr -d ' ')" = 7f454c46 ] # ELF
}
if extract_vmlinux "$tmp/vmlinuz" "$tmp/vmlinux" 2>/dev/null; then
	chmod 0644 "$tmp/vmlinux"
else
	log "warning: could not extract vmlinux (boots will use the slower vmlinuz)"
	rm -f "$tmp/vmlinux"
fi

rm -f "$outdir/stamp"
mv -f "$tmp/vmlinuz" "$outdir/vmlinuz"
mv -f "$tmp/initrd.gz" "$outdir/initrd.gz"
if [ -f "$tmp/vmlinux" ]; then
	mv -f "$tmp/vmlinux" "$outdir/vmlinux"
else
	rm -f "$outdir/vmlinux"
fi
echo "$kver" >"$outdir/kernel-version"
echo "$stamp" >"$outdir/stamp"
chmod 0644 "$outdir/kernel-version" "$outdir/stamp"
chmod 0755 "$outdir"
log "done: $outdir/vmlinuz $outdir/initrd.gz ($kver)"
