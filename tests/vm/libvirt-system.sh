#!/bin/bash
# libvirt system mode (qemu:///system) with a real root libvirtd: two
# domains A and B, two NICs each on taps that tcwire wire made from a
# wires.conf (<interface type='ethernet'><target dev='tcw-a1'
# managed='no'/>), the partners veth pairs a1<->b1, a2<->b2. An 802.3ad
# bond in each guest finds the other (LACP through the wires). Then: a
# libvirtd restart; virsh destroy/start of B with the wires intact (its
# taps "stopped" in tcwire status meanwhile); a recreated partner repaired
# by tcwire wire --all; a partner recreated while a domain is stopped,
# repaired by the libvirt hook of contrib/libvirt when it starts;
# hot-unplug of a NIC (libvirt deletes the tap's ingress qdisc, the
# VM->partner half) and re-plug, repaired by tcwire wire --all; a queues
# mismatch refused with one line; unwire refused while a VM holds the tap,
# then everything removed.
#
# The daemon is private to the test: root, in the test's network namespace
# and in a mount namespace of its own, where /etc/libvirt, /run/libvirt,
# /var/{lib,cache,log}/libvirt are the test's directories (nothing on the
# host is read or written). qemu runs as uid 65534 (qemu.conf
# user=/group=), TCG, no KVM, no vhost-net, /dev/net/tun 0600.
. "$(dirname "$0")/lib-lab.sh"
command -v virsh >/dev/null || skip "virsh is not installed (libvirt-clients)"
LIBVIRTD=$(command -v libvirtd || echo /usr/sbin/libvirtd)
[ -x "$LIBVIRTD" ] || skip "libvirtd is not installed (libvirt-daemon)"
ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_qemu.so >/dev/null 2>&1 ||
	skip "libvirt's qemu driver is not installed (libvirt-daemon-driver-qemu)"
TCW=$TMP/bin/tcwire
CONTRIB=$TCWIRE_SOURCE_ROOT/contrib/libvirt

ns_new NS
at_exit kill_ns_procs "$NS"
for k in 1 2; do
	ip -n "$NS" link add "a$k" type veth peer name "b$k"
	ip -n "$NS" link set "a$k" up
	ip -n "$NS" link set "b$k" up
done

# --- the wires, from a wires.conf
cat >"$TMP/wires.conf" <<'EOF'
# tap     partner   options
tcw-a1    a1
tcw-a2    a2        queues=1
tcw-b1    b1        # router B
tcw-b2    b2
EOF
# wire_all: tcwire wire --all, its output shown and left in $out
wire_all() {
	in_ns "$NS" "$TCW" wire --all --config "$TMP/wires.conf" >"$TMP/wire.out" 2>&1
	show_log "$TMP/wire.out"
	out=$(cat "$TMP/wire.out")
}
wire_all
check "tcwire wire --all: four taps created and wired" \
	test "$(grep -c ': created and wired to ' <<<"$out")" = 4
for t in a1 a2 b1 b2; do
	check "tcw-$t <-> $t: one redirect each way" test \
		"$(count_tcwire_filters "$NS" "tcw-$t")/$(count_tcwire_filters "$NS" "$t")" = 1/1
done
check "tcw-a1 is a persistent single-queue tap, up, marked for a1" bash -c \
	"ip -n '$NS' -d link show tcw-a1 | grep -q 'persist on' &&
	 ! ip -n '$NS' -d link show tcw-a1 | grep -q multi_queue &&
	 ip -n '$NS' link show tcw-a1 | grep -q ',UP' &&
	 ip -n '$NS' link show tcw-a1 | grep -q 'alias tcwire-persistent:a1'"
before=$(snapshot "$NS")
expect_error "a queues mismatch is refused" \
	"tcwire: tcw-a1: is a single-queue tap but --queues 4 needs a multiqueue one (libvirt's <driver queues> must match); remove it with tcwire unwire --tap tcw-a1 while its VM is stopped" \
	in_ns "$NS" "$TCW" wire --tap tcw-a1 --partner a1 --queues 4
same_state "a queues mismatch is refused" "$before" "$(snapshot "$NS")"

