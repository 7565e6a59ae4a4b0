#!/bin/bash
# The hostile-input matrix (docs/security.md): every row runs as uid 65534
# against the setuid helper installed in a temporary prefix (the SIGKILL
# rows run as root, because nobody may ptrace a setuid process). Unless a
# row says otherwise the expected outcome is: one clear line, a non-zero
# exit, no fd sent, and the namespace exactly as before.
. "$(dirname "$0")/lib-priv.sh"
command -v strace >/dev/null || skip "strace is not installed"
FD_KINDS=$TCWIRE_TOOLS/fd-kinds
cp "$FD_KINDS" "$TMP/bin/"

HELPER=$(install_helper setuid) || { echo "FAIL: meson install"; exit 1; }
mkdir -p "$ACL_DIR"
GOOD_ACL=$'allow all\ndeny eth2\n'
printf '%s' "$GOOD_ACL" >"$ACL"
chmod 0644 "$ACL"
tun_mode 0600

ns_new NS
veth_pair "$NS" eth1 peer1
veth_pair "$NS" eth2 peer2
veth_pair "$NS" eth3 peer3
ip -n "$NS" tuntap add vnet7 mode tap
ns_new OTHER
veth_pair "$OTHER" eth5 peer5

client() { as_user -n "$NS" "$TMP/bin/wire-client" --helper "$HELPER" "$@"; }
direct() { as_user -n "$NS" "$HELPER" "$@"; }

# row ID EXPECTED_LINE CMD...: the default outcome (see the top)
row() {
	local id=$1 want=$2 before after out
	shift 2
	before=$(snapshot "$NS")
	expect_error "$id" "$want" "$@"
	out=$("$@" 2>&1 >/dev/null)
	if grep -q 'after sending' <<<"$out"; then fail "$id: an fd was sent"; fi
	after=$(snapshot "$NS")
	[ "$before" = "$after" ] || { fail "$id: namespace changed"; diff <(echo "$before") <(echo "$after") | sed 's/^/    /'; }
}

# works ID CMD...: the row's outcome is "ignored": the wiring works, and
# the helper prints nothing at all
works() {
	local id=$1 out
	shift
	if out=$("$@" 2>&1 >/dev/null) && [ -z "$out" ]; then
		ok "$id"
	else
		fail "$id: $out"
	fi
}

# env_helper VAR=VALUE...: a "helper" that execs the setuid helper with
# these variables set, so only the helper (not the client) sees them
env_helper() {
	local f
	f=$(mktemp "$TMP/bin/env-helper.XXXXXX")
	printf '#!/bin/sh\nexec env' >"$f"
	printf ' %q' "$@" >>"$f"
	printf ' %q "$@"\n' "$HELPER" >>"$f"
	chmod 0755 "$f"
	echo "$f"
}
# env_client ID VAR=VALUE...: the wiring of eth1 with a hostile environment
env_client() {
	local id=$1 h
	shift
	h=$(env_helper "$@")
	works "$id" as_user -n "$NS" "$TMP/bin/wire-client" --helper "$h" --br eth1
}

name_msg='interface name may only contain letters, digits and "-_.@+"'
echo "# Names"
row N1 "tcwire-helper: eth456789012345: no such interface in this network namespace" client --br eth456789012345
row N2 "tcwire-helper: eth4567890123456: interface name longer than 15 bytes" client --br eth4567890123456
row N3 "tcwire-helper: eth45678901234567: interface name longer than 15 bytes" client --br eth45678901234567
row N4 "tcwire-helper: eth/1: $name_msg" client --br eth/1
row N5 "tcwire-helper: ..: not an interface name" client --br ..
row N6 "tcwire-helper: eth1\\x0a: $name_msg" client --br $'eth1\n'
row N7 "tcwire-helper: eth 1: $name_msg" client --br 'eth 1'
row N8 "tcwire-helper: eth*: $name_msg" client --br 'eth*'
row N9 "tcwire-helper: eth[1]: $name_msg" client --br 'eth[1]'

echo "# Arguments"
row A1 "tcwire-helper: --fd=5: not a unix stream socket" direct --fd=5 --br=eth1 5</etc/hostname
row A2 "tcwire-helper: --fd=5: not a unix stream socket" as_user -n "$NS" "$TMP/bin/fd-kinds" pipe "$HELPER" --fd=5 --br=eth1
row A3 "tcwire-helper: --fd=5: not an open file descriptor" as_user -n "$NS" "$TMP/bin/fd-kinds" closed "$HELPER" --fd=5 --br=eth1
for f in 0 1 2; do
	row "A4.$f" "tcwire-helper: --fd=$f: expected a file descriptor number above 2" direct --fd=$f --br=eth1
done
row A5 "tcwire-helper: --fd=2147483647: not an open file descriptor" direct --fd=2147483647 --br=eth1
row A5b "tcwire-helper: --fd=99999999999: expected a file descriptor number above 2" direct --fd=99999999999 --br=eth1
row A6 "tcwire-helper: --fd=5: not a unix stream socket" as_user -n "$NS" "$TMP/bin/fd-kinds" dgram "$HELPER" --fd=5 --br=eth1
row A6b "tcwire-helper: --fd=5: not a unix stream socket" as_user -n "$NS" "$TMP/bin/fd-kinds" udp "$HELPER" --fd=5 --br=eth1
row A6c "tcwire-helper: --fd=5: socket is not connected" as_user -n "$NS" "$TMP/bin/fd-kinds" unconnected "$HELPER" --fd=5 --br=eth1
row A7 "tcwire-helper: --br given twice" direct --fd=3 --br=eth1 --br=eth1
mapfile -t many < <(yes -- --use-vnet | head -n 10000)
row A8 "tcwire-helper: too many arguments (see --help)" direct "${many[@]}"
# A 1 MiB argument never reaches the helper: the kernel refuses exec with
# E2BIG above 128 KiB per argument. The largest one that does is refused.
big=$(head -c 1048576 /dev/zero | tr '\0' A)
"$HELPER" "$big" >/dev/null 2>&1
check "A9: a 1 MiB argument: exec fails (E2BIG, exit 126), nothing runs" test $? = 126
big=$(head -c 131071 /dev/zero | tr '\0' A)
row A9b "tcwire-helper: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA...: unknown option (see --help)" direct "$big"
unset many big

