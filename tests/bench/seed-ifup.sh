#!/bin/sh
# The seed blog's ifup script (shared/seed-blog.txt), as qemu's script= runs
# it: tapK is wired to ethK. Only for the benchmark's baseline.
TAP_IF=$1
INDEX=${TAP_IF#tap}
ip link set "$TAP_IF" up
tc qdisc add dev "eth$INDEX" ingress
tc filter add dev "eth$INDEX" parent ffff: protocol all u32 match u8 0 0 action mirred egress redirect dev "$TAP_IF"
tc qdisc add dev "$TAP_IF" ingress
tc filter add dev "$TAP_IF" parent ffff: protocol all u32 match u8 0 0 action mirred egress redirect dev "eth$INDEX"
