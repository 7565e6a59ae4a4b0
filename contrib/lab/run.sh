#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tcwire demo: two VM routers, each in its own network namespace (standing
# for its container), joined by two links eth1<->eth1 and eth2<->eth2 as
# containerlab makes them. Each guest bonds its two NICs with 802.3ad
# (LACP). qemu runs as an unprivileged user through tcwire-qemu and the
# setuid tcwire-helper.
#
# Then the same lab with a Linux bridge in each "container" between ethK
# and the VM's tap, the way many labs wire VMs: LACP frames never cross.
#
#	contrib/lab/run.sh        (as root)
#
# Installs its Debian dependencies, builds tcwire into build-lab/ (helper
# installed setuid into /var/tmp/tcwire-lab/prefix), builds the guest image
# once (cached in /var/tmp/tcwire-guest), runs both labs and prints a report.
# Everything it creates is removed at the end, also on Ctrl-C.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
[ "$(id -u)" = 0 ] || { echo "run it as root (e.g. sudo -i, then $0)" >&2; exit 1; }

if [ -t 1 ]; then
	say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
else
	say() { printf '==> %s\n' "$*"; }
fi

say "Dependencies"
tests/install-deps.sh

say "Building tcwire (build-lab/, helper setuid in /var/tmp/tcwire-lab/prefix)"
LAB_PREFIX=/var/tmp/tcwire-lab/prefix
if [ ! -d build-lab ]; then
	meson setup build-lab --prefix="$LAB_PREFIX" -Dhelper-permissions=setuid >/dev/null
fi
meson install -C build-lab --quiet >/dev/null
mkdir -p "$LAB_PREFIX/etc/tcwire"
printf '# lab ACL\nallow eth*\nallow br*\n' >"$LAB_PREFIX/etc/tcwire/helper.conf"
chmod 0644 "$LAB_PREFIX/etc/tcwire/helper.conf"
chmod 0755 /var/tmp/tcwire-lab "$LAB_PREFIX"

say "Guest image (Debian kernel + busybox, cached)"
LAB_GUEST=/var/tmp/tcwire-guest
tests/vm/build-guest.sh "$LAB_GUEST" >/dev/null
chmod -R a+rX "$LAB_GUEST"

LAB_DIR=$(mktemp -d /tmp/tcwire-lab.XXXXXX)
chmod 0755 "$LAB_DIR"
cp tests/vm/run-guest.sh "$LAB_DIR/"
LAB_HELPER=$LAB_PREFIX/libexec/tcwire-helper
LAB_QEMU_WRAPPER=$LAB_PREFIX/bin/tcwire-qemu
LAB_RUN_GUEST=$LAB_DIR/run-guest.sh
LAB_UID=65534
LAB_GID=65534
# shellcheck source=contrib/lab/lab-lib.sh
. contrib/lab/lab-lib.sh

CLEANUPS=()
lab_cleanup_add() { CLEANUPS=("$*" "${CLEANUPS[@]}"); }
lab_spawn() { "$@" & }
cleanup() {
	local c
	for c in "${CLEANUPS[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
	rm -rf "$LAB_DIR"
}
trap cleanup EXIT
trap 'echo; echo "interrupted, cleaning up"; exit 130' INT TERM

# run_lab MODE: build the topology, boot both VMs, collect their reports
run_lab() {
	local mode=$1 a=tcwire-lab-r1 b=tcwire-lab-r2 ifs=eth1,eth2
	ip netns add "$a"; lab_cleanup_add ip netns del "$a"
	ip netns add "$b"; lab_cleanup_add ip netns del "$b"
	lab_link "$a" "$b" 1
	lab_link "$a" "$b" 2
	if [ "$mode" = bridge ]; then
		lab_bridge_ports "$a" 1 2
		lab_bridge_ports "$b" 1 2
		ifs=br1,br2
	fi
	lab_bond_scripts "$mode" 20
	lab_start_pair "$a" "$b" "$ifs" "$mode"
	# While r1 still runs (it reports, then stays up for r2's ping): what
	# tcwire status shows in its "container", run as the lab's user
	if [ "$mode" = tcwire ] && lab_wait_log "$LAB_DIR/$mode-r1.log" "REPORT r1" 120; then
		ip netns exec "$a" setpriv --reuid="$LAB_UID" --regid="$LAB_GID" \
			--clear-groups --inh-caps=-all "$LAB_PREFIX/bin/tcwire" status \
			>"$LAB_DIR/$mode-status-r1.txt" 2>&1 || true
	fi
	wait "${LAB_PIDS[@]}" || true
	ip netns del "$a"
	ip netns del "$b"
}

# row MODE VM EXPECTED_PARTNER: one line of the report
row() {
	local line partner agg ports ping verdict
	line=$(grep -o 'REPORT r[12] .*' "$LAB_DIR/$1-$2.log" | tail -n1 | tr -d '\r' || true)
	if [ -z "$line" ]; then
		printf '  %-7s %-3s %s\n' "$1" "$2" "no report (see below)"
		sed 's/^/      | /' "$LAB_DIR/$1-$2.log" | tail -n 15
		return
	fi
	partner=$(lab_field partner "$line")
	agg=$(lab_field aggregator "$line")
	ports=$(lab_field ports "$line")
	ping=$(lab_field ping "$line")
	if [ "$partner" = "$3" ]; then verdict="LACP up"; else verdict="LACP down"; fi
	printf '  %-7s %-3s %-17s %-17s %-10s %-5s %-6s %s\n' "$1" "$2" "$partner" \
		"$3" "$agg" "$ports" "$ping" "$verdict"
}

start=$(date +%s)
say "Lab 1/2: tcwire (tc mirred wires between each tap and ethK)"
run_lab tcwire
say "Lab 2/2: Linux bridge (ethK and the tap in a bridge brK)"
run_lab bridge

mac1=$(lab_mac lab-r1 1)
mac2=$(lab_mac lab-r2 1)
echo
say "Report ($(($(date +%s) - start)) s)"
printf '  %-7s %-3s %-17s %-17s %-10s %-5s %-6s %s\n' datapath vm "LACP partner" \
	"expected partner" aggregator ports ping result
row tcwire r1 "$mac2"
row tcwire r2 "$mac1"
row bridge r1 "$mac2"
row bridge r2 "$mac1"
echo
echo "  LACP partner: the system MAC the bond learned from LACPDUs on its links;"
echo "  it must be the other router's bond MAC. 00:00:00:00:00:00 means no"
echo "  LACPDU ever arrived: a Linux bridge does not forward 01:80:c2:00:00:02."
echo "  ports: links in the active aggregator (2 = both links bundled)."
echo "  ping: 10.0.0.1 <-> 10.0.0.2 over bond0."
echo
echo "  tcwire status in r1 while the tcwire lab ran (as uid $LAB_UID, no privileges):"
sed 's/^/    /' "$LAB_DIR/tcwire-status-r1.txt" 2>/dev/null || echo "    (not captured: r1 never reported)"