echo "# Environment (ignored: the wiring works and nothing is printed)"
cat >"$TMP/evil.c" <<'EOF2'
#include <stdio.h>
#include <stdlib.h>
__attribute__((constructor)) static void evil(void) { fputs("PWNED\n", stderr); exit(42); }
EOF2
cc -shared -fPIC -o "$TMP/bin/evil.so" "$TMP/evil.c"
mkdir -p "$TMP/evil-libs"
for l in libnl-3.so.200 libnl-route-3.so.200 libcap-ng.so.0 libc.so.6; do cp "$TMP/bin/evil.so" "$TMP/evil-libs/$l"; done
chmod -R a+rX "$TMP/evil-libs" "$TMP/bin/evil.so"
env_client E1 LD_PRELOAD="$TMP/bin/evil.so"
env_client E2 LD_LIBRARY_PATH="$TMP/evil-libs"
env_client E3 G_DEBUG=fatal-warnings,fatal-criticals G_SLICE=debug-blocks GLIB_DEBUG=all G_MESSAGES_DEBUG=all
env_client E4 NLDBG=7 NLCB=debug LIBNL_DEBUG=1
row E5 "tcwire-helper: eth9: no such interface in this network namespace" \
	as_user -n "$NS" "$TMP/bin/wire-client" --br eth9 \
	--helper "$(env_helper LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 LC_MESSAGES=fr_FR.UTF-8)"
env_client E6 TMPDIR=/nonexistent
works E7 as_user -n "$NS" sh -c 'umask 0; exec "$@"' sh "$TMP/bin/wire-client" --helper "$HELPER" --br eth1
works E8 as_user -n "$NS" env -i "$TMP/bin/wire-client" --helper "$HELPER" --br eth1

echo "# ACL files"
acl_case() {	# acl_case ID EXPECTED SETUP...: run SETUP, try eth1, restore
	local id=$1 want=$2
	shift 2
	"$@"
	row "$id" "$want" client --br eth1
	rm -f "$ACL" "$TMP"/acl-*
	printf '%s' "$GOOD_ACL" >"$ACL"
	chown 0:0 "$ACL"
	chmod 0644 "$ACL"
}
acl_case F1 "tcwire-helper: eth1: $ACL: is a symbolic link" \
	sh -c "cp '$ACL' '$TMP/acl-real' && ln -sf '$TMP/acl-real' '$ACL'"
acl_case F2 "tcwire-helper: eth1: $ACL: writable by group or others" chmod 0664 "$ACL"
acl_case F3 "tcwire-helper: eth1: $ACL: writable by group or others" chmod 0646 "$ACL"
acl_case F4 "tcwire-helper: eth1: $ACL: not owned by root" chown "$TEST_UID" "$ACL"
acl_case F5 "tcwire-helper: eth1: $ACL: included in a loop" \
	sh -c "printf 'include %s\n' '$TMP/acl-b' >'$ACL'; printf 'include %s\n' '$ACL' >'$TMP/acl-b'; chmod 644 '$TMP/acl-b'"
acl_case F6 "tcwire-helper: eth1: /etc/shadow: cannot read it as uid $TEST_UID, so its rules cannot apply: make it readable, or scope it with include-user/include-group" \
	sh -c "printf 'include /etc/shadow\n' >'$ACL'"
acl_case F7 "tcwire-helper: eth1: $ACL:1: line longer than 1023 bytes" \
	sh -c "head -c 1048575 /dev/zero | tr '\0' a >'$ACL'; echo >>'$ACL'"
acl_case F8 "tcwire-helper: eth1: $ACL:1: include needs an absolute path" \
	sh -c "printf 'include alice.conf\n' >'$ACL'"

# An include the caller cannot read fails closed: an administrator's 0600
# deny list must never silently stop applying (round 2). Per-user rules
# are scoped explicitly instead, and somebody else's are never opened.
printf 'allow eth1\ninclude %s\n' "$TMP/acl-deny" >"$ACL"
printf 'deny eth1\n' >"$TMP/acl-deny"
chmod 0600 "$TMP/acl-deny"
row F9 "tcwire-helper: eth1: $TMP/acl-deny: cannot read it as uid $TEST_UID, so its rules cannot apply: make it readable, or scope it with include-user/include-group" client --br eth1
printf 'allow eth1\ninclude-user %s %s\ninclude-group 4242 %s\n' \
	"$TEST_UID" "$TMP/acl-deny" "$TMP/acl-other" >"$ACL"
chmod 0644 "$TMP/acl-deny"
printf 'deny all\n' >"$TMP/acl-other"
chmod 0600 "$TMP/acl-other"
row F10a "tcwire-helper: eth1: not allowed by $ACL: the rule \"deny eth1\" refuses it" client --br eth1
printf 'allow eth1\ninclude-user 4242 %s\n' "$TMP/acl-other" >"$ACL"
works F10b client --br eth1
rm -f "$TMP/acl-deny" "$TMP/acl-other"
printf '%s' "$GOOD_ACL" >"$ACL"

echo "# Partners"
row P1 "tcwire-helper: lo: the loopback device cannot be wired" client --br lo
row P2 "tcwire-helper: vnet7: is a tap device; wiring it to another tap would loop two VMs together" client --br vnet7
# a live tcwire tap, held by a client, as the partner of another wiring
spawn client --br eth3 -- sh -c 'echo "$TCWIRE_TAP_NAME $$" >"$1.tmp"; mv "$1.tmp" "$1"; exec sleep 60' \
	sh "$USER_DIR/live"
holder=$!
wait_until test -s "$USER_DIR/live"
read -r live live_pid <"$USER_DIR/live"
out=$(client --br "$live" 2>&1)
check "P2b: another VM's live tcwire tap ($live) is refused" \
	grep -qxF "tcwire-helper: $live: names tcw<N> belong to tcwire's own taps and cannot be a partner" <<<"$out"
