#!/bin/bash
# The helper's re-wire mode: a tap whose partner was deleted and created
# again is wired to the new partner, frames pass, one filter per device,
# the MTU follows, and doing it twice changes nothing. Then the refusals
# (one line, exit 1, the namespace as it was): an fd that is not a tap, a
# tun, a tap not named tcw<N>, a tap of another network namespace, a
# partner live-wired to another tap, a tap still live-wired to its old
# partner, a bridge; and two re-wires of one partner at once.
. "$(dirname "$0")/../lib.sh"
require_root
REWIRE_CLIENT=$TCWIRE_TOOLS/rewire-client
FD_KINDS=$TCWIRE_TOOLS/fd-kinds
T=$TMPDIR_TEST

# holder ID PARTNER: wire PARTNER and hold the tap in the background
# (tests/tools/rewire-holder.sh: "NAME FD PID" in $T/ID.tap; a partner
# written to $T/ID.do is re-wired once $T/go exists, the exit status in
# $T/ID.rc, stderr in $T/ID.err) until the test ends (spawn kills it)
holder() {
	spawn in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br "$2" -- \
		"$TCWIRE_SOURCE_ROOT/tests/tools/rewire-holder.sh" "$T/$1" \
		"$REWIRE_CLIENT" "$TCWIRE_HELPER" "$T/go"
	for _ in $(seq 300); do [ -s "$T/$1.tap" ] && return 0; sleep 0.05; done
	return 1
}
# rewire_by ID PARTNER: have holder ID re-wire its tap to PARTNER, wait
rewire_by() {
	rm -f "$T/$1.rc"
	echo "$2" >"$T/$1.do"
	touch "$T/go"
	for _ in $(seq 400); do [ -s "$T/$1.rc" ] && return 0; sleep 0.05; done
	return 1
}
tap_of() { cut -d' ' -f1 "$T/$1.tap"; }
fd_of() { cut -d' ' -f2 "$T/$1.tap"; }
pid_of() { cut -d' ' -f3 "$T/$1.tap"; }
# recreate NAME PEER [MTU]: delete the veth NAME and make it again
recreate() {
	ip -n "$NS" link del "$1"
	veth_pair "$NS" "$1" "$2" "${3:-}"
}
redirect_of() { tc -n "$NS" filter show dev "$1" ingress | grep -o 'Redirect to device [^)]*' | awk '{print $4}'; }

# refused ID EXPECTED_LINE HOLDER PARTNER: holder HOLDER's re-wire to
# PARTNER fails with that one line, exit 1, nothing changed
refused() {
	local id=$1 want=$2 before after out
	before=$(snapshot "$NS")
	rewire_by "$3" "$4"
	out=$(cat "$T/$3.err")
	if [ "$(cat "$T/$3.rc")" != 1 ]; then
		fail "$id: exit status $(cat "$T/$3.rc")"
	elif [ "$out" != "$want" ]; then
		fail "$id: wanted '$want', got: $out"
	else
		ok "$id (exit 1)"
	fi
	after=$(snapshot "$NS")
	same_state "$id" "$before" "$after"
}

# 1. The partner is deleted and created again with MTU 2000
ns_new NS
veth_pair "$NS" eth1 peer1
holder a eth1
a=$(tap_of a)
recreate eth1 peer1 2000
check "before the re-wire eth1 carries no filter" test "$(count_tcwire_filters "$NS" eth1)" = 0
rewire_by a eth1
check "re-wire of $a to the new eth1: exit 0, no output" \
	bash -c "[ \"\$(cat '$T/a.rc')\" = 0 ] && [ ! -s '$T/a.err' ]"
check "eth1 redirects to $a, once" \
	bash -c "[ '$(redirect_of eth1)' = '$a' ] && [ '$(count_tcwire_filters "$NS" eth1)' = 1 ]"
check "$a redirects to eth1, once (the stale redirect was replaced)" \
	bash -c "[ '$(redirect_of "$a")' = eth1 ] && [ '$(count_tcwire_filters "$NS" "$a")' = 1 ]"
