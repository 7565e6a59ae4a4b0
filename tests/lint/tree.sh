#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The tree's rules (docs/design.md, "The tree"), kept by a test:
#  1. no two headers share a file name (which one a file gets must never
#     depend on -I order)
#  2. close_range(2) is called in one place, helper/client/close_fds.c,
#     which has the fallback for kernels without it
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

[ "$failures" = 0 ] && { echo "tree: all checks passed"; exit 0; }
echo "tree: $failures check(s) failed"
exit 1