kill "$live_pid" 2>/dev/null
wait "$holder" 2>/dev/null
tc -n "$NS" filter del dev eth3 ingress
row P3 "tcwire-helper: tcw5: names tcw<N> belong to tcwire's own taps and cannot be a partner" client --br tcw5
row P4 "tcwire-helper: eth5: no such interface in this network namespace" client --br eth5
# The partner vanishes while the helper waits for its wire lock
ifindex=$(in_ns "$NS" cat /sys/class/net/eth3/ifindex)
spawn ip netns exec "$NS" "$TMP/bin/hold-lock" "$ifindex" 30 >"$TMP/lock.out"
locker=$!
wait_until grep -q locked "$TMP/lock.out"
spawn client --br eth3 >/dev/null 2>"$TMP/p5.err"
waiter=$!
# Wait until the helper found eth3 and sleeps in the lock's retry loop
# (syscall 230, clock_nanosleep, or 35, nanosleep), however slow we are
wait_until helper_in_state syscall '^(230|35) '
ip -n "$NS" link del eth3
kill "$locker"
wait "$waiter"
rc=$?
check "P5: partner deleted mid-run: exit 1, 'eth3: disappeared while the helper was wiring it'" \
	bash -c "[ $rc = 1 ] && grep -qx 'tcwire-helper: eth3: disappeared while the helper was wiring it' '$TMP/p5.err'"
check_absent "P5: no tap left" ': tcw' ip -n "$NS" -o link
veth_pair "$NS" eth3 peer3

# An alternative name of a denied interface (CVE-2019-13164's cousin)
ip -n "$NS" link property add dev eth2 altname lab-alt2
row P6 "tcwire-helper: lab-alt2: is an alternative name of eth2; give the interface's own name" client --br lab-alt2
# Another VM's macvtap / ipvtap
ip -n "$NS" link add link eth3 name mvtap0 type macvtap
row P7 "tcwire-helper: mvtap0: is a tap device; wiring it to another tap would loop two VMs together" client --br mvtap0
ip -n "$NS" link del mvtap0
# A user makes its tap persistent and lets go (no privilege needed): the
# partner must not stay "wired" to the orphan, nor the user keep it
# orphan ID PARTNER: the user makes its tap persistent and lets go; the
# next wiring of PARTNER succeeds and deletes the orphan
orphan() {
	local id=$1 br=$2 tap
	tap=$(client --make-persistent --br "$br" 2>&1)
	check "$id: the user made its tap $tap persistent (setup)" \
		bash -c "ip -n '$NS' -d link show '$tap' 2>/dev/null | grep -q 'persist on'"
	check "$id: the next wiring of $br succeeds" client --br "$br" -- true
	check_absent "$id: and it deleted the orphaned tap" ": $tap:" ip -n "$NS" -o link
}
orphan P8 eth1
# The mark of tcwire wire's persistent taps (alias tcwire-persistent:,
# which the orphan reaper spares) cannot be put on a tap by its owner; and
# tcwire wire itself is root's (tcwire is not setuid)
row PM1 "RTNETLINK answers: Operation not permitted" \
	client --br eth1 -- sh -c 'exec ip link set "$TCWIRE_TAP_NAME" alias tcwire-persistent:eth1'
cp "$TCWIRE_STATUS" "$TMP/bin/tcwire"
row PM2 "tcwire: wire needs CAP_NET_ADMIN: run it as root" \
	as_user -n "$NS" "$TMP/bin/tcwire" wire --tap tcw-x1 --partner eth1

echo "# Round 2: tap ownership, foreign filters, foreign tc state"
ATTACKER_UID=65533
as_attacker() { TEST_UID=$ATTACKER_UID TEST_GID=$ATTACKER_UID as_user -n "$NS" "$@"; }
cp "$TCWIRE_TOOLS/tun-attach" "$TCWIRE_SOURCE_ROOT/tests/tools/stall-send.py" "$TMP/bin/"
# hold_wire FILE ARGS...: nobody wires with ARGS and holds the tap; waits
# until "TAPNAME PID" is in FILE
hold_wire() {
	local file=$1
	shift
	rm -f "$file"
	spawn client "$@" -- sh -c 'echo "$TCWIRE_TAP_NAME $$ $TCWIRE_TAP_FD" >"$1.tmp"; mv "$1.tmp" "$1"; exec sleep 60' \
		sh "$file"
	wait_until test -s "$file"
}
# D1: another user may not attach a queue to a tcwire tap, single or
# multiqueue, whatever the mode of /dev/net/tun
for mode in 0600 0666; do
	tun_mode "$mode"
	for q in 1 2; do
		hold_wire "$USER_DIR/d1" --br eth1 --queues=$q
		read -r tap pid _ <"$USER_DIR/d1"
		for kind in single multi; do
			out=$(as_attacker "$TMP/bin/tun-attach" "$tap" "$kind")
			check "D1: tun $mode, $q queue(s): another user's $kind attach to $tap is refused ($out)" \
				test "$out" != attached
		done
		check "D1: tun $mode, $q queue(s): $tap belongs to uid $TEST_UID" \
			test "$(in_ns "$NS" cat "/sys/class/net/$tap/owner" "/sys/class/net/$tap/group" | xargs)" = "$TEST_UID $TEST_GID"
		kill "$pid"; wait 2>/dev/null
	done
done
tun_mode 0600
tc -n "$NS" qdisc del dev eth1 ingress 2>/dev/null

# D2: a dead foreign redirect at our priority, on clsact egress and on
# chain 7, must not make A's live wire look stale
tc -n "$NS" qdisc add dev eth1 clsact
ip -n "$NS" link add tmpx type veth peer name tmpy
tc -n "$NS" filter add dev eth1 egress prio 29795 protocol all u32 match u8 0 0 action mirred egress redirect dev tmpx
tc -n "$NS" filter add dev eth1 ingress prio 29795 chain 7 protocol all u32 match u8 0 0 action mirred egress redirect dev tmpx
ip -n "$NS" link del tmpx
hold_wire "$USER_DIR/d2" --br eth1
read -r tap pid fd <"$USER_DIR/d2"
row D2 "tcwire-helper: eth1: already wired to $tap" as_attacker "$TMP/bin/wire-client" --helper "$HELPER" --br eth1
# (the dead egress redirect drops what leaves eth1: the administrator's
# doing, so it goes before the frames are checked)
tc -n "$NS" filter del dev eth1 egress prio 29795
check "D2: A's wire still carries every frame, both ways" \
	in_ns "$NS" "$FRAME_CHECK" --from-pid "$pid" --tap-fd "$fd" --peer peer1
