#!/bin/bash
# Live links under chaos: two VM routers (r1 in A, r2 in B) with an 802.3ad
# bond over eth1+eth2, a plain link eth3, a slot for eth4 (--slots 4, eth4
# missing at boot) and room for eth5 beyond the slots (hot-added). A seeded
# random series of events: slow and rapid flaps on either side, one partner
# or all of them deleted and created again (slowly, back to back, in random
# order), eth4 created into its slot and eth5 beyond the slots. After every
# event the lab must converge: LACP with 2 ports and the right partner,
# pings over the bond and every other link the guests have, the same qemu
# processes, one tcwire filter per wired device and no extra tap, and
# tcwire doctor clean. At the end tcwire-qemu's fd count is what it was
# and its RSS has not grown by more than 1 MiB.
#
# TCWIRE_CHAOS_EVENTS (default 12) and TCWIRE_CHAOS_SEED (default: random,
# printed) set the series; the full run is TCWIRE_CHAOS_EVENTS=200.
. "$(dirname "$0")/lib-lab.sh"

EVENTS=${TCWIRE_CHAOS_EVENTS:-12}
SEED=${TCWIRE_CHAOS_SEED:-$((RANDOM * 32768 + RANDOM))}
RANDOM=$SEED
echo "# chaos: $EVENTS events, seed $SEED (TCWIRE_CHAOS_SEED=$SEED repeats it)"

two_routers A B
for k in 1 2 3; do lab_link "$A" "$B" "$k"; done
declare -A mac
for r in 1 2; do
	for k in 1 3 4 5; do mac[r$r.$k]=$(lab_mac "chaos-r$r" "$k"); done
done

for id in 1 2; do
	peer=$((3 - id))
	lab_script "$TMP/chaos-r$id.sh" <<GUEST
$LAB_GUEST_BOND
ip addr add 10.0.0.$id/24 dev bond0
nic() { for d in /sys/class/net/eth*; do [ "\$(cat \$d/address)" = "\$1" ] && basename \$d && return 0; done; return 1; }
addr_up() {
	e=\$(nic \$1) || return 1
	ip link set \$e up
	ip -o addr show dev \$e | grep -q " \$2/" || ip addr add \$2/24 dev \$e
}
check() { ping -c 1 -W 1 \$1 >/dev/null 2>&1 && echo ok || echo no; }
n=0
while :; do
	addr_up ${mac[r$id.3]} 10.0.3.$id
	addr_up ${mac[r$id.4]} 10.0.4.$id
	addr_up ${mac[r$id.5]} 10.0.5.$id
	echo "STATE \$n partner=\$(cat \$B/ad_partner_mac) ports=\$(cat \$B/ad_num_ports) bond=\$(check 10.0.0.$peer) l3=\$(check 10.0.3.$peer) l4=\$(check 10.0.4.$peer) l5=\$(check 10.0.5.$peer)"
	n=\$((n + 1))
	sleep 0.3
done
GUEST
done

# start_router ID NS: tcwire-qemu --slots 4 (eth4 is a slot), as the user
start_router() {
	lab_spawn ip netns exec "$2" setpriv --reuid="$LAB_UID" --regid="$LAB_GID" \
		--clear-groups --inh-caps=-all \
		"$LAB_QEMU_WRAPPER" --helper "$LAB_HELPER" --mac-seed "chaos-r$1" \
		--slots 4 --wait-timeout 30 -- \
		"$LAB_RUN_GUEST" --guest "$LAB_GUEST" --script "$TMP/chaos-r$1.sh" \
		--timeout 3000 >"$TMP/chaos-r$1.log" 2>&1
	WRAPPERS[$1]=$!
}
WRAPPERS=()
start_router 1 "$A"
start_router 2 "$B"
have4=no have5=no

# converged LOG PEER_BOND_MAC FROM: a STATE line after line FROM of LOG
# says the lab works: LACP partner and 2 ports, every link pings
converged() {
	local want="partner=$2 ports=2 bond=ok l3=ok"
	[ "$have4" = yes ] && want="$want l4=ok"
	[ "$have5" = yes ] && want="$want l5=ok"
	# the second STATE line after FROM at the earliest: the first may
	# have been measured before the event
	tail -n +"$3" "$1" | grep '^STATE ' | tail -n +2 | grep -q -- "${want// /.*}"
}
# wait_converged WHAT: both routers converge within 90 s of now
wait_converged() {
	local from1 from2 i
	from1=$(($(wc -l <"$TMP/chaos-r1.log") + 1))
	from2=$(($(wc -l <"$TMP/chaos-r2.log") + 1))
	for ((i = 0; i < 900; i++)); do
		converged "$TMP/chaos-r1.log" "$(bond_mac 2)" "$from1" &&
			converged "$TMP/chaos-r2.log" "$(bond_mac 1)" "$from2" && return 0
		sleep 0.1
	done
	fail "$1: the lab did not converge within 90 s"
	tail -n 3 "$TMP/chaos-r1.log" "$TMP/chaos-r2.log" | sed 's/^/    | /'
	return 1
}
# bond_mac ID: router ID's bond MAC (that of its first NIC)
bond_mac() { echo "${mac[r$1.1]}"; }

