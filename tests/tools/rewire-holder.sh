#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The command a test's wire-client runs with its tap (TCWIRE_TAP_NAME,
# TCWIRE_TAP_FD): hold the tap and re-wire it on request, until told to stop.
#
# Usage: wire-client ... -- rewire-holder.sh STATE REWIRE_CLIENT HELPER GO
#
# Writes "TAPNAME FD PID" to STATE.tap. Each time STATE.do appears (holding
# a partner name) it waits for the file GO, runs
# "REWIRE_CLIENT --helper HELPER --br PARTNER --tap-fd FD" with stderr to
# STATE.err, removes STATE.do and writes the exit status to STATE.rc. Ends
# when STATE.stop exists or STATE's folder is gone; the test's spawn kills
# it at exit in any case.
state=$1 client=$2 helper=$3 go=$4
echo "$TCWIRE_TAP_NAME $TCWIRE_TAP_FD $$" >"$state.tmp"
mv "$state.tmp" "$state.tap"
while [ ! -e "$state.stop" ] && [ -d "${state%/*}" ]; do
	if [ -e "$state.do" ]; then
		while [ ! -e "$go" ]; do
			[ -d "${state%/*}" ] || exit 0
			sleep 0.01
		done
		"$client" --helper "$helper" --br "$(cat "$state.do")" \
			--tap-fd "$TCWIRE_TAP_FD" 2>"$state.err"
		echo $? >"$state.rc.tmp"
		rm "$state.do"
		mv "$state.rc.tmp" "$state.rc"
	fi
	sleep 0.02
done