kill "$pid"; wait 2>/dev/null
# ... and a live foreign redirect on egress does not make eth1 "wired"
ip -n "$NS" link add tmpz type veth peer name tmpw
tc -n "$NS" filter add dev eth1 egress prio 29795 protocol all u32 match u8 0 0 action mirred egress redirect dev tmpz
works D2b client --br eth1
check "D2b: the foreign egress and chain 7 filters are untouched" \
	bash -c "tc -n '$NS' filter show dev eth1 egress | grep -q 'Redirect to device tmpz' &&
		tc -n '$NS' filter show dev eth1 ingress chain 7 | grep -q 'Redirect to device'"
ip -n "$NS" link del tmpz
tc -n "$NS" qdisc del dev eth1 clsact

# D3a: an administrator's u32 hash table at our priority is foreign: the
# wiring is refused and the table stays
tc -n "$NS" qdisc add dev eth2 ingress
tc -n "$NS" filter add dev eth2 parent ffff: prio 29795 protocol all handle 5: u32 divisor 16
printf 'allow all\n' >"$ACL"
row D3a "tcwire-helper: eth2: tc filter priority 29795 is already taken on its ingress hook" client --br eth2
check "D3a: table 5: is still there" bash -c "tc -n '$NS' filter show dev eth2 ingress | grep -q 'fh 5: ht divisor 16'"
tc -n "$NS" qdisc del dev eth2 ingress
printf '%s' "$GOOD_ACL" >"$ACL"

# D3b: a caller that never reads: the send times out, the wiring is rolled
# back, and root's filter added meanwhile (on the qdisc the helper made)
# survives with its qdisc
rm -f "$USER_DIR/d3b"
spawn as_user -n "$NS" "$TMP/bin/stall-send.py" "$HELPER" eth1 "$USER_DIR/d3b" 2>"$TMP/d3b.err"
staller=$!
redirect_on_eth1() { tc -n "$NS" filter show dev eth1 ingress | grep -q "Redirect to device tcw"; }
check "D3b: the stalled helper has wired eth1" wait_until redirect_on_eth1
tc -n "$NS" filter add dev eth1 ingress prio 100 protocol ip u32 match ip dst 192.0.2.1/32 action drop 2>/dev/null ||
	tc -n "$NS" filter add dev eth1 ingress prio 100 protocol ip u32 match ip dst 192.0.2.1/32 classid 1:1
wait "$staller"
rc=$?
check "D3b: the helper gave up after 5 s with one line and exit 1" \
	bash -c "[ $rc = 1 ] && [ \"\$(cat '$TMP/d3b.err')\" = 'tcwire-helper: eth1: the caller did not take the tap fd within 5 s' ]"
check "D3b: root's filter and the ingress qdisc survive the rollback" \
	bash -c "tc -n '$NS' filter show dev eth1 ingress | grep -q 'pref 100'"
check_absent "D3b: no tcwire filter is left" 'pref 29795' tc -n "$NS" filter show dev eth1 ingress
check_absent "D3b: no tap is left" ': tcw' ip -n "$NS" -o link
tc -n "$NS" qdisc del dev eth1 ingress

# SIGXFSZ: RLIMIT_FSIZE=0 and stderr to a file: exit 1, not a signal
as_user -n "$NS" prlimit --fsize=0 "$HELPER" --fd=7 --br=eth1 2>"$TMP/fsize.err"
rc=$?
check "X1: RLIMIT_FSIZE=0, stderr to a file: exit status 1 (got $rc), not death by SIGXFSZ" test "$rc" = 1

# Bridge mode: a port made persistent and let go of is an orphan, too
ip -n "$NS" link add br0 type bridge
ip -n "$NS" link set br0 up
printf 'allow all\n' >"$ACL"
orphan B1 br0
ip -n "$NS" link del br0
printf '%s' "$GOOD_ACL" >"$ACL"

echo "# Re-wire mode (--rewire)"
cp "$TCWIRE_TOOLS/rewire-client" "$TCWIRE_SOURCE_ROOT/tests/tools/rewire-holder.sh" "$TMP/bin/"
chmod 0755 "$TMP/bin/rewire-client" "$TMP/bin/rewire-holder.sh"
rewire() { "$TMP/bin/rewire-client" --helper "$HELPER" "$@"; }
# rw_holder ID PARTNER: nobody wires PARTNER and holds the tap
# (tests/tools/rewire-holder.sh: "NAME ..." in $USER_DIR/ID.tap; each
# PARTNER written to ID.do is re-wired once "go" exists: exit status in
# ID.rc, stderr in ID.err), until ID.stop exists or the test ends
rw_holder() {
	spawn client --br "$2" -- "$TMP/bin/rewire-holder.sh" "$USER_DIR/$1" \
		"$TMP/bin/rewire-client" "$HELPER" "$USER_DIR/go"
	for _ in $(seq 300); do [ -s "$USER_DIR/$1.tap" ] && return 0; sleep 0.05; done
	return 1
}
# rw_ask ID PARTNER: have holder ID re-wire to PARTNER; prints its stderr
# and returns its exit status
rw_ask() {
	rm -f "$USER_DIR/$1.rc"
	echo "$2" >"$USER_DIR/$1.do"
	touch "$USER_DIR/go"
	for _ in $(seq 400); do [ -s "$USER_DIR/$1.rc" ] && break; sleep 0.05; done
	cat "$USER_DIR/$1.err" >&2
	return "$(cat "$USER_DIR/$1.rc")"
}
row RW1 "tcwire-helper: eth1: --rewire: the fd sent is not a tap" \
	as_user -n "$NS" "$TMP/bin/fd-kinds" pipe "$TMP/bin/rewire-client" --helper "$HELPER" --br eth1 --tap-fd 5