# --- the private root libvirtd
LV=$TMP/libvirt
mkdir -p "$LV/etc" "$LV/run" "$LV/lib" "$LV/cache" "$LV/log"
cat >"$LV/etc/libvirtd.conf" <<EOF
unix_sock_group = "root"
unix_sock_rw_perms = "0700"
auth_unix_rw = "none"
log_outputs = "3:file:$LV/libvirtd.log"
EOF
# qemu as uid 65534, no labels or cgroups, qemu's output to a file
cat >"$LV/etc/qemu.conf" <<EOF
user = "+$TEST_UID"
group = "+$TEST_GID"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
namespaces = [ ]
cgroup_controllers = [ ]
stdio_handler = "file"
EOF
# libvirt's qemu driver looks up its default user libvirt-qemu (Debian's
# libvirt-daemon-system creates it) before reading qemu.conf
cp /etc/passwd "$LV/passwd"
cp /etc/group "$LV/group"
grep -q '^libvirt-qemu:' /etc/passwd ||
	echo "libvirt-qemu:x:$TEST_UID:$TEST_GID::/nonexistent:/usr/sbin/nologin" >>"$LV/passwd"
grep -q '^libvirt-qemu:' /etc/group || echo "libvirt-qemu:x:$TEST_GID:" >>"$LV/group"
# /run, /var/lib, /var/cache and /var/log are tmpfs in its mount namespace
# (mount points for libvirt's directories without touching the host's),
# each libvirt directory the test's, so that a restarted daemon finds the
# running domains' state and monitor sockets
cat >"$LV/start.sh" <<EOF
set -e
for d in /run /var/lib /var/cache /var/log; do mount -t tmpfs -o mode=0755 tcwire-test "\$d"; done
for d in run:/run lib:/var/lib cache:/var/cache log:/var/log etc:/etc; do
	mkdir -p "\${d#*:}/libvirt"
	mount --bind "$LV/\${d%%:*}" "\${d#*:}/libvirt"
done
mount --bind "$LV/passwd" /etc/passwd
mount --bind "$LV/group" /etc/group
exec "$LIBVIRTD" --pid-file "$LV/libvirtd.pid"
EOF
virsh_sys() { virsh -q -c "qemu:///system?socket=$LV/run/libvirt-sock" "$@"; }
# The hook of contrib/libvirt, with this test's tcwire and wires.conf
mkdir -p "$LV/etc/hooks/qemu.d"
sed -e "s|^tcwire=.*|tcwire=$TCW|" -e "s|^conf=.*|conf=$TMP/wires.conf|" \
	"$CONTRIB/tcwire-hook" >"$LV/etc/hooks/qemu.d/tcwire"
chmod 0755 "$LV/etc/hooks/qemu.d/tcwire"
# libvirtd_start: start the daemon (LIBVIRTD_PID) and wait until it answers
libvirtd_start() {
	rm -f "$LV/run/libvirt-sock"
	spawn ip netns exec "$NS" unshare --mount --propagation private sh "$LV/start.sh" \
		>>"$LV/libvirtd.out" 2>&1
	LIBVIRTD_PID=$!
	TCWIRE_WAIT_SECONDS=120 wait_until virsh_sys version >/dev/null 2>&1
}
libvirtd_start
check "the private root libvirtd answers on qemu:///system" virsh_sys version

