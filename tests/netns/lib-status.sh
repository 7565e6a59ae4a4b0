#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of the tcwire status tests (status.sh, status-counters.sh,
# status-all.sh), sourced after tests/lib.sh. tcwire runs as nobody, as
# users run it: everything it shows comes without privileges.
: "${TCWIRE_STATUS:?run through meson test}"

# A copy nobody may execute (the build tree may sit in root's home)
chmod 0755 "$TMPDIR_TEST"
TCW_BIN=$TMPDIR_TEST/tcwire
cp "$TCWIRE_STATUS" "$TCW_BIN"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)

# tcw NS ARGS...: tcwire ARGS as nobody inside NS
tcw() {
	local ns=$1
	shift
	ip netns exec "$ns" "${NOBODY[@]}" "$TCW_BIN" "$@"
}

# poll SECONDS CMD...: retry CMD every 50 ms until it succeeds
poll() {
	local i n=$(($1 * 20))
	shift
	for ((i = 0; i < n; i++)); do
		"$@" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# tap_of NS PARTNER: the tap PARTNER redirects to (fails if none)
tap_of() {
	tc -n "$1" filter show dev "$2" ingress 2>/dev/null |
		grep -o 'Egress Redirect to device tcw[0-9]*' | awk '{print $5}' | grep .
}

# hold NS PARTNER: wire PARTNER, tap held by an unprivileged "sleep" in the
# background (ip, wire-client and setpriv exec each other: one process)
hold() {
	spawn ip netns exec "$1" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" --br "$2" -- \
		"${NOBODY[@]}" sleep 120 >/dev/null 2>&1
}

# hold_wire NS PARTNER: wire PARTNER through the helper and keep its tap,
# held by an unprivileged "sleep" (as qemu would); sets TAP
hold_wire() {
	hold "$1" "$2"
	TAP=""
	poll 10 tap_of "$1" "$2" >/dev/null || { fail "wiring $2 in $1"; return 1; }
	TAP=$(tap_of "$1" "$2")
}

# wire_json NS PARTNER TAP: the JSON object of that wire ("-": none)
wire_json() {
	tcw "$1" status --json | jq -c --arg p "$2" --arg t "$3" \
		'.namespaces[0].wires[] | select((.partner.ifname // "-") == $p and (.tap.ifname // "-") == $t)'
}

# expect_wire NS PARTNER TAP STATE CODE NOTE: the text line of the wire
# shows STATE and NOTE, its JSON object has STATE and the finding CODE
# ("" for none)
expect_wire() {
	local ns=$1 p=$2 t=$3 st=$4 code=$5 note=$6 line json
	line=$(tcw "$ns" status | awk -v p="$p" -v t="$t" '$1 == p && $2 == t')
	json=$(wire_json "$ns" "$p" "$t")
	check "$st: text line '$p $t $st'" test "$(awk '{print $3}' <<<"$line")" = "$st"
	if [ -n "$note" ]; then
		check "$st: text note '$note'" grep -qF -- "$note" <<<"$line"
	fi
	check "$st: JSON state" test "$(jq -r .state <<<"$json")" = "$st"
	if [ -n "$code" ]; then
		check "$st: JSON finding $code" \
			test "$(jq -r --arg c "$code" '[.findings[].code] | index($c) != null' <<<"$json")" = true
	else
		check "$st: JSON has no finding (and no empty findings key)" \
			test "$(jq 'has("findings")' <<<"$json")" = false
	fi
}

# expect_doctor NS STATUS LINE...: tcwire doctor in NS exits STATUS and
# prints each LINE (whole lines)
expect_doctor() {
	local ns=$1 want=$2 out rc l
	shift 2
	out=$(tcw "$ns" doctor)
	rc=$?
	check "doctor exits $want (got $rc)" test "$rc" = "$want"
	for l in "$@"; do
		check "doctor says: $l" grep -qxF -- "$l" <<<"$out"
	done
}
