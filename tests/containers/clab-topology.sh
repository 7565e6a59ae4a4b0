#!/bin/bash
# The containerlab example (contrib/containerlab/tcwire-lab.clab.yml),
# deployed from the topology file itself as containerlab deploys it, with
# podman: there is no containerlab binary and no registry here.
#
# clab-plan.py reads the file and gives each node's run options as
# containerlab derives them (privileged or not, cap-add, devices, restart
# policy, env with CLAB_INTFS and the CLAB_LABEL_* variables, labels, cmd),
# then the links and the exec lines. This script adds what containerlab's
# runtime always does: nodes detached with a tty and stdin, on a management
# network of their own (eth0), /run/netns/NAME linked to each; links made
# after all nodes started, as veth pairs (MTU from the file, else 9500)
# with TX offload off (clab_link); exec lines run after the links.
# Images: tcwire/vr-router:latest is this tree's router image
# (router_image); alpine:3 is an image of the host's static busybox
# (Alpine's ip and ping are busybox too). Any other image fails the test.
#
# Checks what contrib/containerlab/README.md promises: the routers run
# unprivileged (no CAP_SYS_ADMIN in the bounding set) and wait for their
# CLAB_INTFS links; qemu runs as vr with no capability; each router ethK
# carries one tcwire redirect, shown by the README's `ip netns exec ... tc
# filter show` command, and eth0 none; the guests have ports 1-4, bond
# ports 1 and 2 with LACP (partner = the other router's MAC, seeded by the
# lab and node names) and ping over the bond, printing the console lines
# the README shows; host1 pings r1's port 3 while the two parallel links
# carry no loop; the routers stay up.
. "$(dirname "$0")/lib-containers.sh"
python3 -c 'import yaml' 2>/dev/null ||
	skip "python3-yaml is not installed (tests/install-deps.sh)"
command -v ethtool >/dev/null || skip "ethtool is not installed (tests/install-deps.sh)"
TOPO=$TCWIRE_SOURCE_ROOT/contrib/containerlab/tcwire-lab.clab.yml
README=$TCWIRE_SOURCE_ROOT/contrib/containerlab/README.md
PLAN=$TCWIRE_SOURCE_ROOT/tests/containers/clab-plan.py
LAB=tcwire-lab
ROUTER=tcwire/vr-router:latest
BUSYBOX_IMAGE=localhost/tcwire/busybox:test-$$
NET=tcwt-clab-$$

# plan PHASE: the topology's calls for PHASE, in $TMPDIR_TEST/PHASE.sh
plan() {
	"$PLAN" "$TOPO" "$1" >"$TMPDIR_TEST/$1.sh" ||
		{ echo "FAIL: clab-plan.py cannot deploy $TOPO"; exit 1; }
}

# busybox_image TAG: an image of the host's static busybox, every applet
# linked in /bin, CMD /bin/sh as Alpine's; removed at exit
busybox_image() {
	local root=$TMPDIR_TEST/busybox-root a
	mkdir -p "$root/bin" "$root/etc" "$root/tmp"
	cp /bin/busybox "$root/bin/busybox"
	for a in $("$root/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -s busybox "$root/bin/$a"
	done
	tar -C "$root" -c . | podman import --change 'CMD ["/bin/sh"]' - "$1" >/dev/null ||
		{ echo "FAIL: cannot import $1"; exit 1; }
	at_exit "podman rmi -f $1 >/dev/null"
}

# clab_node NODE IMAGE RUN_OPTION... -- CMD...: start NODE as containerlab's
# runtime does; sets CTR[NODE] (container), PID[NODE], IMG[NODE]
declare -A CTR PID IMG
clab_node() {
	local node=$1 image=$2 ctr local_image opts=()
	shift 2
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	case "$image" in
	"$ROUTER") local_image=$IMAGE ;;
	alpine:3) local_image=$BUSYBOX_IMAGE ;;
	*) echo "FAIL: $node: no local image stands for $image"; exit 1 ;;
	esac
	ctr=$(ctr_name "$node")
	# (podman warns that -t -i has no terminal here: only shown on failure)
	podman run -d -t -i --name "$ctr" --network "$NET" \
		--log-driver k8s-file --log-opt path="$CTR_LOGS/$ctr.log" \
		"${opts[@]}" "$local_image" "$@" >/dev/null 2>"$TMPDIR_TEST/run.err" ||
		{ cat "$TMPDIR_TEST/run.err"; echo "FAIL: cannot start $node"; exit 1; }
	at_exit "podman rm -f -t 0 $ctr >/dev/null"
	CTR[$node]=$ctr
	IMG[$node]=$image
	PID[$node]=$(ctr_pid podman "$ctr")
	ln -sfn "/proc/${PID[$node]}/ns/net" "/run/netns/$ctr"
	at_exit "rm -f /run/netns/$ctr"
}