# --- the domains
CON=$USER_DIR/consoles
mkdir -p "$CON"
chown "$TEST_UID:$TEST_GID" "$CON"
KERNEL=$GUEST/vmlinux
[ -r "$KERNEL" ] || KERNEL=$GUEST/vmlinuz
mac() { echo "52:54:00:92:0$1:0$2"; }	# mac ROUTER(a|b) PORT
# domain_xml R ID PEER: the domain of router R (a or b), address
# 10.0.0.ID, pinging 10.0.0.PEER; the guest bonds its two NICs and prints
# one TICK line a second. A re-plugged second NIC (found by its MAC: the
# bonded ones carry the first NIC's) gets 10.0.9.ID and pings 10.0.9.PEER
# out of it: a hot-plugged NIC gets no <qemu:override>, so its duplex is
# unknown and 802.3ad would not use it; its ARP requests show the wire.
domain_xml() {
	local r=$1 id=$2 peer=$3 cmdline
	lab_script "$TMP/guest-$r.sh" <<GUEST
$LAB_GUEST_BOND
ip addr add 10.0.0.$id/24 dev bond0
i=0
rp=
while [ \$i -lt 1200 ]; do
	d=\$(nic_by_mac $(mac "$r" 2)) && [ "\$d" != "\$rp" ] &&
		ip link set \$d up && ip addr add 10.0.9.$id/24 dev \$d && rp=\$d &&
		echo "REPLUG \$d"
	[ -n "\$rp" ] && ping -c 1 -W 1 -I \$rp 10.0.9.$peer >/dev/null 2>&1
	ping -c 1 -W 1 10.0.0.$peer >/dev/null 2>&1 && p=ok || p=no
	echo "TICK \$i partner=\$(cat \$B/ad_partner_mac) ports=\$(cat \$B/ad_num_ports) ping=\$p"
	i=\$((i + 1))
	sleep 1
done
GUEST
	guest_nic_funcs "$TMP/guest-$r.sh"
	cmdline="console=ttyS0 quiet panic=-1 tcw.script=$(base64 -w0 "$TMP/guest-$r.sh")"
	sed -e '/^<!--$/,/^-->$/d' -e "s|@NAME@|tcwire-sys-$r-$$|" \
		-e "s|@KERNEL@|$KERNEL|" -e "s|@INITRD@|$GUEST/initrd.gz|" \
		-e "s|@CMDLINE@|$cmdline|" -e "s|@TAP1@|tcw-${r}1|" \
		-e "s|@MAC1@|$(mac "$r" 1)|" -e "s|@TAP2@|tcw-${r}2|" \
		-e "s|@MAC2@|$(mac "$r" 2)|" -e "s|@CONSOLE@|$CON/$r.log|" \
		"$CONTRIB/tcwire-system.xml" >"$TMP/domain-$r.xml"
}
domain_xml a 1 2
domain_xml b 2 1
check_absent "domain XML: every placeholder replaced" '@[A-Z0-9]*@' \
	cat "$TMP/domain-a.xml" "$TMP/domain-b.xml"
A=tcwire-sys-a-$$
B=tcwire-sys-b-$$
for r in a b; do
	check "virsh define + start of router $r" bash -c \
		"virsh -q -c 'qemu:///system?socket=$LV/run/libvirt-sock' define '$TMP/domain-$r.xml' >/dev/null &&
		 virsh -q -c 'qemu:///system?socket=$LV/run/libvirt-sock' start tcwire-sys-$r-$$ >/dev/null"
done

# qemu_as_user: a qemu of uid TEST_UID runs in NS
qemu_as_user() {
	local p
	for p in $(ip netns pids "$NS"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = qemu-system-x86 ] &&
			[ "$(stat -c %u "/proc/$p")" = "$TEST_UID" ] && return 0
	done
	return 1
}
check "the domains' qemu runs as uid $TEST_UID, not root" qemu_as_user
virsh_sys domiflist "$A" | sed 's/^/    | /'

# mark LOG: its line count now; tick_after LOG MARK REGEX SECONDS: a TICK
# line after MARK matches REGEX (waits)
# redirect_of DEV: where DEV's tcwire redirect goes ("*": a deleted device)
redirect_of() { tc -n "$NS" filter show dev "$1" ingress | grep -o 'Redirect to device [^)]*' | awk '{print $4}'; }
mark() { wc -l <"$1" 2>/dev/null || echo 0; }
tick_after() {
	local i
	for ((i = 0; i < $4 * 2; i++)); do
		tail -n "+$(($2 + 1))" "$1" 2>/dev/null | grep -q -- "^TICK .*$3" && return 0
		sleep 0.5
	done
	return 1
}
BOTH="partner=$(mac b 1) ports=2 ping=ok"
BOTH_B="partner=$(mac a 1) ports=2 ping=ok"
check "LACP through the wires: A's bond has B's as partner on 2 ports, ping ok" \
	tick_after "$CON/a.log" 0 "$BOTH" 240
