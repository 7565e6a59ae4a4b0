#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Lint: no C function in the tree is 60 lines or longer (the conventions'
# "short functions"). A function body runs from a "{" in column 0 to the
# next "}" in column 0, as the project's style writes them.
# Usage: function-length.sh [SOURCE_ROOT] (default: the current directory)
set -eu
cd "${1:-.}"
limit=60
files=$(find helper qemu-wrapper tests -name '*.c' | sort)
[ -n "$files" ] || { echo "FAIL: no C sources found under $(pwd)"; exit 1; }
# shellcheck disable=SC2086
long=$(awk -v limit="$limit" '
	FNR == 1 { start = 0 }
	/^[A-Za-z_].*\(/ { sig = $0 }
	/^\{/ { start = FNR; name = sig; next }
	/^\}/ && start {
		n = FNR - start - 1
		if (n >= limit) printf "%s:%d: %d lines: %s\n", FILENAME, start, n, name
		start = 0
	}' $files)
if [ -n "$long" ]; then
	echo "FAIL: functions of $limit lines or more:"
	echo "$long"
	exit 1
fi
echo "ok: $(echo "$files" | wc -l) files, every function under $limit lines"
