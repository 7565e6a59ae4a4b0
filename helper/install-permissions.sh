#!/bin/sh
# Grant tcwire-helper its power at install time (called by meson install).
# $1: none|setuid|capabilities   $2: helper path relative to the prefix
# DESTDIR-aware: meson sets MESON_INSTALL_DESTDIR_PREFIX.
set -eu
mode=$1
helper=${MESON_INSTALL_DESTDIR_PREFIX}/${2#/}
case $2 in /*) helper=${DESTDIR:-}$2 ;; esac

case $mode in
none)
	exit 0 ;;
setuid)
	if chown root:root "$helper" && chmod 4755 "$helper"; then
		echo "tcwire: $helper is setuid root"
		exit 0
	fi ;;
capabilities)
	if setcap cap_net_admin+ep "$helper"; then
		echo "tcwire: $helper has cap_net_admin+ep"
		exit 0
	fi ;;
*)
	echo "tcwire: unknown helper-permissions '$mode'" >&2
	exit 1 ;;
esac

if [ -n "${DESTDIR:-}" ]; then
	echo "tcwire: WARNING: could not apply '$mode' to $helper; the package must do it" >&2
	exit 0
fi
echo "tcwire: could not apply '$mode' to $helper (are you root?)" >&2
exit 1
