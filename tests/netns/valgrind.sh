#!/bin/bash
# One helper run under valgrind is clean: no errors and no definite leaks,
# on the success path and on an error path.
. "$(dirname "$0")/../lib.sh"
require_root
command -v valgrind >/dev/null || skip "valgrind is not installed"

cat >"$TMPDIR_TEST/vg-helper" <<EOF2
#!/bin/sh
exec valgrind --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \
	--log-file="$TMPDIR_TEST/vg.%p" "$TCWIRE_HELPER" "\$@"
EOF2
chmod +x "$TMPDIR_TEST/vg-helper"

ns_new NS
veth_pair "$NS" eth1 peer1
check "wiring under valgrind succeeds (exit 0: no error, no definite leak)" \
	in_ns "$NS" "$WIRE_CLIENT" --helper "$TMPDIR_TEST/vg-helper" --use-vnet --br eth1
rc=$(in_ns "$NS" "$WIRE_CLIENT" --helper "$TMPDIR_TEST/vg-helper" --br eth9 2>&1 |
	grep -c 'exit status 1)' || true)
check "an error path under valgrind exits 1, not 99 (valgrind's error code)" test "$rc" = 1
# One log per helper process. No log means valgrind never ran the helper:
# that must fail, not pass as "nothing reported"
mapfile -t logs < <(find "$TMPDIR_TEST" -maxdepth 1 -name 'vg.*')
check "valgrind wrote a log for each of the 2 helper runs (${#logs[@]})" \
	test "${#logs[@]}" = 2
check_absent "valgrind reported nothing" . cat /dev/null "${logs[@]}"
finish
