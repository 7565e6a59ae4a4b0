#!/bin/bash
# tcwire wire / tcwire unwire without a VM: persistent taps as libvirt's
# system mode uses them (<target dev='NAME' managed='no'/>; a process that
# attaches to the tap the way libvirtd does stands for the VM).
#  - a wire is made: tap persistent, owned by nobody, marked, MTU copied,
#    up, one redirect each way; frames pass byte for byte; a second run
#    changes nothing; a removed half (hot-unplug) and a recreated partner
#    are repaired; multiqueue exactly when --queues > 1
#  - refusals, one line each, exit status, nothing left behind: usage,
#    tcw<N> names, a missing partner, a tap or bridge as partner, a device
#    of that name that is no tap, a queues mismatch, a partner live-wired
#    elsewhere, non-root, bad wires.conf lines
#  - the orphan reaper never deletes a marked tap (even one named tcw<N>);
#    tcwire status shows a stopped VM's tap as "stopped" and doctor is happy
#  - unwire: only marked taps, not while held; removes both halves
. "$(dirname "$0")/../lib.sh"
require_root
TCW=$TCWIRE_STATUS
TAP_OPEN=$TCWIRE_SOURCE_ROOT/tests/tools/tap-open.py
T=$TMPDIR_TEST
command -v python3 >/dev/null || skip "python3 is not installed (tests/tools/tap-open.py)"

ns_new NS
veth_pair "$NS" p1 q1 2000
ip -n "$NS" link set p1 up
tcw() { in_ns "$NS" "$TCW" "$@"; }
redirect_of() { tc -n "$NS" filter show dev "$1" ingress | grep -o 'Redirect to device [^)]*' | awk '{print $4}'; }
# no_carrier TAP: nobody holds TAP (the kernel's carrier is off)
no_carrier() { ip -n "$NS" -o link show "$1" | grep -q NO-CARRIER; }
wired_pair() {
	[ "$(redirect_of "$1")" = "$2" ] && [ "$(redirect_of "$2")" = "$1" ] &&
		[ "$(count_tcwire_filters "$NS" "$1")/$(count_tcwire_filters "$NS" "$2")" = 1/1 ]
}
# refused DESC LINE STATUS ARGS...: tcwire ARGS fails with exactly LINE and
# exit STATUS, and the namespace is as it was
refused() {
	local what=$1 want=$2 status=$3 before rc
	shift 3
	before=$(snapshot "$NS")
	expect_error "$what" "$want" tcw "$@"
	tcw "$@" >/dev/null 2>&1
	rc=$?
	check "$what: exit status $status" test "$rc" = "$status"
	same_state "$what" "$before" "$(snapshot "$NS")"
}

# 1. A new wire
check "tcwire wire prints what it did" \
	test "$(tcw wire --tap tcw-x1 --partner p1)" = "tcw-x1: created and wired to p1"
details=$(ip -n "$NS" -d link show tcw-x1)
check "the tap is persistent, single-queue, owned by nobody" bash -c \
	"grep -q 'persist on' <<<'$details' && ! grep -qE 'multi_queue|user ' <<<'$details'"
check "the tap has p1's MTU 2000, is up and marked tcwire-persistent:p1" bash -c \
	"grep -q ' mtu 2000 ' <<<'$details' && grep -q '[<,]UP[,>]' <<<'$details' &&
	 grep -q 'alias tcwire-persistent:p1' <<<'$details'"
check "one redirect each way between tcw-x1 and p1" wired_pair tcw-x1 p1
check "frames pass both ways, byte for byte, through a tap opened as libvirt does" \
	in_ns "$NS" "$TAP_OPEN" tcw-x1 single -- "$FRAME_CHECK" --tap-fd '{fd}' --peer q1
wait_until no_carrier tcw-x1
before=$(snapshot "$NS")
check "a second run: already wired" \
	test "$(tcw wire --tap tcw-x1 --partner p1)" = "tcw-x1: already wired to p1"
same_state "a second run" "$before" "$(snapshot "$NS")"

# 2. Repairs: the half libvirt's hot-unplug removes; a recreated partner
tc -n "$NS" qdisc del dev tcw-x1 ingress
check "after 'tc qdisc del dev tcw-x1 ingress': wired again" \
	test "$(tcw wire --tap tcw-x1 --partner p1)" = "tcw-x1: wired to p1"
check "... one redirect each way" wired_pair tcw-x1 p1
ip -n "$NS" link del p1
veth_pair "$NS" p1 q1 1500
check "a recreated p1 (MTU 1500, down): wired again" \
	test "$(tcw wire --tap tcw-x1 --partner p1)" = "tcw-x1: wired to p1"