# lab_state: the invariants that hold whenever the lab has converged
lab_state() {
	local what=$1 ns k n nics=3 t
	[ "$have4" = yes ] && nics=4
	[ "$have5" = yes ] && nics=5
	check "$what: the same qemu processes" \
		test "$(for p in "${WRAPPERS[@]}"; do qemu_below "$p"; done | tr '\n' ' ')" = "$QEMUS"
	for ns in "$A" "$B"; do
		t=$(count_matches ': tcw' ip -n "$ns" -o link)
		n=0
		for k in 1 2 3 4 5; do
			ip -n "$ns" link show "eth$k" >/dev/null 2>&1 || continue
			[ "$(count_tcwire_filters "$ns" "eth$k")" = 1 ] || n=$((n + 1))
		done
		check "$what: one tcwire filter on every ethK of $(name "$ns") ($n without), $nics taps ($t)" \
			test "$n" = 0 -a "$t" = "$((nics > 4 ? 5 : 4))"
		check "$what: tcwire doctor is clean in $(name "$ns")" \
			in_ns "$ns" "$TMP/bin/tcwire" doctor
	done
}

# recreate NS K: delete the link ethK (both ends) and make it again
recreate() { ip -n "$A" link del "eth$1" 2>/dev/null; lab_link "$A" "$B" "$1"; }
# links: the data links the lab has now
links() {
	printf '%s\n' 1 2 3
	[ "$have4" = no ] || echo 4
	[ "$have5" = no ] || echo 5
}
# name NS: r1 for A, r2 for B
name() { if [ "$1" = "$A" ]; then echo r1; else echo r2; fi; }

wait_converged "boot" || { show_log "$TMP/chaos-r1.log"; finish; }
QEMUS=$(for p in "${WRAPPERS[@]}"; do qemu_below "$p"; done | tr '\n' ' ')
check "boot: two qemu processes" test "$(wc -w <<<"$QEMUS")" = 2
lab_state boot
# fd_counts: the fds each tcwire-qemu holds
fd_counts() {
	local p f n
	for p in "${WRAPPERS[@]}"; do
		n=0
		for f in /proc/"$p"/fd/*; do [ -e "$f" ] && n=$((n + 1)); done
		printf '%s ' "$n"
	done
}
fds0=$(fd_counts)
rss0=$(for p in "${WRAPPERS[@]}"; do awk '/^VmRSS/ {print $2}' "/proc/$p/status"; done | tr '\n' ' ')

for ((e = 1; e <= EVENTS; e++)); do
	mapfile -t L < <(links)
	k=${L[RANDOM % ${#L[@]}]}
	side=$A; ((RANDOM % 2)) && side=$B
	if [ "$e" = 3 ] && [ "$have4" = no ]; then
		what="eth4 created into its slot"
		lab_link "$A" "$B" 4
		have4=yes
	elif [ "$e" = 6 ] && [ "$have5" = no ]; then
		what="eth5 created beyond the slots (hot-add)"
		lab_link "$A" "$B" 5
		have5=yes
	else
		case $((RANDOM % 5)) in
		0)	what="slow flap of eth$k in $(name "$side")"
			ip -n "$side" link set "eth$k" down
			sleep "$((RANDOM % 3)).$((RANDOM % 10))"
			ip -n "$side" link set "eth$k" up ;;
		1)	what="rapid flaps of eth$k in $(name "$side")"
			for _ in 1 2 3 4 5; do
				ip -n "$side" link set "eth$k" down
				ip -n "$side" link set "eth$k" up
			done ;;
		2)	what="eth$k deleted and created again"
			recreate "$k" ;;
		3)	what="eth$k deleted, created again after a while"
			ip -n "$A" link del "eth$k"
			sleep "$((RANDOM % 4)).$((RANDOM % 10))"
			lab_link "$A" "$B" "$k" ;;
		4)	what="every link deleted, created again in random order"
			for k in "${L[@]}"; do ip -n "$A" link del "eth$k"; done
			for k in $(printf '%s\n' "${L[@]}" | shuf --random-source=<(yes "$RANDOM")); do
				lab_link "$A" "$B" "$k"
				((RANDOM % 2)) && sleep 0.$((RANDOM % 10))
			done ;;
		esac
	fi
	echo "# event $e: $what"
	wait_converged "event $e ($what)" || break
	lab_state "event $e"
done

fds1=$(fd_counts)
rss1=$(for p in "${WRAPPERS[@]}"; do awk '/^VmRSS/ {print $2}' "/proc/$p/status"; done | tr '\n' ' ')
check "tcwire-qemu's fds: as many after the series as before, but for eth5's tap ($fds0-> $fds1)" \
	bash -c 'read -r a b <<<"$1"; read -r c d <<<"$2"; [ "$c" -le $((a + 1)) ] && [ "$d" -le $((b + 1)) ]' sh "$fds0" "$fds1"
check "tcwire-qemu's RSS grew by less than 1 MiB ($rss0-> $rss1 KiB)" \
	bash -c 'read -r a b <<<"$1"; read -r c d <<<"$2"; [ $((c - a)) -lt 1024 ] && [ $((d - b)) -lt 1024 ]' sh "$rss0" "$rss1"
for r in 1 2; do
	grep '^tcwire-qemu: ' "$TMP/chaos-r$r.log" | sed "s/^/    r$r| /" | tail -n 40
done
finish
