#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The tree's rules (docs/design.md, "The tree"), kept by a test:
#  1. no two headers share a file name (which one a file gets must never
#     depend on -I order)
#  2. close_range(2) is called in one place, helper/client/close_fds.c,
#     which has the fallback for kernels without it
#  3. a function a header declares is used outside the file that defines
#     it (a test counts; a macro of a header counts): else it is static
# Usage: tree.sh SOURCE_ROOT
set -u
root=${1:?usage: tree.sh SOURCE_ROOT}
cd "$root" || exit 1
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

dups=$(git ls-files 'helper/*.h' 'qemu-wrapper/*.h' 'tests/*.h' |
	awk -F/ '{print $NF "\t" $0}' | sort | awk -F'\t' '
		$1 == prev { if (!shown) print prevpath; print $2; shown = 1; next }
		{ prev = $1; prevpath = $2; shown = 0 }')
if [ -z "$dups" ]; then
	ok "no two headers share a file name"
else
	fail "headers that share a file name: ${dups//$'\n'/ }"
fi

raw=$(git grep -n 'close_range' -- 'helper/*.c' 'qemu-wrapper/*.c' 'tests/*.c' |
	grep -v '^helper/client/close_fds\.c:' | grep -v ':[0-9]*:\s*\*' || true)
if [ -z "$raw" ]; then
	ok "close_range is called only in helper/client/close_fds.c"
else
	fail "close_range outside helper/client/close_fds.c (use tcw_close_fds()): ${raw//$'\n'/; }"
fi

# file_local: "HEADER: NAME (only in FILE)" for each function declared in
# a header whose only users are the .c file that defines it
file_local() {
	local h n def
	for h in $(git ls-files 'helper/*.h' 'qemu-wrapper/*.h'); do
		# one name a line, never a name with a space: words are fine
		# shellcheck disable=SC2013
		for n in $(grep -E '^[a-z][a-z0-9_ ]*[ *]+[a-z_][a-z0-9_]*\(' "$h" |
			grep -vE '^(static|typedef|return)\b' |
			sed -E 's/^.*[ *]([a-z_][a-z0-9_]*)\(.*/\1/' | sort -u); do
			def=$(git grep -lE "^[a-z].*[ *]$n\(" -- '*.c' | head -n1)
			[ -n "$def" ] || continue
			git grep -qE "#define.*\b$n\(" -- '*.h' && continue
			git grep -lw "$n" -- '*.c' | grep -qvxF "$def" ||
				echo "$h: $n (only in $def)"
		done
	done
}
local_fns=$(file_local)
if [ -z "$local_fns" ]; then
	ok "every function a header declares is used outside its own file"
else
	fail "declared in a header but used only in their own file (make them static): ${local_fns//$'\n'/; }"
fi

[ "$failures" = 0 ] && { echo "tree: all checks passed"; exit 0; }
echo "tree: $failures check(s) failed"
exit 1