# clab_link_ends NODE_A K_A NODE_B K_B MTU: the link NODE_A:ethK_A <->
# NODE_B:ethK_B, TX offload off on both ends as containerlab sets it
clab_link_ends() {
	if ! clab_link "${PID[$1]}" "$2" "${PID[$3]}" "$4" "$5" ||
		! in_ctr_net "${PID[$1]}" ethtool -K "eth$2" tx off >/dev/null ||
		! in_ctr_net "${PID[$3]}" ethtool -K "eth$4" tx off >/dev/null; then
		echo "FAIL: cannot create the link $1:eth$2 <-> $3:eth$4"
		exit 1
	fi
}

# clab_exec NODE ARG...: an exec line of NODE
clab_exec() { check "$1: exec: ${*:2}" podman exec "${CTR[$1]}" "${@:2}"; }

# unprivileged_node NODE: NODE's first process lacks CAP_SYS_ADMIN (bit
# 21; a privileged container has every capability) in its bounding set and
# has CAP_NET_ADMIN (bit 12)
unprivileged_node() {
	local bnd
	bnd=$(awk '$1 == "CapBnd:" { print $2 }' "/proc/${PID[$1]}/status")
	[ -n "$bnd" ] && ((((0x$bnd >> 21) & 1) == 0 && ((0x$bnd >> 12) & 1) == 1))
}

# redirects NODE DEV: tcwire's redirects on DEV of NODE, counted in the
# output of the README's command
redirects() {
	ip netns exec "${CTR[$1]}" tc filter show dev "$2" ingress |
		grep -c 'mirred (Egress Redirect to device tcw'
}

# console_has NAME LINE: the container printed LINE (trailing blanks aside)
console_has() {
	ctr_console "$1"
	sed 's/[[:space:]]*$//' "$TMPDIR_TEST/$1.console" | grep -xF -- "$2" >/dev/null
}

# frames NODE DEV...: frames received and sent on DEV... of NODE, summed
frames() {
	local node=$1 d
	shift
	for d in "$@"; do
		ip netns exec "${CTR[$node]}" cat "/sys/class/net/$d/statistics/rx_packets" \
			"/sys/class/net/$d/statistics/tx_packets"
	done | awk '{ n += $1 } END { print n + 0 }'
}

plan nodes
plan links
plan execs
router_image
busybox_image "$BUSYBOX_IMAGE"
podman network create "$NET" >/dev/null || { echo "FAIL: cannot create $NET"; exit 1; }
at_exit "podman network rm -f $NET >/dev/null"
mkdir -p /run/netns

# 1. The nodes, before any link
# shellcheck source=/dev/null
. "$TMPDIR_TEST/nodes.sh"
check "the topology's nodes: r1 and r2 of $ROUTER, host1 of alpine:3" \
	test "$(for n in "${!IMG[@]}"; do echo "$n=${IMG[$n]}"; done | sort | paste -sd' ')" = \
	"host1=alpine:3 r1=$ROUTER r2=$ROUTER"
