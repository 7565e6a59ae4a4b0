#!/bin/bash
# contrib/kubernetes/vr-router-pod.yaml as it is, run by "podman kube play":
# the securityContext (non-root, every capability dropped but NET_ADMIN,
# privilege escalation allowed for the setuid helper) and the
# hostPath CharDevice /dev/net/tun take effect; when the lab adds the links
# eth1 and eth2 to the pod's network namespace (what clabernetes' sidecar
# would do; here the host's root, with veth pairs), the test guest boots,
# bridges its two NICs, and a ping from the far end of eth1 reaches the far
# end of eth2 through the VM: frames pass both links in both directions.
. "$(dirname "$0")/lib-containers.sh"

router_image
MANIFEST=$TCWIRE_SOURCE_ROOT/contrib/kubernetes/vr-router-pod.yaml
POD=vr-router
CTR=vr-router-router
podman pod exists "$POD" && skip "a pod named $POD exists already"
podman kube play --network none "$MANIFEST" >"$TMPDIR_TEST/play.log" 2>&1 ||
	{ cat "$TMPDIR_TEST/play.log"; echo "FAIL: podman kube play"; exit 1; }
at_exit podman kube down "$MANIFEST"

status=$(podman exec "$CTR" grep -E '^(Uid|CapBnd|NoNewPrivs):' /proc/1/status | tr -s '\t ' ' ')
check "the container runs as uid 1000" grep -q '^Uid: 1000 1000 1000 1000' <<<"$status"
check "its bounding set is NET_ADMIN only" \
	grep -qx 'CapBnd: 0000000000001000' <<<"$status"
check "no_new_privs is off (allowPrivilegeEscalation: true)" \
	grep -qx 'NoNewPrivs: 0' <<<"$status"
check "/dev/net/tun is the host's device" \
	test "$(podman exec "$CTR" stat -c '%F %t:%T' /dev/net/tun)" = "character special file a:c8"

# The links: eth1 to the namespace A (10.91.0.1), eth2 to B (10.91.0.2)
pid=$(ctr_pid podman "$(podman pod inspect --format '{{.InfraContainerID}}' "$POD")")
ns_new A
ns_new B
for k in 1 2; do
	far=$([ "$k" = 1 ] && echo "$A" || echo "$B")
	t=tk$RANDOM$RANDOM
	if ! ip link add "$t-a" type veth peer name "$t-b" ||
		! link_into "$t-a" "$pid" "$k" ||
		! ip link set "$t-b" netns "$far"; then
		echo "FAIL: cannot make the link eth$k"
		exit 1
	fi
	ip -n "$far" addr add "10.91.0.$k/24" dev "$t-b"
	ip -n "$far" link set "$t-b" up
done

# pod_log PATTERN SECONDS: wait until the container printed PATTERN
pod_log() {
	local i
	for ((i = 0; i < $2 * 2; i++)); do
		podman logs "$CTR" 2>&1 | tr -d '\r' | grep -q -- "$1" && return 0
		sleep 0.5
	done
	return 1
}
check "the test guest boots and bridges both NICs" \
	pod_log "tcwire test guest: bridging eth0 eth1" 120
for k in 1 2; do
	check "eth$k carries exactly one tcwire redirect, to the VM's tap" \
		test "$(in_ctr_net "$pid" tc filter show dev "eth$k" ingress |
			grep -c 'mirred (Egress Redirect to device tcw')" = 1
done
status=$(qemu_status podman "$CTR")
check "qemu runs as uid 1000 with no capability" bash -c '
	grep -q "^Uid: 1000 1000 1000 1000" <<<"$1" &&
	grep -q "^CapEff: 0000000000000000" <<<"$1" &&
	grep -q "^CapAmb: 0000000000000000" <<<"$1"' sh "$status"
in_ns "$A" ping -c 1 -w 30 10.91.0.2 >/dev/null
check "ping from eth1's far end to eth2's far end, through the VM" \
	in_ns "$A" ping -c 3 -W 2 10.91.0.2
check "and the VM forwarded it: ARP from A was learned by B" \
	bash -c "ip -n '$B' neigh show 10.91.0.1 | grep -q lladdr"
if [ "$_failures" != 0 ]; then
	podman logs "$CTR" 2>&1 | tr -d '\r' | sed 's/^/    | /'
fi
finish
