#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The harness's rule for background processes (tests/lib.sh): every test
# starts them with spawn, which ends them by PID at exit, and a test that
# leaves a process running fails instead of hanging meson.
#
# 1. No test script backgrounds a command with a bare "&".
# 2. lib.sh's exit path: a holder started with spawn and waiting for a stop
#    file in the test's own temporary folder (the pattern that hung CI) is
#    ended, and the test passes; a holder started with a bare "&", or one
#    that escaped its parent, fails the test with one line per process,
#    and is ended too.
. "$(dirname "$0")/../lib.sh"
ROOT=$TCWIRE_SOURCE_ROOT

# 1. bare "&" at the end of a command line, in the scripts that source the
# test library (directly or through a lib-*.sh); lib.sh's spawn is the one
# place allowed (and this file, whose cases below do it on purpose)
bare=$(grep -rlE '^\. .*(lib|lib-[a-z]+)\.sh"?$|^lab_spawn\(\)' \
	"$ROOT/tests" "$ROOT/contrib/lab/lab-lib.sh" --include='*.sh' |
	xargs -r grep -nE '(^|[^&])&[[:space:]]*$' |
	grep -v '/tests/lint/background\.sh:' |
	grep -vE '^[^:]*:[0-9]+:[[:space:]]*#' |
	grep -vE '/tests/lib\.sh:[0-9]+:	"\$@" &$' || true)
check "no test backgrounds a command with a bare '&' (use spawn)${bare:+: $bare}" \
	test -z "$bare"

# run_case NAME BODY: run a test script made of lib.sh plus BODY with its
# output on a pipe, as meson runs it; "RC SECONDS" in $T/NAME.rc, output
# in $T/NAME.out. A hang is cut after 60 s (and shows as rc 124).
T=$TMPDIR_TEST
run_case() {
	local name=$1 body=$2 start
	printf '#!/bin/bash\n. %q\n%s\nfinish\n' "$ROOT/tests/lib.sh" "$body" >"$T/$name.sh"
	start=$SECONDS
	timeout -k 5 60 bash "$T/$name.sh" 2>&1 | cat >"$T/$name.out"
	echo "${PIPESTATUS[0]} $((SECONDS - start))" >"$T/$name.rc"
}
# no_process_with MARK: no process has MARK in its command line
no_process_with() { ! pgrep -f -- "$1" >/dev/null; }

mark=tcwire-lint-$$-$RANDOM
# The pattern of issue 16: the stop file is in the folder the cleanup
# removes; spawn ends the holder by PID
run_case spawned "
spawn sh -c 'while [ ! -e \"\$1/stop\" ]; do sleep 0.02; done; : $mark-a' sh \"\$TMPDIR_TEST\"
at_exit touch \"\$TMPDIR_TEST/stop\"
check 'holder running' kill -0 \$!"
read -r rc _ <"$T/spawned.rc"
check "a spawned holder waiting for a stop file in the test's folder: the test passes (exit $rc)" \
	test "$rc" = 0
check "... and the holder is gone" no_process_with "$mark-a"

run_case bare "
sh -c 'while :; do sleep 0.02; done; : $mark-b' &
check 'holder running' kill -0 \$!"
read -r rc _ <"$T/bare.rc"
check "a holder started with a bare '&' fails the test (exit $rc, not a hang)" test "$rc" = 1
check "... saying so" grep -qE '^FAIL bare left [0-9]+ process\(es\) running at exit \(start them with spawn\):$' "$T/bare.out"
check "... naming it" grep -q "$mark-b" "$T/bare.out"
check "... and it is gone" no_process_with "$mark-b"

# A process that escaped its parent (reparented away from the test) but
# still holds the test's output, which is what makes meson wait forever
run_case escaped "
(setsid sh -c 'sleep 30; : $mark-c' &)
check 'started' true"
read -r rc secs <"$T/escaped.rc"
check "an escaped process holding the test's output fails the test (exit $rc after $secs s, not a hang)" \
	test "$rc" = 1
check "... naming it" grep -q "$mark-c" "$T/escaped.out"
check "... and it is gone" no_process_with "$mark-c"
finish
