#!/bin/sh
# Install the default ACL (called by meson install): nothing allowed, with
# comments that show how to allow. An ACL that exists already is the
# administrator's and is never replaced. DESTDIR-aware.
# $1: the generated helper.conf   $2: the ACL's installed path (absolute)
set -eu
src=$1
dst=${DESTDIR:-}$2
if [ -e "$dst" ]; then
	echo "tcwire: keeping the existing $dst"
	exit 0
fi
mkdir -p "$(dirname "$dst")"
install -m 0644 "$src" "$dst"
# The helper refuses an ACL not owned by root: a package build into a
# DESTDIR as another user must set the owner itself
chown root:root "$dst" 2>/dev/null ||
	echo "tcwire: WARNING: $dst must be owned by root; the package must do it" >&2
echo "tcwire: installed $dst (allows nothing yet; see its comments)"
