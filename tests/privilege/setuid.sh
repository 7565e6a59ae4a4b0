#!/bin/bash
# The helper installed setuid root (and then with cap_net_admin+ep), run by
# an unprivileged user exactly as qemu runs it: allowed partners work,
# with /dev/net/tun at 0600 even when the bounding set holds CAP_NET_ADMIN
# alone (the helper opens it as root, its owner, before it drops);
# everything else is refused with one clear line and no trace; after
# dropping, the helper holds CAP_NET_ADMIN only (never CAP_DAC_OVERRIDE),
# as the user, with no_new_privs, and none of the caller's fds.
. "$(dirname "$0")/lib-priv.sh"
command -v setcap >/dev/null || skip "setcap (libcap2-bin) is not installed"

HELPER=$(install_helper setuid) || { echo "FAIL: meson install"; exit 1; }
check "meson install made the helper setuid root" \
	test "$(stat -c '%U %a' "$HELPER")" = "root 4755"
mkdir -p "$ACL_DIR"
printf '# test ACL\nallow eth*\ndeny eth2\n' >"$ACL"
chmod 0644 "$ACL"

ns_new NS
veth_pair "$NS" eth1 peer1
veth_pair "$NS" eth2 peer2
tun_mode 0600

user_helper() { as_user -n "$NS" "$TMP/bin/wire-client" --helper "$HELPER" "$@"; }

# 1. An allowed partner works, with /dev/net/tun at 0600, and frames pass
rm -f "$USER_DIR/held"
spawn user_helper --use-vnet --br eth1 -- sh -c \
	'echo "$$ $TCWIRE_TAP_FD $TCWIRE_TAP_NAME" >"$1.tmp" && mv "$1.tmp" "$1"; exec sleep 20' \
	sh "$USER_DIR/held"
holder=$!
wait_until test -e "$USER_DIR/held"
read -r pid fd tap <"$USER_DIR/held" 2>/dev/null || true
check "setuid helper run as uid $TEST_UID wires eth1 (tun is 0600)" test -n "${tap:-}"
check "frames pass byte-exact over the user's tap" \
	in_ns "$NS" "$FRAME_CHECK" --from-pid "$pid" --tap-fd "$fd" --vnet --peer peer1
# $pid is the user's shell that exec'd sleep and holds the tap
kill "$pid" 2>/dev/null; wait "$holder" 2>/dev/null

# A bounding set of CAP_NET_ADMIN alone, as --cap-drop=ALL
# --cap-add=NET_ADMIN leaves it in a container: no CAP_DAC_OVERRIDE to open
# the 0600 node with, no CAP_SETGID, no CAP_SETPCAP
check "setuid helper wires eth1 (tun 0600) with CAP_NET_ADMIN alone in the bounding set" \
	in_ns "$NS" setpriv --bounding-set=-all,+net_admin --reuid="$TEST_UID" \
	--regid="$TEST_GID" --clear-groups --inh-caps=-all \
	"$TMP/bin/wire-client" --helper "$HELPER" --br eth1 -- true

before=$(snapshot "$NS")

# 2. Refusals: message, exit status, nothing left behind
expect_error "ACL deny" "tcwire-helper: eth2: not allowed by $ACL: the rule \"deny eth2\" refuses it" \
	user_helper --br eth2
expect_error "16-byte name" \
	"tcwire-helper: abcdefghijklmnop: interface name longer than 15 bytes" \
	user_helper --br abcdefghijklmnop
expect_error "partner not in the ACL" "tcwire-helper: peer1: not allowed by $ACL: no rule allows it (add the line \"allow peer1\")" \
	user_helper --br peer1
chmod 0666 "$ACL"
expect_error "world-writable ACL" "tcwire-helper: eth1: $ACL: writable by group or others" \
	user_helper --br eth1
chmod 0644 "$ACL"
chown "$TEST_UID" "$ACL"
expect_error "ACL owned by the user" "tcwire-helper: eth1: $ACL: not owned by root" \
	user_helper --br eth1
chown 0 "$ACL"
ln -s "$ACL" "$TMP/link.conf"
printf 'include %s\n' "$TMP/link.conf" >"$TMP/inc.conf"
chmod 0644 "$TMP/inc.conf"
mv "$ACL" "$ACL.real"
cp "$TMP/inc.conf" "$ACL"
expect_error "include of a symlink" "tcwire-helper: eth1: $TMP/link.conf: is a symbolic link" \
	user_helper --br eth1
