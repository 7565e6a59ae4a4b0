#!/bin/bash
# Management passthrough end to end (issue 21): a real guest booted by
# tcwire-qemu --mgmt-passthrough as uid 65534 with the setuid helper, in a
# namespace standing for the container, whose eth0 hangs on a management
# bridge as containerlab's mgmt network does. The guest configures itself
# from what tcwire-qemu hands its bootstrap (run-guest.sh puts it on the
# kernel command line). From a host on the bridge: TCP to the container's
# address reaches a server in the guest, the container's console port
# still answers from the container, ping and ping6 reach the guest, ARP
# resolves both ways with eth0's MAC; after a flap of eth0 all of it works
# again; tcwire status shows the wire as mgmt.
. "$(dirname "$0")/lib-lab.sh"
command -v busybox >/dev/null || skip "busybox is not installed (nc)"
command -v curl >/dev/null || skip "curl is not installed"

printf 'allow eth*\ndeny eth0\nallow-mgmt eth0\n' >"$ACL"
ns_new NS		# the router's container
ns_new MG		# the management network: a bridge, its gateway
ns_new HOST		# a host on that bridge
# containerlab's management network has IPv6 (ns_new turns it off)
for n in "$NS" "$MG" "$HOST"; do
	in_ns "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
		net.ipv6.conf.default.disable_ipv6=0
done
ip -n "$MG" link add br0 type bridge
ip -n "$MG" addr add 172.20.21.1/24 dev br0
ip -n "$MG" addr add 2001:db8:21::1/64 dev br0 nodad
ip -n "$MG" link set br0 up
# mgmt_port NS IF PORT: IF in NS, its peer PORT on the bridge
mgmt_port() {
	ip -n "$MG" link add "$3" type veth peer name "$2" netns "$1"
	ip -n "$MG" link set "$3" master br0 up
	ip -n "$1" link set "$2" up
}
mgmt_port "$NS" eth0 c-r1
mgmt_port "$HOST" h0 c-host
ip -n "$NS" addr add 172.20.21.2/24 dev eth0
ip -n "$NS" addr add 2001:db8:21::2/64 dev eth0 nodad
ip -n "$NS" route add default via 172.20.21.1
ip -n "$NS" -6 route add default via 2001:db8:21::1
ip -n "$HOST" addr add 172.20.21.9/24 dev h0
ip -n "$HOST" addr add 2001:db8:21::9/64 dev h0 nodad
mac=$(in_ns "$NS" cat /sys/class/net/eth0/address)

# the container's own console port: a server of the container's
printf '#!/bin/sh\necho container\n' >"$TMP/bin/say-container"
chmod 0755 "$TMP/bin/say-container"
spawn in_ns "$NS" busybox nc -ll -p 5000 -e "$TMP/bin/say-container"

