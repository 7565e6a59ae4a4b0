#!/bin/bash
# tcwire-qemu as qemu's parent (uid 65534, setuid helper, real qemu kept
# paused with -S so that no guest runs): SIGTERM is forwarded and qemu's
# exit status becomes ours; a qemu killed by a signal gives 128+signal; a
# qemu that fails or is missing gives its status; as PID 1 of a PID
# namespace it reaps the orphans re-parented to it; --no-supervise execs.
. "$(dirname "$0")/lib-vm.sh"

container_ns NS 1
QEMU=(qemu-system-x86_64 -M pc -accel tcg -S -nodefaults -display none)

# start_wrapper LOG [WRAPPER_OPTS...] -- CMD...: tcwire-qemu in the
# background as the test user; sets PID to tcwire-qemu's own pid
start_wrapper() {
	local log=$1
	shift
	local wopts=()
	while [ "$1" != -- ]; do wopts+=("$1"); shift; done
	shift
	spawn ip netns exec "$NS" setpriv --reuid="$TEST_UID" --regid="$TEST_GID" \
		--clear-groups --inh-caps=-all \
		"$TMP/bin/tcwire-qemu" --helper "$HELPER" --count 1 "${wopts[@]}" \
		-- "$@" >"$log" 2>&1
	PID=$!
}

# wait_for SECONDS CMD...: until CMD succeeds
wait_for() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do "${@:2}" && return 0; sleep 0.1; done
	return 1
}
has_tap() { ip -n "$NS" -o link | grep -q ': tcw'; }
no_tap() { ! has_tap; }
# qemu_of PID: the qemu-system process that is PID's child
qemu_of() { pgrep -P "$1" -x qemu-system-x86; }

# up LOG: tcwire-qemu says qemu's monitor answered (qemu handles signals)
up() { grep -q '^tcwire-qemu: qemu is up; following eth1$' "$1"; }

# 1. SIGTERM: forwarded, qemu stops itself, its status (0) is ours
start_wrapper "$TMP/term.log" -- "${QEMU[@]}"
wait_for 30 up "$TMP/term.log"
q=$(qemu_of "$PID")
check "qemu ($q) runs as tcwire-qemu's ($PID) child, with the tap" \
	bash -c "[ -n '$q' ] && [ '$(cat "/proc/$PID/comm" 2>/dev/null)' = tcwire-qemu ] && ip -n '$NS' -o link | grep -q ': tcw'"
kill -TERM "$PID"
wait "$PID"
rc=$?
check "SIGTERM: tcwire-qemu exits with qemu's status 0 (got $rc)" test "$rc" = 0
check "SIGTERM reached qemu, which stopped by itself" \
	grep -q "terminating on signal 15 from pid $PID" "$TMP/term.log"
check "SIGTERM: qemu is gone and so is the tap" \
	bash -c "! kill -0 '$q' 2>/dev/null && ! ip -n '$NS' -o link | grep -q ': tcw'"

# 2. qemu killed from outside: 128 + 9
start_wrapper "$TMP/kill.log" -- "${QEMU[@]}"
wait_for 30 qemu_of "$PID" >/dev/null
kill -KILL "$(qemu_of "$PID")"
wait "$PID"
rc=$?
check "qemu killed by SIGKILL: tcwire-qemu exits 137 (got $rc)" test "$rc" = 137
wait_for 5 no_tap
check "... and no tap is left" no_tap

# 3. qemu failing, and missing
start_wrapper "$TMP/fail.log" -- "${QEMU[@]}" -no-such-option
wait "$PID"
rc=$?
check "qemu exits 1 on a bad option: so does tcwire-qemu (got $rc)" test "$rc" = 1
start_wrapper "$TMP/missing.log" -- /nonexistent/qemu
wait "$PID"
rc=$?
check "a missing qemu: exit 127 and one line (got $rc)" \
	bash -c "[ '$rc' = 127 ] && grep -qx 'tcwire-qemu: /nonexistent/qemu: cannot execute: No such file or directory' '$TMP/missing.log'"
check "... and no tap is left" no_tap

# 4. PID 1 of a PID namespace: orphans are reaped, SIGTERM still works.
# The "qemu" command leaves two orphans behind, which the kernel
# re-parents to PID 1, i.e. tcwire-qemu; they exit after 3 s.
spawn ip netns exec "$NS" unshare --pid --fork \
	setpriv --reuid="$TEST_UID" --regid="$TEST_GID" --clear-groups \
	--inh-caps=-all "$TMP/bin/tcwire-qemu" --helper "$HELPER" --count 1 \
	-- sh -c '(sleep 3 &); (sleep 3 &); exec "$@"' sh "${QEMU[@]}" \
	>"$TMP/pid1.log" 2>&1
outer=$!
wait_for 10 pgrep -P "$outer" -x tcwire-qemu >/dev/null
PID=$(pgrep -P "$outer" -x tcwire-qemu)
at_exit kill -KILL "$PID"
check "tcwire-qemu is PID 1 of its namespace" \
	grep -q "^NSpid:.*[[:space:]]1$" "/proc/$PID/status"
check "the orphans were re-parented to it" \
	wait_for 10 bash -c "[ \"\$(pgrep -P '$PID' -x sleep | wc -l)\" = 2 ]"
sleep 4
zombies=$(pgrep -r Z -P "$PID" | wc -l)
check "after the orphans exited, no zombie is left under PID 1 ($zombies)" \
	test "$zombies" = 0
wait_for 30 up "$TMP/pid1.log"
check "qemu still runs under it" bash -c "pgrep -P '$PID' -x qemu-system-x86 >/dev/null"
kill -TERM "$PID"
wait "$outer"
rc=$?
check "SIGTERM to PID 1: forwarded, exit status 0 (got $rc)" test "$rc" = 0
wait_for 5 no_tap
check "... and no tap is left" no_tap

# 5. --no-supervise: tcwire-qemu becomes qemu
start_wrapper "$TMP/exec.log" --no-supervise -- "${QEMU[@]}"
wait_for 30 bash -c "[ \"\$(cat /proc/$PID/comm 2>/dev/null)\" = qemu-system-x86 ]"
check "--no-supervise: the process is qemu itself" \
	test "$(cat "/proc/$PID/comm" 2>/dev/null)" = qemu-system-x86
kill -TERM "$PID"
wait "$PID"
wait_for 5 no_tap
check "... and its tap goes with it" no_tap
finish