check "... and B's bond has A's" tick_after "$CON/b.log" 0 "$BOTH_B" 60

expect_error "unwire is refused while a VM holds the tap" \
	"tcwire: tcw-a1: a VM holds it; stop the domain or detach its interface first" \
	in_ns "$NS" "$TCW" unwire --tap tcw-a1

# --- a libvirtd restart under the running domains
kill "$LIBVIRTD_PID"
wait "$LIBVIRTD_PID" 2>/dev/null
m=$(mark "$CON/a.log")
libvirtd_start
check "after a libvirtd restart both domains run" test 	"$(virsh_sys list --state-running --name | grep -c tcwire-sys-)" = 2
check "... and LACP still passes through the wires" tick_after "$CON/a.log" "$m" "$BOTH" 60

# --- destroy/start: the wires stay
virsh_sys destroy "$B" >/dev/null
m=$(mark "$CON/a.log")
check "A lost its LACP partner while B is stopped" \
	tick_after "$CON/a.log" "$m" "partner=00:00:00:00:00:00" 60
for t in b1 b2; do
	check "B stopped: tcw-$t is still there and wired to $t" test \
		"$(count_tcwire_filters "$NS" "tcw-$t")/$(count_tcwire_filters "$NS" "$t")" = 1/1
done
in_ns "$NS" "$TCW" status | sed 's/^/    | /'
check "tcwire status: B's taps are 'stopped'" test \
	"$(in_ns "$NS" "$TCW" status | awk '$2 ~ /^tcw-b/ { print $3 }' | sort -u)" = stopped
check "tcwire status: A's taps are 'ok'" test \
	"$(in_ns "$NS" "$TCW" status | awk '$2 ~ /^tcw-a/ { print $3 }' | sort -u)" = ok
: >"$CON/b.log"
virsh_sys start "$B" >/dev/null
check "after virsh start of B, LACP forms again on both ports" \
	tick_after "$CON/a.log" "$m" "$BOTH" 240

# --- a recreated partner (a container redeployed): repaired by wire --all
ip -n "$NS" link del a1
ip -n "$NS" link add a1 type veth peer name b1
ip -n "$NS" link set a1 up
ip -n "$NS" link set b1 up
m=$(mark "$CON/a.log")
check "with link 1 recreated and not wired, A's bond is down to 1 port" \
	tick_after "$CON/a.log" "$m" "ports=1" 60
wire_all
check "wire --all repaired tcw-a1 and tcw-b1 and left the others alone" test \
	"$(grep -c ': wired to ' <<<"$out")/$(grep -c ': already wired to ' <<<"$out")" = 2/2
check "LACP on both ports again after the repair" \
	tick_after "$CON/a.log" "$m" "$BOTH" 120

# --- the hook: a partner recreated while A is stopped is wired again when
# A starts (tcwire-hook runs tcwire wire --all at libvirt's "prepare")
virsh_sys destroy "$A" >/dev/null
ip -n "$NS" link del a2
ip -n "$NS" link add a2 type veth peer name b2
ip -n "$NS" link set a2 up
ip -n "$NS" link set b2 up
check "with link 2 recreated, tcw-a2 and tcw-b2 point nowhere" test \
	"$(redirect_of tcw-a2)/$(redirect_of tcw-b2)" = "*/*"
