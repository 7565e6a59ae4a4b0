#!/bin/bash
# Stand-in for the qemu binary in namespace tests of tcwire-qemu: it only
# reports what it was given. One "arg: X" line per argument, then one
# "fd: N TARGET [TAP]" line per fd this process inherited (TAP from the tun
# fdinfo), then it runs "$SHOW_EXEC_THEN" if set (the fds still open). The
# real qemu is used by the vm suite.
me=$$
listing=$(mktemp)
# ls runs in a child: this shell's own fds stay as inherited (plus 255,
# bash's handle on this script)
ls -l "/proc/$me/fd" >"$listing"
for a in "$@"; do printf 'arg: %s\n' "$a"; done
while read -r n target; do
	[ "$n" = 255 ] && continue
	tap=$(sed -n 's/^iff:\s*//p' "/proc/$me/fdinfo/$n" 2>/dev/null)
	printf 'fd: %s %s %s\n' "$n" "$target" "$tap"
done < <(awk '$(NF-1) == "->" { print $(NF-2), $NF }' "$listing")
rm -f "$listing"
if [ -n "${SHOW_EXEC_THEN:-}" ]; then eval "$SHOW_EXEC_THEN"; fi