printf 'include /etc/shadow\n' >"$ACL"
expect_error "an include of /etc/shadow is read as the user: unreadable, so the check fails closed (content never shown)" \
	"tcwire-helper: eth1: /etc/shadow: cannot read it as uid $TEST_UID, so its rules cannot apply: make it readable, or scope it with include-user/include-group" \
	user_helper --br eth1
rm "$ACL"
expect_error "missing ACL" "tcwire-helper: eth1: $ACL: no such file, so nothing may be wired: create it (owned by root, mode 0644) with the line \"allow eth1\" (tcwire-helper.conf(5))" \
	user_helper --br eth1
mv "$ACL.real" "$ACL"
after=$(snapshot "$NS")
same_state "after the refusals" "$before" "$after"

# 3. What the helper holds once it dropped privileges: it waits for the
# wire lock we hold, and we read its /proc entry meanwhile. fd 7 is left
# open on purpose and --keep-fds lets the helper inherit it.
ifindex=$(in_ns "$NS" cat /sys/class/net/eth1/ifindex)
spawn ip netns exec "$NS" "$TMP/bin/hold-lock" "$ifindex" 30 >"$TMP/lock.out"
locker=$!
wait_until grep -q locked "$TMP/lock.out"
exec 7</etc/hostname
spawn user_helper --keep-fds --br eth1 >"$TMP/step3.out" 2>&1
wait_until helper_in_state status '^CapBnd:\s*0*$'
exec 7<&-
status=$(helper_status "$hpid")
fds=$(for f in /proc/"$hpid"/fd/*; do readlink "$f"; done)
kill "$locker"; wait
check "once the lock is free, that helper run succeeds" grep -qx 'tcw[0-9]*' "$TMP/step3.out"
check "helper runs as uid/gid $TEST_UID (real, effective, saved, fs)" \
	grep -qx "Uid: $TEST_UID $TEST_UID $TEST_UID $TEST_UID" <<<"$status"
check "gid too" grep -qx "Gid: $TEST_GID $TEST_GID $TEST_GID $TEST_GID" <<<"$status"
check "no supplementary groups" grep -qx "Groups: *" <<<"$status"
check "effective capabilities: CAP_NET_ADMIN only" \
	grep -qx "CapEff: 0000000000001000" <<<"$status"
check "permitted capabilities: CAP_NET_ADMIN only" \
	grep -qx "CapPrm: 0000000000001000" <<<"$status"
check "bounding set cleared" grep -qx "CapBnd: 0000000000000000" <<<"$status"
check "no inheritable or ambient capabilities" \
	bash -c "grep -qx 'CapInh: 0000000000000000' <<<'$status' && grep -qx 'CapAmb: 0000000000000000' <<<'$status'"
check "no_new_privs is set" grep -qx "NoNewPrivs: 1" <<<"$status"
check "a seccomp filter confines it" grep -qx "Seccomp: 2" <<<"$status"
check "the helper's open fds were read while it waited" test -n "$fds"
check_absent "the caller's fd 7 was closed" '^/etc/hostname$' echo "$fds"
check "/dev/net/tun is open (opened as root, its owner, before the drop)" \
	grep -q "/dev/net/tun" <<<"$fds"

# 4. File capabilities: the same binary installed with cap_net_admin+ep into
# a DESTDIR. It opens /dev/net/tun as the user, so it needs the node at
# 0666, as distributions ship it.
CAPHELPER=$(install_helper capabilities "$TMP/destdir") ||
	{ echo "FAIL: meson install (capabilities)"; exit 1; }
check "meson install with DESTDIR gave cap_net_admin+ep" \
	test "$(count_matches 'cap_net_admin=ep' getcap "$CAPHELPER")" = 1
check "and no setuid bit" test "$(stat -c %a "$CAPHELPER")" = 755
tun_mode 0666
HELPER=$CAPHELPER
check "file-capability helper wires eth1 for uid $TEST_UID" \
	user_helper --br eth1 -- true
expect_error "file-capability helper enforces the ACL" \
	"tcwire-helper: eth2: not allowed by $ACL: the rule \"deny eth2\" refuses it" user_helper --br eth2
umount /dev/net/tun
expect_error "file-capability helper explains a 0600 /dev/net/tun" \
	"tcwire-helper: /dev/net/tun: cannot open: Permission denied (mode 0600: make it 0666, or install the helper setuid root, which opens it as its owner)" \
	user_helper --br eth1
finish
