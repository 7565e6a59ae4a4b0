#!/bin/bash
# A partner wired to a live tap is not stolen by a second helper run: the
# second run is refused with "already wired to tcwN" and the first wire
# keeps passing frames.
. "$(dirname "$0")/../lib.sh"
require_root

ns_new NS
veth_pair "$NS" eth1 peer1
# shellcheck disable=SC2016
out=$(in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br eth1 -- sh -c '
	before=$(tc filter show dev eth1 ingress)
	"$1" --helper "$2" --br eth1 >/dev/null 2>"$4"; echo "second-exit=$?"
	[ "$(tc filter show dev eth1 ingress)" = "$before" ] && echo "partner-unchanged"
	[ "$(ip -o link show | grep -c ": tcw")" = 1 ] && echo "one-tap"
	"$3" --tap-fd "$TCWIRE_TAP_FD" --peer peer1 | tail -n1
	echo "first=$TCWIRE_TAP_NAME"' \
	sh "$WIRE_CLIENT" "$TCWIRE_HELPER" "$FRAME_CHECK" /dev/stderr 2>&1)
first=$(sed -n 's/^first=//p' <<<"$out")
check "second wiring exits non-zero" grep -qx 'second-exit=1' <<<"$out"
check "second wiring says 'already wired to $first'" \
	grep -qxF "tcwire-helper: eth1: already wired to $first" <<<"$out"
check "the partner's filters are untouched" grep -qx partner-unchanged <<<"$out"
check "no second tap was left behind" grep -qx one-tap <<<"$out"
check "the first wire still passes every frame" grep -qx '[0-9]* passed, 0 failed' <<<"$out"
finish