check "$a took eth1's MTU 2000, and eth1 is up" \
	bash -c "ip -n '$NS' -o link show '$a' | grep -q ' mtu 2000 ' && ip -n '$NS' -o link show eth1 | grep -q '[<,]UP[,>]'"
check "frames pass both ways between peer1 and the tap" \
	in_ns "$NS" "$FRAME_CHECK" --from-pid "$(pid_of a)" --tap-fd "$(fd_of a)" --peer peer1
before=$(snapshot "$NS")
rewire_by a eth1
check "a second re-wire of the same pair: exit 0" test "$(cat "$T/a.rc")" = 0
same_state "a second re-wire of the same pair" "$before" "$(snapshot "$NS")"

# 2. Refusals, with a live wire a:eth1 and b:eth3 around
veth_pair "$NS" eth3 peer3
veth_pair "$NS" eth4 peer4
holder b eth3
b=$(tap_of b)
refused "R1: the partner is live-wired to another VM's tap" \
	"tcwire-helper: eth1: already wired to $a" b eth1
refused "R2: the tap is still live-wired to its old partner" \
	"tcwire-helper: $b: already wired to eth3" b eth4
ip -n "$NS" link add br7 type bridge
refused "R3: a bridge is no partner for a re-wire" \
	"tcwire-helper: br7: --rewire: is a bridge; only mirred wires are re-wired" b br7
ip -n "$NS" link del br7

# fd_row ID EXPECTED KIND [NS_OF_FD]: re-wire eth4 with fd 5 of KIND
fd_row() {
	local before after
	before=$(snapshot "$NS")
	expect_error "$1" "$2" ip netns exec "${4:-$NS}" "$FD_KINDS" "$3" \
		ip netns exec "$NS" "$REWIRE_CLIENT" --helper "$TCWIRE_HELPER" \
		--br eth4 --tap-fd 5
	after=$(snapshot "$NS")
	same_state "$1" "$before" "$after"
}
fd_row "R4: an fd that is not a tap (a pipe)" \
	"tcwire-helper: eth4: --rewire: the fd sent is not a tap" pipe
ip -n "$NS" tuntap add tcw90 mode tun
fd_row "R5: a tun device named like tcwire's taps" \
	"tcwire-helper: eth4: --rewire: the fd sent is not a tap" tun=tcw90
ip -n "$NS" tuntap add vnet7 mode tap
fd_row "R6: a tap that is not tcwire's" \
	"tcwire-helper: eth4: --rewire: tap vnet7 is not one of tcwire's (tcw<N>)" tap=vnet7
ns_new OTHER
ip -n "$OTHER" tuntap add tcw91 mode tap
ip -n "$NS" tuntap add tcw91 mode tap	# the same name here: still refused
fd_row "R7: a tcwire-named tap of another network namespace" \
	"tcwire-helper: eth4: --rewire: tap tcw91 is in another network namespace" tap=tcw91 "$OTHER"

# 3. Two re-wires of one new partner at once: one wins, one line for the other
recreate eth1 peer1
recreate eth3 peer3
rm -f "$T/go" "$T/a.rc" "$T/b.rc"
echo eth1 >"$T/a.do"
echo eth1 >"$T/b.do"
sleep 0.3	# both wait for "go"
touch "$T/go"
for _ in $(seq 400); do [ -s "$T/a.rc" ] && [ -s "$T/b.rc" ] && break; sleep 0.05; done
rcs="$(cat "$T/a.rc")$(cat "$T/b.rc")"
check "two at once: one succeeds, the other exits 1 ($rcs)" bash -c "[ '$rcs' = 01 ] || [ '$rcs' = 10 ]"
winner=$(redirect_of eth1)
loser_err=$(cat "$T/a.err" "$T/b.err")
check "two at once: the other's one line names the winner ($winner)" \
	test "$loser_err" = "tcwire-helper: eth1: already wired to $winner"
check "two at once: eth1 carries one filter, to the winner, which redirects back" \
	bash -c "[ '$(count_tcwire_filters "$NS" eth1)' = 1 ] && [ '$(redirect_of "$winner")' = eth1 ]"
finish
