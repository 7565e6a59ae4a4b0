#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# apply.sh DIR: add the connection mode "tcwire" to vrnetlab's launch code.
#
# DIR is a checkout of srl-labs/vrnetlab (the code is in DIR/common) or the
# root of a built vrnetlab image (DIR/vrnetlab.py, as Dockerfile.layer
# uses it). Two changes, nothing else:
#   - tcwire_vrnetlab.py (next to this script) is copied next to
#     vrnetlab.py; vrnetlab's build copies common/* into every image;
#   - four lines at the end of vrnetlab.py (two of them marker comments)
#     import it and call its install(), which adds the mode (see
#     tcwire_vrnetlab.py).
# Only a vrnetlab.py of a tested upstream commit is changed: any other
# stops with one line and no change. Applying twice changes nothing.
set -eu

me=apply.sh
here=$(cd "$(dirname "$0")" && pwd)
module=$here/tcwire_vrnetlab.py

# sha256 of vrnetlab.py without our hook, and the upstream commit
# (srl-labs/vrnetlab) it is from. A new commit is added after the vm test
# (tests/vm/vrnetlab.sh) passed with its common/.
tested='45ce911b3a8972b8a5296ef8533c7f0da131ea240d01357d266b26046ac656f7 9b1495fd161d9f1836f0899f05f7a8c11d834877'

hook_begin='# tcwire connection mode: added by tcwire contrib/vrnetlab/apply.sh'
hook_end='# end of tcwire connection mode'

die() { echo "$me: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: apply.sh VRNETLAB_DIR (a srl-labs/vrnetlab checkout, or an image's /)"
if [ -f "$1/common/vrnetlab.py" ]; then
	dir=$1/common
elif [ -f "$1/vrnetlab.py" ]; then
	dir=$1
else
	die "$1: no common/vrnetlab.py or vrnetlab.py there"
fi
target=$dir/vrnetlab.py
[ -r "$module" ] || die "$module: missing (it belongs next to apply.sh)"

# vrnetlab.py as upstream wrote it: without our hook, if it is there
upstream=$(mktemp)
trap 'rm -f "$upstream" "$upstream.new"' EXIT
awk -v b="$hook_begin" -v e="$hook_end" '$0 == b { skip = 1 } !skip { print } $0 == e { skip = 0 }' \
	"$target" >"$upstream"
sum=$(sha256sum "$upstream" | cut -d' ' -f1)
commit=$(printf '%s\n' "$tested" | awk -v s="$sum" '$1 == s { print $2 }')
[ -n "$commit" ] ||
	die "$target: unknown upstream version (sha256 $sum); tested: $(printf '%s\n' "$tested" | awk '{ printf "%s%s", s, substr($2, 1, 12); s = ", " }')"

# The result: upstream's file, then the hook
{
	cat "$upstream"
	printf '%s\n' "$hook_begin" \
		'import tcwire_vrnetlab  # noqa: E402' \
		'tcwire_vrnetlab.install(sys.modules[__name__])' \
		"$hook_end"
} >"$upstream.new"

changed=
if ! cmp -s "$module" "$dir/tcwire_vrnetlab.py"; then
	cp "$module" "$dir/tcwire_vrnetlab.py"
	chmod 0644 "$dir/tcwire_vrnetlab.py"
	changed="$dir/tcwire_vrnetlab.py"
fi
if ! cmp -s "$upstream.new" "$target"; then
	cat "$upstream.new" >"$target"	# keeps the file's owner and mode
	changed="$changed${changed:+ and }$target"
fi
if [ -n "$changed" ]; then
	echo "$me: vrnetlab ${commit%"${commit#????????????}"}: mode tcwire added ($changed)"
else
	echo "$me: vrnetlab ${commit%"${commit#????????????}"}: mode tcwire already there, nothing changed"
fi
