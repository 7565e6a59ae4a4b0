/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - reserve mode: a tap for a partner that is not there yet
 *
 * Theory of operation. A VM's NIC positions are fixed when it boots, and
 * most vendor router images do not take a PCI hot-plug. So tcwire-qemu
 * boots every position whose interface is still missing (a "slot") with a
 * real tap, reserved for the interface that will be there:
 * "tcwire-helper --reserve --br=eth3" checks the name against the ACL as a
 * wiring would, creates a tap owned by the caller, wires it to nothing,
 * names the partner in the tap's alias ("tcwire:eth3", which the tap's
 * owner cannot change) and sends its fds. When eth3 appears, the caller
 * re-wires the tap with --rewire, and every rule of a re-wire applies
 * then: the ACL again, a partner live-wired elsewhere is refused, both
 * wire locks. The guest never sees a device come or go.
 *
 * What a reservation gives the caller is what any tap it holds gives: a
 * tap of its own, in its own network namespace, that it may re-wire to a
 * partner the ACL allows. It holds nothing else: the partner is neither
 * looked up nor locked (it need not exist), another VM may wire it first
 * (the re-wire then says "already wired"), and the tap costs the caller an
 * fd per queue and dies with them, like every tap (RLIMIT_NOFILE bounds
 * how many one user holds).
 */
#include <linux/if_ether.h>

#include "reserve.h"

/* See reserve.h */
int reserve_tap(struct tcw_nl *nl, struct tap_device *tap, bool use_vnet,
		const char *partner, struct tcw_err *err)
{
	int rc = tap_create(tap, use_vnet, err);

	return rc ? rc : tap_configure_link(nl, tap, ETH_DATA_LEN, 0, partner,
					    err);
}