for c in r1:3 r2:2; do
	r=${c%:*}
	check "$r waits for its $((${c#*:})) links (CLAB_INTFS)" \
		ctr_wait_log "${CTR[$r]}" "waiting for ${c#*:} data interface(s)" 60
done
for n in r1 r2 host1; do
	check "$n is not privileged (no CAP_SYS_ADMIN in its bounding set), has CAP_NET_ADMIN" \
		unprivileged_node "$n"
done
check "no qemu before the links" test -z "$(qemu_status podman "${CTR[r1]}")$(qemu_status podman "${CTR[r2]}")"

# 2. The links, then the exec lines
# shellcheck source=/dev/null
. "$TMPDIR_TEST/links.sh"
# shellcheck source=/dev/null
. "$TMPDIR_TEST/execs.sh"

# 3. Wiring and privileges of each router
for c in r1:3 r2:2; do
	r=${c%:*}
	wait_qemu podman "${CTR[$r]}" 120
	qemu_unprivileged "${CTR[$r]}"
	for ((k = 1; k <= ${c#*:}; k++)); do
		check "$r: eth$k carries exactly one tcwire redirect, to the VM's tap" \
			test "$(redirects "$r" "eth$k")" = 1
	done
	check "$r: eth0 (management) is not wired" test "$(redirects "$r" eth0)" = 0
done

# 4. The guests: ports 1-4, LACP over ports 1 and 2, ping over the bond
mac_r1=$(lab_mac "$LAB/r1" 1)
mac_r2=$(lab_mac "$LAB/r2" 1)
for r in r1 r2; do
	check "$r: guest ports 1-4 (VM_SLOTS 4): eth0 to eth3" \
		ctr_wait_log "${CTR[$r]}" "^$r: guest ports: eth0 eth1 eth2 eth3[[:space:]]*\$" 240
done
check "r1: LACP partner is r2's bond ($mac_r2), both links bundled" \
	ctr_wait_log "${CTR[r1]}" "^r1: bond0: LACP partner $mac_r2, 2 ports" 240
check "r2: LACP partner is r1's bond ($mac_r1), both links bundled" \
	ctr_wait_log "${CTR[r2]}" "^r2: bond0: LACP partner $mac_r1, 2 ports" 60
check "r1 pings r2 over the bond" ctr_wait_log "${CTR[r1]}" "^r1: bond0: 10.0.0.2 answers" 60
check "r2 pings r1 over the bond" ctr_wait_log "${CTR[r2]}" "^r2: bond0: 10.0.0.1 answers" 60

# 5. host1 on r1's port 3, and no loop over the two parallel links: with a
# bridge across the guest's ports, host1's ARP broadcast would circle
# between r1 and r2 for ever
before=$(frames r1 eth1 eth2)
start=$SECONDS
check "host1 pings r1's guest port 3 (192.0.2.1)" \
	podman exec "${CTR[host1]}" ping -c 3 -W 5 192.0.2.1
sleep $((10 - (SECONDS - start) > 0 ? 10 - (SECONDS - start) : 0))
n=$(($(frames r1 eth1 eth2) - before))
check "no loop: r1's eth1 and eth2 carried $n frames in $((SECONDS - start)) s (LACP, < 200)" \
	test "$n" -lt 200
# 6. The console lines README.md shows are r1's
mapfile -t shown < <(sed -n 's/^ *\(r1: .*\)$/\1/p' "$README")
check "README.md shows 3 console lines of r1 (${#shown[@]})" test "${#shown[@]}" = 3
for line in "${shown[@]}"; do
	check "r1 printed README.md's line '$line'" console_has "${CTR[r1]}" "$line"
done
for r in r1 r2; do
	check "$r stays up" test "$(podman inspect --format '{{.State.Running}}' "${CTR[$r]}")" = true
done
if [ "$_failures" != 0 ]; then
	for r in r1 r2 host1; do echo "--- $r"; show_ctr_log "${CTR[$r]}"; done
fi
finish