: >"$CON/a.log"
virsh_sys start "$A" >/dev/null
check "the hook wired both again when A started" bash -c \
	"[ \"\$(tc -n '$NS' filter show dev tcw-a2 ingress | grep -c 'Redirect to device a2)')\" = 1 ] &&
	 [ \"\$(tc -n '$NS' filter show dev a2 ingress | grep -c 'Redirect to device tcw-a2)')\" = 1 ] &&
	 [ \"\$(tc -n '$NS' filter show dev tcw-b2 ingress | grep -c 'Redirect to device b2)')\" = 1 ]"
check "LACP on both ports after A's start" tick_after "$CON/a.log" 0 "$BOTH" 240

# --- hot-unplug and re-plug of A's second NIC
awk '/<interface/ { buf = ""; keep = 1 } keep { buf = buf $0 "\n" }
     /<\/interface>/ { if (buf ~ /tcw-a2/) printf "%s", buf; keep = 0 }' \
	"$TMP/domain-a.xml" >"$TMP/nic-a2.xml"
virsh_sys detach-device "$A" "$TMP/nic-a2.xml" --live >/dev/null
nic_gone() { ! virsh_sys domiflist "$A" | grep -q tcw-a2; }
TCWIRE_WAIT_SECONDS=120 wait_until nic_gone
check "virsh detach-device: the NIC is gone from A" nic_gone
check "libvirt's hot-unplug deleted the tap's ingress qdisc (the VM->partner half)" \
	test "$(count_tcwire_filters "$NS" tcw-a2)/$(count_tcwire_filters "$NS" a2)" = 0/1
check "tcwire status: tcw-a2 is one-way" test \
	"$(in_ns "$NS" "$TCW" status | awk '$2 == "tcw-a2" { print $3 }')" = one-way
virsh_sys attach-device "$A" "$TMP/nic-a2.xml" --live >/dev/null
check "virsh attach-device: the NIC is back" \
	bash -c "virsh -q -c 'qemu:///system?socket=$LV/run/libvirt-sock' domiflist '$A' | grep -q tcw-a2"
check "the guest configured the re-plugged NIC" lab_wait_log "$CON/a.log" "^REPLUG" 120
# act_pkts DEV: packets of DEV's tcwire redirect; tx_pkts DEV: sent by DEV
act_pkts() { tc -n "$NS" -s filter show dev "$1" ingress | awk '/Sent .* pkt/ { print $4; exit }'; }
tx_pkts() { ip -n "$NS" -j -s link show "$1" | jq '.[0].stats64.tx.packets'; }
rx_pkts() { ip -n "$NS" -j -s link show "$1" | jq '.[0].stats64.rx.packets'; }
r0=$(rx_pkts tcw-a2)
wait_until bash -c "[ \$(ip -n '$NS' -j -s link show tcw-a2 | jq '.[0].stats64.rx.packets') -gt $r0 ]"
check "before the repair the re-plugged NIC's frames reach tcw-a2 and go nowhere" test \
	"$(count_tcwire_filters "$NS" tcw-a2)" = 0
wire_all
check "wire --all repaired tcw-a2 alone" test \
	"$(grep ': wired to ' <<<"$out")" = "tcw-a2: wired to a2"
check "tcw-a2 <-> a2: one redirect each way again" test \
	"$(count_tcwire_filters "$NS" tcw-a2)/$(count_tcwire_filters "$NS" a2)" = 1/1
t0=$(tx_pkts tcw-b2)
reaches_b() { [ "$(act_pkts tcw-a2)" -gt 0 ] && [ "$(tx_pkts tcw-b2)" -gt "$t0" ]; }
check "frames of A's re-plugged NIC pass the repaired wire to B's second NIC" \
	wait_until reaches_b
check "... and the bond keeps its partner on port 1" \
	tick_after "$CON/a.log" "$(mark "$CON/a.log")" "partner=$(mac b 1) .*ping=ok" 60

# --- the end: domains gone, wires and taps removed
for d in "$A" "$B"; do
	virsh_sys destroy "$d" >/dev/null
	virsh_sys undefine "$d" >/dev/null
done
check "no domain is left defined" test -z "$(virsh_sys list --all --name)"
out=$(in_ns "$NS" "$TCW" unwire --all --config "$TMP/wires.conf" 2>&1)
check "tcwire unwire --all removed all four" \
	test "$(grep -c ': unwired and deleted' <<<"$out")" = 4
check_absent "no tap is left" ': tcw-' ip -n "$NS" -o link show
for k in 1 2; do
	check "a$k and b$k carry no tcwire filter" test \
		"$(count_tcwire_filters "$NS" "a$k")/$(count_tcwire_filters "$NS" "b$k")" = 0/0
done
if [ "$_failures" != 0 ]; then
	for f in "$CON/a.log" "$CON/b.log" "$LV/libvirtd.out" "$LV/libvirtd.log"; do
		[ -r "$f" ] && { echo "    == $f"; tail -n 60 "$f" | sed 's/^/    | /'; }
	done
fi
finish