row RW2 "tcwire-helper: eth1: --rewire: tap vnet7 is not one of tcwire's (tcw<N>)" \
	in_ns "$NS" "$TMP/bin/fd-kinds" tap=vnet7 setpriv --reuid="$TEST_UID" \
	--regid="$TEST_GID" --clear-groups --inh-caps=-all "$TMP/bin/rewire-client" \
	--helper "$HELPER" --br eth1 --tap-fd 5
ip -n "$OTHER" tuntap add tcw91 mode tap
row RW3 "tcwire-helper: eth1: --rewire: tap tcw91 is in another network namespace" \
	ip netns exec "$OTHER" "$TMP/bin/fd-kinds" tap=tcw91 ip netns exec "$NS" \
	setpriv --reuid="$TEST_UID" --regid="$TEST_GID" --clear-groups --inh-caps=-all \
	"$TMP/bin/rewire-client" --helper "$HELPER" --br eth1 --tap-fd 5
rw_holder h1 eth3
rw_holder h2 eth1
h1=$(cut -d' ' -f1 "$USER_DIR/h1.tap")
h2=$(cut -d' ' -f1 "$USER_DIR/h2.tap")
row RW4 "tcwire-helper: eth2: not allowed by $ACL: the rule \"deny eth2\" refuses it" rw_ask h1 eth2
row RW5 "tcwire-helper: eth3: already wired to $h1" rw_ask h2 eth3
# Both partners are created again; both holders go for eth1 at once
for k in 1 3; do ip -n "$NS" link del "eth$k"; veth_pair "$NS" "eth$k" "peer$k"; done
rm -f "$USER_DIR/go" "$USER_DIR/h1.rc" "$USER_DIR/h2.rc"
echo eth1 >"$USER_DIR/h1.do"
echo eth1 >"$USER_DIR/h2.do"
sleep 0.3	# both wait for "go"
touch "$USER_DIR/go"
for _ in $(seq 400); do [ -s "$USER_DIR/h1.rc" ] && [ -s "$USER_DIR/h2.rc" ] && break; sleep 0.05; done
rcs="$(cat "$USER_DIR/h1.rc")$(cat "$USER_DIR/h2.rc")"
winner=$(tc -n "$NS" filter show dev eth1 ingress | grep -o 'Redirect to device tcw[0-9]*' | awk '{print $4}')
check "RW6: two re-wires of one partner at once: one wins ($winner), the other exits 1 ($rcs)" \
	bash -c "{ [ '$rcs' = 01 ] || [ '$rcs' = 10 ]; } && { [ '$winner' = '$h1' ] || [ '$winner' = '$h2' ]; }"
check "RW6: ... with one line naming the winner" \
	test "$(cat "$USER_DIR/h1.err" "$USER_DIR/h2.err")" = "tcwire-helper: eth1: already wired to $winner"
check "RW6: ... and eth1 carries one filter" test "$(count_tcwire_filters "$NS" eth1)" = 1
touch "$USER_DIR/h1.stop" "$USER_DIR/h2.stop"
wait
for k in 1 3; do tc -n "$NS" filter del dev "eth$k" ingress 2>/dev/null; done

