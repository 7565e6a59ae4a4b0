#!/bin/bash
# libvirt session mode: uid 65534 has bridge_helper = tcwire-helper (setuid)
# in $XDG_CONFIG_HOME/libvirt/qemu.conf and creates the domain of
# contrib/libvirt/tcwire-guest.xml, <interface type='bridge'><source
# bridge='eth1'/>. virsh auto-starts the user's libvirtd inside the
# container's namespace; libvirt runs the helper with its own argv order
# (--use-vnet --br=eth1 --fd=N). The guest (TCG) pings a peer over the wire.
. "$(dirname "$0")/lib-vm.sh"
command -v virsh >/dev/null || skip "virsh is not installed (libvirt-clients)"
command -v libvirtd >/dev/null ||
	[ -x /usr/sbin/libvirtd ] || skip "libvirtd is not installed (libvirt-daemon)"
ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_qemu.so >/dev/null 2>&1 ||
	skip "libvirt's qemu driver is not installed (libvirt-daemon-driver-qemu)"
CONTRIB=$TCWIRE_SOURCE_ROOT/contrib/libvirt

container_ns NS 1

# Everything of the libvirt session (the daemons, qemu) runs in NS
at_exit kill_ns_procs "$NS"

# The user's session environment: HOME, XDG directories, qemu.conf
U=$TMP/session
mkdir -p "$U/home" "$U/config/libvirt" "$U/cache" "$U/data" "$U/run"
sed "s|^bridge_helper = .*|bridge_helper = \"$HELPER\"|" "$CONTRIB/qemu.conf" \
	>"$U/config/libvirt/qemu.conf"
# qemu's stdout/stderr to a file rather than through a virtlogd of its own
echo 'stdio_handler = "file"' >>"$U/config/libvirt/qemu.conf"
# The session daemon reads $XDG_CONFIG_HOME/libvirt/libvirtd.conf
echo "log_outputs = \"3:file:$U/cache/libvirtd.log\"" >"$U/config/libvirt/libvirtd.conf"
chown -R "$TEST_UID:$TEST_GID" "$U"
chmod 0700 "$U/run"
USER_ENV=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$U/home"
	USER=nobody LOGNAME=nobody XDG_CONFIG_HOME="$U/config"
	XDG_CACHE_HOME="$U/cache" XDG_DATA_HOME="$U/data"
	XDG_RUNTIME_DIR="$U/run")
# virsh_user ARGS...: virsh as the test user, in NS, in its session
virsh_user() { as_user -n "$NS" "${USER_ENV[@]}" virsh -q -c qemu:///session "$@"; }

# The guest: ping the peer over the wire, then wait until the test has
# looked at the running domain (it adds 10.91.1.3 to the peer) and exit.
guest_script "$TMP/guest.sh" <<'GUEST'
set -e
ip link show eth0 | grep -q 52:54:00:91:01:01
ip link set eth0 up
ip addr add 10.91.1.1/24 dev eth0
ping -c 3 -W 3 10.91.1.2
echo "guest: ping over the tcwire link works"
n=0
until ping -c 1 -W 1 10.91.1.3 >/dev/null; do
	n=$((n + 1))
	[ "$n" -lt 90 ] || { echo "guest: no go from the test"; exit 1; }
done
GUEST
CMDLINE="console=ttyS0 quiet panic=-1 tcw.script=$(base64 -w0 "$TMP/guest.sh")"
KERNEL=$GUEST/vmlinux
[ -r "$KERNEL" ] || KERNEL=$GUEST/vmlinuz
NAME=tcwire-test-$$
CONSOLE=$U/home/console.log
sed -e '/^<!--$/,/^-->$/d' -e "s|@NAME@|$NAME|" -e "s|@KERNEL@|$KERNEL|" \
	-e "s|@INITRD@|$GUEST/initrd.gz|" -e "s|@CMDLINE@|$CMDLINE|" \
	-e "s|@BRIDGE@|eth1|" -e "s|@MAC@|52:54:00:91:01:01|" \
	-e "s|@CONSOLE@|$CONSOLE|" "$CONTRIB/tcwire-guest.xml" >"$TMP/domain.xml"
chmod 0644 "$TMP/domain.xml"
check_absent "domain XML: every placeholder replaced" '@[A-Z]*@' cat "$TMP/domain.xml"

# qemu_in_ns: a qemu-system-x86_64 of the test user runs in NS
qemu_in_ns() {
	local p qemu
	qemu=$(readlink -f "$(command -v qemu-system-x86_64)")
	for p in $(ip netns pids "$NS"); do
		[ "$(readlink "/proc/$p/exe")" = "$qemu" ] &&
			[ "$(stat -c %u "/proc/$p")" = "$TEST_UID" ] && return 0
	done
	return 1
}

# domain_state: running, shut off, ..., or gone (the domain is transient)
domain_state() { virsh_user domstate "$NAME" 2>/dev/null || echo gone; }

start=$SECONDS
if virsh_user create "$TMP/domain.xml"; then
	ok "virsh -c qemu:///session create (uid $TEST_UID, bridge_helper = tcwire-helper)"
	# While the guest runs: the tap, its wire to eth1, virsh domiflist
	virsh_user domiflist "$NAME" >"$TMP/iflist" 2>&1
	sed 's/^/    | /' "$TMP/iflist"
	tap=$(awk '$2 == "bridge" && $3 == "eth1" { print $1 }' "$TMP/iflist")
	check "virsh domiflist: a bridge interface on eth1 with a tcw tap ($tap)" \
		grep -q '^tcw' <<<"$tap"
	check "the tap exists in the container namespace" \
		test -n "$(ip -n "$NS" -o link show dev "${tap:-none}" 2>/dev/null)"
	check "tcwire redirect on eth1 and on the tap" test \
		"$(count_tcwire_filters "$NS" eth1)/$(count_tcwire_filters "$NS" "${tap:-none}" 2>/dev/null)" = 1/1
	check "the domain's qemu runs as uid $TEST_UID in the container namespace" \
		qemu_in_ns
else
	fail "virsh -c qemu:///session create (uid $TEST_UID, bridge_helper = tcwire-helper)"
fi
# The go for the guest
ip -n "$NS-far" addr add 10.91.1.3/24 dev peer1

# Wait (bounded) for the guest to power off: on_poweroff destroy, and a
# transient domain is gone once libvirt has reaped its qemu
while [ $((SECONDS - start)) -lt 180 ]; do
	[ "$(domain_state)" != gone ] || break
	sleep 1
done
state=$(domain_state)
[ "$state" = gone ] || virsh_user destroy "$NAME" >/dev/null 2>&1
sed 's/^/    | /' "$CONSOLE" 2>/dev/null
check "the guest powered off within 180 s (domain state: $state)" test "$state" = gone
check "guest console: ping over the tcwire link works" \
	grep -q 'guest: ping over the tcwire link works' "$CONSOLE"
check "guest console: TCW-EXIT=0" grep -q 'TCW-EXIT=0' "$CONSOLE"
check_absent "after the domain ended its tap is gone" ': tcw' ip -n "$NS" -o link show
if [ "$_failures" != 0 ]; then
	for f in "$U/cache/libvirt/qemu/log/$NAME.log" "$U/cache/libvirtd.log"; do
		[ -r "$f" ] && { echo "    == $f"; sed 's/^/    | /' "$f"; }
	done
fi
finish
