#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The two-router lab, as functions: used by contrib/lab/run.sh (the demo)
# and by the vm test suite. Each "router" is a network namespace standing
# for its container; its VM runs as an unprivileged user through
# tcwire-qemu and the setuid tcwire-helper, exactly as in a container lab.
#
# Callers set: LAB_HELPER (setuid helper), LAB_QEMU_WRAPPER (tcwire-qemu),
# LAB_RUN_GUEST (run-guest.sh), LAB_GUEST (guest dir), LAB_UID/LAB_GID,
# LAB_DIR (a scratch directory the user can read), lab_cleanup_add CMD
# to register cleanups (the test library's at_exit, or the demo's own),
# and lab_spawn CMD... to start CMD in the background with $! its pid (the
# test library's spawn, which ends it at exit, or the demo's own).

# lab_link NS_A NS_B K [MTU]: a veth between NS_A:ethK and NS_B:ethK, as
# containerlab makes a link r1:ethK <-> r2:ethK
lab_link() {
	local a=$1 b=$2 k=$3 mtu=${4:-}
	ip -n "$a" link add "eth$k" type veth peer name "lab-tmp-$k" || return 1
	ip -n "$a" link set "lab-tmp-$k" netns "$b"
	ip -n "$b" link set "lab-tmp-$k" name "eth$k"
	if [ -n "$mtu" ]; then
		ip -n "$a" link set "eth$k" mtu "$mtu"
		ip -n "$b" link set "eth$k" mtu "$mtu"
	fi
	ip -n "$a" link set "eth$k" up
	ip -n "$b" link set "eth$k" up
}

# lab_bridge_ports NS K...: put each ethK behind a Linux bridge brK (the
# "bridge" datapath the demo compares against); the VM then gets brK
lab_bridge_ports() {
	local ns=$1 k
	shift
	for k in "$@"; do
		ip -n "$ns" link add "br$k" type bridge || return 1
		ip -n "$ns" link set "eth$k" master "br$k"
		ip -n "$ns" link set "br$k" up
	done
}

# lab_mac SEED K: the MAC tcwire-qemu gives NIC position K of node SEED
lab_mac() {
	"$LAB_QEMU_WRAPPER" --print --count "$2" --mac-seed "$1" -- q |
		grep -o "id=tcwnic$2,mac=[0-9a-f:]*" | sed 's/.*mac=//'
}

# lab_script FILE: stdin becomes a guest script the user may read
lab_script() {
	cat >"$1"
	chmod 0644 "$1"
}

# lab_bond_scripts NAME WAIT: guest scripts $LAB_DIR/NAME-r1.sh and
# NAME-r2.sh for the standard LACP check: bond eth0+eth1 with 802.3ad,
# address 10.0.0.ID, wait up to WAIT s for an LACP partner, ping the other
# router over the bond, print a REPORT line, stay up for the peer's ping
lab_bond_scripts() {
	local name=$1 wait=$2 id
	for id in 1 2; do
		lab_script "$LAB_DIR/$name-r$id.sh" <<GUEST
$LAB_GUEST_BOND
ip addr add 10.0.0.$id/24 dev bond0
lacp_wait_partner $wait
sleep 1
ping -c 3 -W 2 10.0.0.$((3 - id)) >/dev/null && p=ok || p=failed
lacp_report r$id \$p
sleep 6
GUEST
	done
}

# lab_start_vm NS SEED IFACES SCRIPT LOG [QEMU_ARGS...]: boot a router VM in
# the background; sets LAB_PID to the pid to wait for or kill (it becomes
# run-guest.sh, which takes qemu down with it). IFACES is tcwire-qemu's
# --interfaces list.
# shellcheck disable=SC2153 # LAB_UID/LAB_GID come from the caller
lab_start_vm() {
	local ns=$1 seed=$2 ifaces=$3 script=$4 log=$5
	shift 5
	lab_spawn ip netns exec "$ns" setpriv --reuid="$LAB_UID" --regid="$LAB_GID" \
		--clear-groups --inh-caps=-all \
		"$LAB_QEMU_WRAPPER" --helper "$LAB_HELPER" --mac-seed "$seed" \
		--interfaces "$ifaces" --wait-timeout 30 -- \
		"$LAB_RUN_GUEST" --guest "$LAB_GUEST" --script "$script" \
		--timeout 300 -- "$@" >"$log" 2>&1
	LAB_PID=$!
}

# lab_start_pair NS_A NS_B IFACES NAME: boot r1 in NS_A and r2 in NS_B with
# the guest scripts $LAB_DIR/NAME-r1.sh and NAME-r2.sh, consoles in
# $LAB_DIR/NAME-r1.log and NAME-r2.log; sets LAB_PIDS (registered for
# cleanup) and returns at once
lab_start_pair() {
	local a=$1 b=$2 ifs=$3 name=$4
	LAB_PIDS=()
	lab_start_vm "$a" lab-r1 "$ifs" "$LAB_DIR/$name-r1.sh" "$LAB_DIR/$name-r1.log"
	LAB_PIDS+=("$LAB_PID")
	lab_cleanup_add kill "$LAB_PID"
	lab_start_vm "$b" lab-r2 "$ifs" "$LAB_DIR/$name-r2.sh" "$LAB_DIR/$name-r2.log"
	LAB_PIDS+=("$LAB_PID")
	lab_cleanup_add kill "$LAB_PID"
}

# lab_field NAME LINE: the value of NAME=VALUE in a REPORT line
lab_field() {
	local v=${2#*" $1="}
	[ "$v" = "$2" ] && return 1
	echo "${v%% *}"
}

# lab_wait_log LOG PATTERN SECONDS: wait until LOG has a line matching
lab_wait_log() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# The guest side of an 802.3ad bond over eth0 and eth1, as a script
# fragment: sets $B (bonding sysfs dir) and defines lacp_wait_partner SECS,
# which waits until the bond has an LACP partner.
LAB_GUEST_BOND='
echo +bond0 >/sys/class/net/bonding_masters
B=/sys/class/net/bond0/bonding
echo 802.3ad >$B/mode; echo fast >$B/lacp_rate; echo 100 >$B/miimon
echo +eth0 >$B/slaves; echo +eth1 >$B/slaves
ip link set bond0 up
lacp_has_partner() { [ "$(cat $B/ad_partner_mac)" != 00:00:00:00:00:00 ]; }
lacp_wait_partner() {
	n=0; while ! lacp_has_partner && [ $n -lt $(($1 * 5)) ]; do sleep 0.2; n=$((n + 1)); done
	lacp_has_partner
}
lacp_report() {
	echo "REPORT $1 partner=$(cat $B/ad_partner_mac) aggregator=$(cat $B/ad_aggregator) ports=$(cat $B/ad_num_ports) ping=$2"
}
'