echo "# Round 3: lookups that fail open, forged orphans, a re-wire race"
# R3A: an include-user/include-group whose name lookup fails is not
# skipped. nofile_helper SOFT:HARD: a "helper" that execs the setuid helper
# with that RLIMIT_NOFILE (what any caller may do)
nofile_helper() {
	local f=$TMP/bin/nofile-helper-${1//:/-}
	printf '#!/bin/sh\nexec prlimit --nofile=%s %q "$@"\n' "$1" "$HELPER" >"$f"
	chmod 0755 "$f"
	echo "$f"
}
nofile_client() { as_user -n "$NS" "$TMP/bin/wire-client" --helper "$(nofile_helper "$1")" --br eth1; }
printf 'deny eth1\n' >"$TMP/acl-user"
chmod 0644 "$TMP/acl-user"
user_name=$(getent passwd "$TEST_UID" | cut -d: -f1)
# the include-user in an included file (the review's limit: 7)
printf 'allow all\ninclude %s\n' "$TMP/acl-mid" >"$ACL"
printf 'include-user %s %s\n' "$user_name" "$TMP/acl-user" >"$TMP/acl-mid"
chmod 0644 "$TMP/acl-mid"
row R3A1 "tcwire-helper: RLIMIT_NOFILE is 7, below the 64 open files the helper needs: raise it (ulimit -n)" \
	nofile_client 7:7
row R3A1b "tcwire-helper: eth1: not allowed by $ACL: the rule \"deny eth1\" refuses it" nofile_client 7:
# at top level (the review's limit: 6, raised again after the drop)
printf 'allow all\ninclude-user %s %s\n' "$user_name" "$TMP/acl-user" >"$ACL"
row R3A2 "tcwire-helper: RLIMIT_NOFILE is 6, below the 64 open files the helper needs: raise it (ulimit -n)" \
	nofile_client 6:6
row R3A2b "tcwire-helper: eth1: not allowed by $ACL: the rule \"deny eth1\" refuses it" nofile_client 6:
# a group line over 16 KiB (2000 members): ERANGE for a fixed buffer. The
# group file is changed in this test's private mount namespace only.
BIG_GID=4343
{ cat /etc/group; printf 'tcwbig:x:%d:' "$BIG_GID"; for i in $(seq 2000); do printf 'member%04d,' "$i"; done; printf 'member0\n'; } >"$TMP/group"
chmod 0644 "$TMP/group"
mount --bind "$TMP/group" /etc/group
printf 'allow all\ninclude-group tcwbig %s\n' "$TMP/acl-user" >"$ACL"
check "R3A3: (setup) the tcwbig line is over 16 KiB" test "$(grep -c '^tcwbig:' /etc/group)" = 1 -a "$(grep '^tcwbig:' /etc/group | wc -c)" -gt 16384
big_group_client() { TEST_GID=$BIG_GID as_user -n "$NS" "$TMP/bin/wire-client" --helper "$HELPER" --br eth1; }
row R3A3 "tcwire-helper: eth1: not allowed by $ACL: the rule \"deny eth1\" refuses it" big_group_client
# a name that does not exist is "not this caller": its include is skipped
printf 'allow all\ninclude-user tcw-no-such-user %s\ninclude-group tcw-no-such-group %s\n' \
	"$TMP/acl-user" "$TMP/acl-user" >"$ACL"
works R3A4 client --br eth1 -- true
umount /etc/group
printf '%s' "$GOOD_ACL" >"$ACL"

# R3B: a tap whose fd is held is never reaped, however it looks; and the
# root-opened fd never becomes free to attach to another tap (tun is 0600
# here). VICTIM: an owner-less tap of root's.
cp "$TCWIRE_TOOLS/forge-orphan" "$TMP/bin/"
ip -n "$NS" tuntap add tcwvictim mode tap
# forged ID MODE QUEUES: nobody forges an orphan of its eth1 tap, then
# somebody else wires eth1
forged() {
	local id=$1 state=$USER_DIR/$1 tap out res
	spawn client --br eth1 --queues="$3" -- "$TMP/bin/forge-orphan" "$2" "$state" tcwvictim
	wait_until test -s "$state.ready" || { fail "$id: (setup) forge-orphan $2 did not get ready"; return; }
	tap=$(cat "$state.ready")
	out=$(as_attacker "$TMP/bin/wire-client" --helper "$HELPER" --br eth1 2>&1 >/dev/null |
		grep -v '^wire-client: ')
	check "$id: $2 ($3 queue(s)): the next wiring of eth1 is refused, the held tap $tap is not reaped ($out)" \
		test "$out" = "tcwire-helper: eth1: already wired to $tap"
	check "$id: ... $tap still exists" in_ns "$NS" test -e "/sys/class/net/$tap"
	touch "$state.go"
	wait_until test -s "$state.result"
	res=$(cat "$state.result")
	check "$id: ... and its root-opened fd cannot attach to root's owner-less tap ($res)" \
		test -n "$res" -a "$res" != attached
	# forge-orphan has exited and left its tap persistent: a real orphan
	wait_until bash -c "! pgrep -u $TEST_UID -x forge-orphan >/dev/null"
	ip -n "$NS" link del "$tap"
	tc -n "$NS" filter del dev eth1 ingress 2>/dev/null
}
forged R3B1 carrier 1
forged R3B2 detach 2
forged R3B3 detach 1
ip -n "$NS" link del tcwvictim

# R3C: --rewire binds to the tap behind the fd, not to its name. The
# attacker's re-wire of its tap (to eth3) is held after the helper checked
# the fd (strace, as root, delays its first open of the ACL: the caller can
# do the same with SIGSTOP); meanwhile the tap goes away (an administrator
# deletes it), another user's new tap gets its name and loses its partner
# (a redeployed peer); then the held re-wire goes on.
rm -f "$USER_DIR/go" "$USER_DIR"/c1.*
for tap in $(ip -n "$NS" -o link | grep -o ': tcw[0-9]*' | cut -c3-); do ip -n "$NS" link del "$tap"; done
rw_holder c1 eth3
c1=$(cut -d' ' -f1 "$USER_DIR/c1.tap")
c1_pid=$(cut -d' ' -f3 "$USER_DIR/c1.tap")
# The hold is 15 s: the set-up below (a tap deleted, another user's wiring,
# a veth made again) must fit in it also on a loaded machine, where 4 s
# once did not
spawn strace -f -o /dev/null -p "$c1_pid" -P "$ACL" -e trace=openat \
	-e inject=openat:delay_enter=15000000:when=1
wait_until bash -c "grep -q '^TracerPid:[[:space:]]*[1-9]' /proc/$c1_pid/status"
echo eth3 >"$USER_DIR/c1.do"
touch "$USER_DIR/go"
wait_until helper_in_state syscall '^257 '
ip -n "$NS" link del "$c1"
mkdir "$TMP/victim"
chown "$ATTACKER_UID:$ATTACKER_UID" "$TMP/victim"
spawn as_attacker "$TMP/bin/wire-client" --helper "$HELPER" --br eth1 -- \
	sh -c 'echo "$TCWIRE_TAP_NAME" >"$1.tmp"; mv "$1.tmp" "$1"; exec sleep 60' sh "$TMP/victim/tap"
wait_until test -s "$TMP/victim/tap"
victim=$(cat "$TMP/victim/tap")
ip -n "$NS" link del eth1
veth_pair "$NS" eth1 peer1
check "R3C: (setup) the victim's new tap took the name $c1 while the re-wire was held ($victim)" \
	test "$victim" = "$c1"
for _ in $(seq 800); do [ -s "$USER_DIR/c1.rc" ] && break; sleep 0.05; done
check "R3C: the held re-wire is refused with one line, exit 1 ($(cat "$USER_DIR/c1.rc" 2>/dev/null): $(cat "$USER_DIR/c1.err" 2>/dev/null))" \
	test "$(cat "$USER_DIR/c1.rc" 2>/dev/null)" = 1 -a "$(cat "$USER_DIR/c1.err" 2>/dev/null)" = "tcwire-helper: eth3: --rewire: the fd sent is not a tap"
check_absent "R3C: ... the victim's tap is not wired to eth3" 'Redirect to device eth3' tc -n "$NS" filter show dev "$victim" ingress
check_absent "R3C: ... nor eth3 to the victim's tap" "Redirect to device $victim)" tc -n "$NS" filter show dev eth3 ingress
touch "$USER_DIR/c1.stop"
pkill -u "$ATTACKER_UID" -x sleep
for k in 1 3; do tc -n "$NS" filter del dev "eth$k" ingress 2>/dev/null; done

# R3D: names other users chose are escaped in tcwire's text, and quoted
# in the commands doctor suggests. A partner named with a terminal's
# title-setting sequence, another named "x;id", and a holder whose comm
# clears the screen; tcwire status and doctor run as nobody
cp "$TCWIRE_STATUS" "$TMP/bin/tcwire"
esc_name=$'e\033]0;t\007'
cp "$(command -v sleep)" "$TMP/bin/"$'\033[2Jfake'
spawn client --br eth3 -- "$TMP/bin/"$'\033[2Jfake' 60
wait_until bash -c "[ \"\$(ip -n '$NS' -o link | grep -c ': tcw')\" -ge 1 ] && pgrep -f fake >/dev/null"
ip -n "$NS" link set eth3 down
ip -n "$NS" link set eth3 name "$esc_name"
# 'x;id' carries a redirect to a device since deleted (a stale wire)
ip -n "$NS" link add 'x;id' type veth peer name peerx
ip -n "$NS" link add tmpa type veth peer name tmpb
tc -n "$NS" qdisc add dev 'x;id' ingress
tc -n "$NS" filter add dev 'x;id' ingress pref 29795 protocol all u32 match u8 0 0 action mirred egress redirect dev tmpa
ip -n "$NS" link del tmpa
as_user -n "$NS" "$TMP/bin/tcwire" status >"$TMP/d-status" 2>&1
as_user -n "$NS" "$TMP/bin/tcwire" doctor >"$TMP/d-doctor" 2>&1
as_user -n "$NS" "$TMP/bin/tcwire" status --json >"$TMP/d-json" 2>&1
check_absent "R3D1: tcwire status prints no control byte" $'[\001-\010\013-\037\177]' cat "$TMP/d-status"
check "R3D1: ... the partner's name shows escaped" grep -qF 'e\033]0;t\007' "$TMP/d-status"
check "R3D1: ... and the holder's comm" grep -qF '(\033[2Jfake)' "$TMP/d-status"
check_absent "R3D2: tcwire doctor prints no control byte" $'[\001-\010\013-\037\177]' cat "$TMP/d-doctor"
check "R3D2: ... its fix for the partner shell-quotes the name" \
	grep -qxF "  fix: ip link set dev \$'e\\033]0;t\\007' up" "$TMP/d-doctor"
check "R3D2: ... and 'x;id' is one word" grep -qF "remove it: tc filter del dev 'x;id' ingress pref 29795" "$TMP/d-doctor"
check "R3D2: ... which the shell reads back to the same name" \
	test "$(bash -c "printf %s \$'e\\033]0;t\\007'")" = "$esc_name"
check "R3D3: tcwire status --json is valid JSON with the exact name" \
	test "$(jq -r '.. | objects | select(has("ifname")) | .ifname' "$TMP/d-json" | grep -cxF "$esc_name")" = 1
# --all as root: a container's host name with escape sequences
spawn unshare --net --uts -- sh -c 'printf %s "$1" >/proc/sys/kernel/hostname && ip link add eth3 type veth peer name peer3 && ip link set peer3 up && exec "$2" --helper "$3" --br eth3 -- sleep 60' \
	sh $'ctr\033[2J\033]0;x\007' "$WIRE_CLIENT" "$TCWIRE_HELPER" >/dev/null 2>&1
wait_until bash -c "'$TMP/bin/tcwire' status --all | grep -q ctr"
"$TMP/bin/tcwire" status --all >"$TMP/d-all" 2>&1
check_absent "R3D4: tcwire status --all (root) prints no control byte" $'[\001-\010\013-\037\177]' cat "$TMP/d-all"
check "R3D4: ... the host name shows escaped" grep -qF 'ctr\033[2J\033]0;x\007' "$TMP/d-all"
ip -n "$NS" link del 'x;id'
ip -n "$NS" link set "$esc_name" name eth3
ip -n "$NS" link set eth3 up
pkill -f 'Jfake 60'
wait_until bash -c "! ip -n '$NS' -o link | grep -q ': tcw'"
tc -n "$NS" filter del dev eth3 ingress 2>/dev/null

echo "# Reserved taps (--reserve: a slot's tap for an interface not there yet)"
cp "$TCWIRE_SOURCE_ROOT/tests/tools/reserve-many.py" "$TMP/bin/"
row RS1 "tcwire-helper: eth2: not allowed by $ACL: the rule \"deny eth2\" refuses it" client --reserve --br eth2
row RS1b "tcwire-helper: --reserve makes a new tap; --rewire wires one that exists: not both" \
	direct --reserve --rewire --fd=3 --br=eth9
works RS2 client --reserve --br eth9 -- true
check_absent "RS2: a reservation holds nothing: its tap died with its fd" ': tcw' ip -n "$NS" -o link
# reserved in another network namespace (by root there), re-wired here
row RS3 "tcwire-helper: eth1: --rewire: tap tcw0 is in another network namespace" \
	ip netns exec "$OTHER" "$TMP/bin/wire-client" --helper "$HELPER" --reserve --br eth9 -- \
	sh -c 'exec ip netns exec "$1" setpriv --reuid="$2" --regid="$3" --clear-groups --inh-caps=-all "$4" --helper "$5" --br eth1 --tap-fd "$TCWIRE_TAP_FD"' \
	sh "$NS" "$TEST_UID" "$TEST_GID" "$TMP/bin/rewire-client" "$HELPER"
# re-wired to a partner that another tap is live-wired to
rm -f "$USER_DIR/rs4"
spawn client --br eth3 -- sh -c 'echo "$TCWIRE_TAP_NAME" >"$1.tmp"; mv "$1.tmp" "$1"; exec sleep 60' \
	sh "$USER_DIR/rs4"
wait_until test -s "$USER_DIR/rs4"
live=$(cat "$USER_DIR/rs4")
row RS4 "tcwire-helper: eth3: already wired to $live" \
	client --reserve --br eth9 -- sh -c 'exec "$1" --helper "$2" --br eth3 --tap-fd "$TCWIRE_TAP_FD"' \
	sh "$TMP/bin/rewire-client" "$HELPER"
kill "$(pgrep -u "$TEST_UID" -f 'sleep 60' | head -n1)" 2>/dev/null
wait_until bash -c "! ip -n '$NS' -o link | grep -q ': tcw'"
tc -n "$NS" filter del dev eth3 ingress 2>/dev/null
# exhausting taps: one user process reserves until it can hold no more fds
spawn as_user -n "$NS" prlimit --nofile=24: "$TMP/bin/reserve-many.py" "$HELPER" eth9 1000 \
	"$USER_DIR/rs5.done" >"$TMP/rs5.out" 2>&1
wait_until grep -q '^held ' "$TMP/rs5.out"
held=$(sed -n 's/^held //p' "$TMP/rs5.out")
taps=$(count_matches ': tcw' ip -n "$NS" -o link)
check "RS5: reservations stop at the caller's RLIMIT_NOFILE ($held taps held, $taps in the namespace; why: $(sed -n 2p "$TMP/rs5.out"))" \
	bash -c "[ '$held' -gt 0 ] && [ '$held' -lt 24 ] && [ '$taps' = '$held' ]"
touch "$USER_DIR/rs5.done"
wait_until bash -c "! ip -n '$NS' -o link | grep -q ': tcw'"
check_absent "RS5: ... and every one of them died with the caller's fds" ': tcw' ip -n "$NS" -o link

echo "# Management passthrough (--mgmt, issue 21): eth0 needs its own grant"
veth_pair "$NS" eth0 peer0
ip -n "$NS" link set eth0 up
mgmt_nodes() { count_matches 'fh 800::' tc -n "$NS" filter show dev eth0 ingress; }
# denied by default: "allow all" is no grant
row M1 "tcwire-helper: eth0: management passthrough not allowed by $ACL: it needs the line \"allow-mgmt eth0\" (and no deny-mgmt rule for it)" \
	client --mgmt --br eth0
printf 'allow eth*\ndeny eth0\nallow-mgmt eth0\n' >"$ACL"
# the grant is for the passthrough alone: eth0 stays denied as a data link
row M1b "tcwire-helper: eth0: not allowed by $ACL: the rule \"deny eth0\" refuses it" client --br eth0
# a non-eth0 name: the grant names eth0
row M2 "tcwire-helper: eth1: management passthrough not allowed by $ACL: it needs the line \"allow-mgmt eth1\" (and no deny-mgmt rule for it)" \
	client --mgmt --br eth1
row M2b "tcwire-helper: --mgmt wires a new tap: not with --reserve" \
	direct --mgmt --reserve --fd=3 --br=eth0
# a second VM claiming it: A holds eth0's passthrough, B (another user) asks
hold_wire "$USER_DIR/m3" --mgmt --br eth0
read -r mtap mpid _ <"$USER_DIR/m3"
check "M3: A's passthrough is in place: 5 exceptions and the redirect" test "$(mgmt_nodes)" = 6
row M3 "tcwire-helper: eth0: already wired to $mtap" as_attacker "$TMP/bin/wire-client" --helper "$HELPER" --mgmt --br eth0
row M3b "tcwire-helper: eth0: already wired to $mtap" client --mgmt --br eth0
# a flap: eth0 (and its peer) go down and up; a claim while it is down is
# refused, and afterwards the passthrough is still A's, whole
ip -n "$NS" link set eth0 down
ip -n "$NS" link set peer0 down
row M4 "tcwire-helper: eth0: already wired to $mtap" as_attacker "$TMP/bin/wire-client" --helper "$HELPER" --mgmt --br eth0
ip -n "$NS" link set peer0 up
ip -n "$NS" link set eth0 up
check "M4: after the flap the passthrough is A's, whole" \
	bash -c "[ \"\$(tc -n '$NS' filter show dev eth0 ingress | grep -c 'device $mtap)')\" = 4 ] && [ $(mgmt_nodes) = 6 ]"
kill "$mpid"; wait 2>/dev/null
wait_until bash -c "! ip -n '$NS' -o link | grep -q ': $mtap'"
# A is gone: its passthrough is stale; B's wiring replaces all of it
works M4b as_attacker "$TMP/bin/wire-client" --helper "$HELPER" --mgmt --br eth0 -- \
	sh -c '[ "$(tc filter show dev eth0 ingress | grep -c "fh 800::")" = 6 ]'
tc -n "$NS" qdisc del dev eth0 ingress
ip -n "$NS" link del eth0
printf '%s' "$GOOD_ACL" >"$ACL"

echo "# Process"
cat >"$TMP/bin/nofile4-helper" <<EOF2
#!/bin/sh
exec prlimit --nofile=4:4 "$HELPER" "\$@"
EOF2
chmod 0755 "$TMP/bin/nofile4-helper"
row K1 "tcwire-helper: RLIMIT_NOFILE is 4, below the 64 open files the helper needs: raise it (ulimit -n)" \
	as_user -n "$NS" "$TMP/bin/wire-client" --helper "$TMP/bin/nofile4-helper" --br eth1
# SIGKILL at every syscall that changes or asks kernel state (each netlink
# request and the final SCM_RIGHTS send): never half-wired; the next run
# replaces what is left and frames pass
for n in $(seq 1 10); do
	cat >"$TMP/kill-helper" <<EOF2
#!/bin/sh
exec strace -f -o /dev/null -e trace=sendmsg,sendto -e inject=sendmsg,sendto:signal=KILL:when=$n "$TCWIRE_HELPER" "\$@"
EOF2
	chmod +x "$TMP/kill-helper"
	in_ns "$NS" "$WIRE_CLIENT" --helper "$TMP/kill-helper" --br eth1 >/dev/null 2>&1
	taps=$(count_matches ': tcw' ip -n "$NS" -o link)
	live=$(count_matches 'Redirect to device tcw' tc -n "$NS" filter show dev eth1 ingress)
	check "K2.$n: SIGKILL at kernel request $n: no tap, no redirect to a live device" \
		test "$taps" = 0 -a "$live" = 0
	check "K2.$n: the next run wires cleanly and frames pass" \
		in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 -- \
		sh -c '[ "$(tc filter show dev eth1 ingress | grep -c "mirred (Egress")" = 1 ] &&
			"$1" --tap-fd "$TCWIRE_TAP_FD" --peer peer1 >/dev/null' sh "$FRAME_CHECK"
done
finish