check "... one redirect each way, the stale one gone" wired_pair tcw-x1 p1
check "... the tap followed p1's MTU 1500 and p1 is up" bash -c \
	"ip -n '$NS' -o link show tcw-x1 | grep -q ' mtu 1500 ' &&
	 ip -n '$NS' -o link show p1 | grep -q '[<,]UP[,>]'"

# 3. Multiqueue exactly when --queues > 1
veth_pair "$NS" p2 q2
check "--queues 4 makes a multiqueue tap" bash -c \
	"[ \"\$(ip netns exec '$NS' '$TCW' wire --tap tcw-x2 --partner p2 --queues 4)\" = 'tcw-x2: created and wired to p2' ] &&
	 ip -n '$NS' -d link show tcw-x2 | grep -q multi_queue"
check "libvirt's way of opening it with 4 queues works" \
	in_ns "$NS" "$TAP_OPEN" tcw-x2 multi -- true
wait_until no_carrier tcw-x2
refused "queues mismatch (multiqueue tap, 1 queue)" \
	"tcwire: tcw-x2: is a multiqueue tap but --queues 1 needs a single-queue one (libvirt's <driver queues> must match); remove it with tcwire unwire --tap tcw-x2 while its VM is stopped" \
	1 wire --tap tcw-x2 --partner p2
refused "queues mismatch (single-queue tap, 2 queues)" \
	"tcwire: tcw-x1: is a single-queue tap but --queues 2 needs a multiqueue one (libvirt's <driver queues> must match); remove it with tcwire unwire --tap tcw-x1 while its VM is stopped" \
	1 wire --tap tcw-x1 --partner p1 --queues 2

# 4. Refusals, nothing left behind
veth_pair "$NS" p3 q3
ip -n "$NS" link add br3 type bridge
ip -n "$NS" tuntap add dev tapz mode tap
refused "a tcw<N> name" \
	"tcwire: tcw5: names tcw<N> are tcwire-helper's; choose another (e.g. tcw-vm1-1)" \
	2 wire --tap tcw5 --partner p3
refused "a missing partner" \
	"tcwire: p9: no such interface in this network namespace" 1 wire --tap tcw-x3 --partner p9
refused "a tap as partner" \
	"tcwire: tapz: is a tap device; wiring it to another tap would loop two VMs together" \
	1 wire --tap tcw-x3 --partner tapz
refused "a bridge as partner" \
	"tcwire: br3: is a bridge; use libvirt's <interface type='bridge'> for it (tcwire wire makes tc wires)" \
	1 wire --tap tcw-x3 --partner br3
refused "a device of that name that is no tap" \
	"tcwire: q3: exists and is not a tap" 1 wire --tap q3 --partner p3
refused "a partner live-wired to another tap" \
	"tcwire: p1: already wired to tcw-x1" 1 wire --tap tcw-x3 --partner p1
refused "a tap live-wired to another partner" \
	"tcwire: tcw-x1: already wired to p1" 1 wire --tap tcw-x1 --partner p3
refused "--queues 0" "tcwire: --queues 0: 1 to 256" 2 wire --tap tcw-x3 --partner p3 --queues 0
refused "--queues 257" "tcwire: --queues 257: 1 to 256" 2 wire --tap tcw-x3 --partner p3 --queues 257
refused "no --partner" "tcwire: --partner IF is needed" 2 wire --tap tcw-x3
refused "--all with --tap" \
	"tcwire: --all takes its wires from the file: no --tap, --partner or --queues" \
	2 wire --all --tap tcw-x3
refused "unwire with --partner" \
	"tcwire: unwire takes --tap only (the tap knows its partner)" 2 unwire --tap tcw-x1 --partner p1
refused "a partner name with a slash" \
	'tcwire: --partner: a/b: interface name may only contain letters, digits and "-_.@+"' \
	2 wire --tap tcw-x3 --partner a/b
before=$(snapshot "$NS")
expect_error "not root" "tcwire: wire needs CAP_NET_ADMIN: run it as root" \
	in_ns "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	--bounding-set=-all "$TCW" wire --tap tcw-x3 --partner p3
same_state "not root" "$before" "$(snapshot "$NS")"

# 5. The orphan reaper: a marked tap is never an orphan, even named tcw<N>
ip -n "$NS" tuntap add dev tcw77 mode tap multi_queue
ip -n "$NS" link set tcw77 alias tcwire-persistent:p3 up
tc -n "$NS" qdisc add dev p3 ingress
tc -n "$NS" filter add dev p3 ingress pref 29795 protocol all u32 match u8 0 0 \
	action mirred egress redirect dev tcw77
expect_error "the helper does not reap a marked persistent tcw<N> tap" \
	"tcwire-helper: p3: already wired to tcw77" \
	in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br p3
check "... tcw77 is still there" ip -n "$NS" link show tcw77
ip -n "$NS" link set tcw77 alias tcwire:p3
check "without the mark, the same tap is an orphan the helper reaps" \
	in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br p3
