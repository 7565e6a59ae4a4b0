#!/bin/bash
# Every failure prints one line naming the object and the reason, exits 1,
# sends nothing, and leaves the namespace exactly as it was: no tap, no
# filter, no qdisc the helper created, the partner's up/down state as before.
. "$(dirname "$0")/../lib.sh"
require_root

ns_new NS
veth_pair "$NS" eth1 peer1
ip -n "$NS" tuntap add vnet7 mode tap
ip -n "$NS" link add eth2 type veth peer name peer2
# eth3 already carries somebody else's filter at tcwire's priority
veth_pair "$NS" eth3 peer3
tc -n "$NS" qdisc add dev eth3 ingress
tc -n "$NS" filter add dev eth3 parent ffff: prio 29795 protocol all u32 \
	match u8 0 0 classid 1:1

helper() { in_ns "$NS" "$WIRE_CLIENT" --helper "$TCWIRE_HELPER" "$@"; }
direct() { in_ns "$NS" "$TCWIRE_HELPER" "$@"; }

before=$(snapshot "$NS")

expect_error "missing partner" \
	"tcwire-helper: eth9: no such interface in this network namespace" \
	helper --br eth9
expect_error "16-byte name" \
	"tcwire-helper: abcdefghijklmnop: interface name longer than 15 bytes" \
	helper --br abcdefghijklmnop
expect_error "name with a slash" \
	'tcwire-helper: a/b: interface name may only contain letters, digits and "-_.@+"' \
	helper --br a/b
expect_error "loopback partner" \
	"tcwire-helper: lo: the loopback device cannot be wired" \
	helper --br lo
expect_error "tcwire's own tap pattern" \
	"tcwire-helper: tcw3: names tcw<N> belong to tcwire's own taps and cannot be a partner" \
	helper --br tcw3
expect_error "another VM's tap" \
	"tcwire-helper: vnet7: is a tap device; wiring it to another tap would loop two VMs together" \
	helper --br vnet7
expect_error "--fd is a regular file" \
	"tcwire-helper: --fd=5: not a unix stream socket" \
	direct --fd=5 --br=eth1 5</etc/hostname
expect_error "--fd is closed" \
	"tcwire-helper: --fd=9: not an open file descriptor" \
	direct --fd=9 --br=eth1
expect_error "--fd is stdin" \
	"tcwire-helper: --fd=0: expected a file descriptor number above 2" \
	direct --fd=0 --br=eth1
expect_error "unknown option" \
	"tcwire-helper: --bridge=eth1: unknown option (see --help)" \
	direct --fd=3 --bridge=eth1
expect_error "duplicate option" \
	"tcwire-helper: --br given twice" \
	direct --fd=3 --br=eth1 --br=eth1
expect_error "missing --br" \
	"tcwire-helper: missing --br=NAME (see --help)" \
	direct --fd=3
expect_error "a foreign filter holds tcwire's priority" \
	"tcwire-helper: eth3: tc filter priority 29795 is already taken on its ingress hook" \
	helper --br eth3
expect_error "caller stops listening (fails at the very last step, partner down)" \
	"tcwire-helper: eth2: cannot send the tap fd: Broken pipe" \
	helper --shutdown-socket --br eth2
expect_error "caller stops listening (partner up)" \
	"tcwire-helper: eth1: cannot send the tap fd: Broken pipe" \
	helper --shutdown-socket --br eth1

after=$(snapshot "$NS")
same_state "after every error" "$before" "$after"
finish