lab_script "$TMP/mgmt.sh" <<'GUEST'
set -e
for a in $(cat /proc/cmdline); do
	case $a in
	tcw.mgmt4=*) m4=${a#tcw.mgmt4=} ;;
	tcw.mgmt6=*) m6=${a#tcw.mgmt6=} ;;
	esac
done
[ -n "${m4:-}" ] || { echo "no tcw.mgmt4 from the bootstrap"; exit 1; }
# the management NIC is the first; it takes what the bootstrap was told
ip link set eth0 up
ip addr add "${m4%,*}" dev eth0
ip route add default via "${m4#*,}"
ip -6 addr add "${m6%,*}" dev eth0
ip -6 route add default via "${m6#*,}"
mkdir -p /tmp/www
echo guest >/tmp/www/id
httpd -p 8022 -h /tmp/www	# a server of the guest's (it daemonizes)
ping -c 2 -W 5 "${m4#*,}" >/dev/null && echo "GW-PING ok"
echo "GUEST-READY mac $(cat /sys/class/net/eth0/address) addr ${m4%,*} ${m6%,*}"
nc -l -p 8099 </dev/null >/dev/null
echo "GUEST-DONE"
GUEST

log=$TMP/mgmt.log
wrapper_start "$NS" "$log" "$TMP/mgmt.sh" --mgmt-passthrough --count 0 \
	--mgmt-file "$USER_DIR/mgmt.env"
wrapper=$WRAPPER
lab_wait_log "$log" "GUEST-READY\|TCW-EXIT" 300
show_log "$log"
grep -q GUEST-READY "$log" || { fail "the guest never got ready"; finish; }

check "the bootstrap's file has eth0's address, prefix and gateway, and IPv6" \
	grep -qxF "$(printf 'TCWIRE_MGMT_IPV4_ADDRESS=172.20.21.2\nTCWIRE_MGMT_IPV4_PREFIX_LENGTH=24\nTCWIRE_MGMT_IPV4_GATEWAY=172.20.21.1\nTCWIRE_MGMT_IPV6_ADDRESS=2001:db8:21::2\nTCWIRE_MGMT_IPV6_PREFIX_LENGTH=64\nTCWIRE_MGMT_IPV6_GATEWAY=2001:db8:21::1')" \
	"$USER_DIR/mgmt.env"
check "the guest configured itself from it: 172.20.21.2/24 and 2001:db8:21::2/64" \
	grep -q "GUEST-READY mac $mac addr 172.20.21.2/24 2001:db8:21::2/64" "$log"
check "the guest's NIC has eth0's MAC ($mac)" grep -q "GUEST-READY mac $mac " "$log"
check "the guest reaches its gateway through eth0 (its ARP resolved)" grep -q "GW-PING ok" "$log"
q=$(qemu_below "$wrapper")
check "qemu runs as uid $TEST_UID" test "$(stat -c %u "/proc/$q")" = "$TEST_UID"

# passthrough_works WHEN: the checks from the host on the bridge
passthrough_works() {
	check "$1: TCP 172.20.21.2:8022 from the host reaches the guest's server" \
		test "$(in_ns "$HOST" curl -sS -m 10 http://172.20.21.2:8022/id)" = guest
	check "$1: the container's console port 5000 answers from the container" \
		test "$(in_ns "$HOST" busybox nc -w 10 172.20.21.2 5000 </dev/null)" = container
	check "$1: ping 172.20.21.2 from the host" in_ns "$HOST" ping -q -c 2 -W 5 172.20.21.2
	check "$1: ping6 2001:db8:21::2 from the host" in_ns "$HOST" ping -q -6 -c 2 -W 5 2001:db8:21::2
	check "$1: the host's ARP entry for 172.20.21.2 is eth0's MAC" \
		bash -c "ip -n '$HOST' neigh show 172.20.21.2 | grep -q 'lladdr $mac'"
}
passthrough_works "boot"
status=$(as_user -n "$NS" "$TMP/bin/tcwire" status)
show_log /dev/stdin <<<"$status"
check "tcwire status shows the management wire as mgmt" \
	bash -c "grep -qE '^eth0 +tcw[0-9]+ +mgmt .*tcp 5000-5007 local' <<<\"\$1\"" sh "$status"

# a flap of eth0: down and up in the container, its bridge port too
ip -n "$NS" link set eth0 down
ip -n "$MG" link set c-r1 down
sleep 1
ip -n "$MG" link set c-r1 up
ip -n "$NS" link set eth0 up
ip -n "$NS" route replace default via 172.20.21.1
in_ns "$HOST" ip neigh flush dev h0
passthrough_works "after a flap of eth0"

in_ns "$HOST" busybox nc -w 10 172.20.21.2 8099 </dev/null >/dev/null
wait "$wrapper"
rc=$?
check "the guest ends cleanly, tcwire-qemu exits 0 (got $rc)" test "$rc" = 0
check_absent "no tap is left" ': tcw' ip -n "$NS" -o link
finish