check_absent "... tcw77 is gone" 'tcw77' ip -n "$NS" -o link show
tc -n "$NS" qdisc del dev p3 ingress

# 6. status and doctor: a stopped VM's tap is healthy
tcw status | sed 's/^/    | /'
check "status: tcw-x1 (nobody holds it) is 'stopped'" test \
	"$(tcw status | awk '$2 == "tcw-x1" { print $3 }')" = stopped
check "status --json: state stopped, persistent_wire" test \
	"$(tcw status --json | jq -r '.namespaces[0].wires[] | select(.tap.ifname == "tcw-x1") | "\(.state) \(.persistent_wire)"')" = "stopped true"
check "doctor finds nothing wrong" tcw doctor
spawn ip netns exec "$NS" "$TAP_OPEN" tcw-x1 single -- sleep 60
holder=$!
wait_until bash -c "ip -n '$NS' -o link show tcw-x1 | grep -qv NO-CARRIER"
check "status: held by a 'VM', tcw-x1 is 'ok'" test \
	"$(tcw status | awk '$2 == "tcw-x1" { print $3 }')" = ok

# 7. unwire
refused "unwire of a held tap" \
	"tcwire: tcw-x1: a VM holds it; stop the domain or detach its interface first" \
	1 unwire --tap tcw-x1
refused "unwire of a tap tcwire wire did not make" \
	"tcwire: tapz: was not made by tcwire wire (no tcwire-persistent: alias); left alone" \
	1 unwire --tap tapz
refused "unwire of a missing tap" \
	"tcwire: tcw-x9: no such interface in this network namespace" 1 unwire --tap tcw-x9
kill "$holder"
wait "$holder" 2>/dev/null
wait_until no_carrier tcw-x1
check "unwire of a stopped one" \
	test "$(tcw unwire --tap tcw-x1)" = "tcw-x1: unwired and deleted"
check "... the tap is gone and p1 carries no tcwire filter" bash -c \
	"! ip -n '$NS' link show tcw-x1 2>/dev/null && [ '$(count_tcwire_filters "$NS" p1)' = 0 ]"
tc -n "$NS" qdisc del dev tcw-x2 ingress
check "unwire of a one-way wire" \
	test "$(tcw unwire --tap tcw-x2)" = "tcw-x2: unwired and deleted"
check "... removed the partner's half too: p2 carries no tcwire filter" \
	test "$(count_tcwire_filters "$NS" p2)" = 0

# 8. wires.conf
conf() { printf '%s\n' "$@" >"$T/wires.conf"; }
conf "# comment" "tcw-c1 p1" "  tcw-c2	p2 queues=2  # trailing" ""
check "wire --all of a valid file" test \
	"$(tcw wire --all --config "$T/wires.conf" | tr '\n' ' ')" = \
	"tcw-c1: created and wired to p1 tcw-c2: created and wired to p2 "
check "... tcw-c2 is multiqueue" bash -c "ip -n '$NS' -d link show tcw-c2 | grep -q multi_queue"
conf "tcw-c1 p1" "tcw-c3 p9" "tcw-c4 p3"
out=$(tcw wire --all --config "$T/wires.conf" 2>&1)
rc=$?
verdict=no
[ "$rc" = 1 ] &&
	grep -qxF "tcwire: $T/wires.conf:2: p9: no such interface in this network namespace" <<<"$out" &&
	grep -qxF 'tcw-c1: already wired to p1' <<<"$out" &&
	grep -qxF 'tcw-c4: created and wired to p3' <<<"$out" && verdict=yes
check "wire --all goes on after a failing line, exit 1" test "$verdict" = yes
check "unwire --all" test "$(tcw unwire --all --config "$T/wires.conf" 2>/dev/null | wc -l)" = 2
for bad in "tcw-c1" "tcw-c1 p1 queues=x" "tcw-c1 p1 color=red" "tcw3 p1" "tcw-c1 p1|tcw-c1 p2" "tcw-c1 p1|tcw-c2 p1" "tcw-c1 a/b"; do
	IFS='|' read -ra lines <<<"$bad"
	conf "${lines[@]}"
	before=$(snapshot "$NS")
	out=$(tcw wire --all --config "$T/wires.conf" 2>&1)
	rc=$?
	verdict=no
	[ "$rc" = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] &&
		grep -q "^tcwire: $T/wires.conf:[12]: " <<<"$out" && verdict=yes
	check "wires.conf '$bad' is refused: exit 2, one line naming the line ($out)" \
		test "$verdict" = yes
	same_state "wires.conf '$bad'" "$before" "$(snapshot "$NS")"
done
refused "a missing wires.conf" \
	"tcwire: $T/none.conf: cannot read: No such file or directory" \
	2 wire --all --config "$T/none.conf"
finish
