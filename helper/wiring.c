/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - the wiring: a new tap wired to its partner, or all of
 * it undone
 *
 * Words: a "wire" is the pair of tc redirects between a tap and its
 * partner (tc_wire.c); the "wiring" is the helper's whole act for one
 * partner: find and check the partner, take its wire lock and clear stale
 * wires (or reap orphaned ports of a bridge), create the tap, make the
 * wire (or a bridge port), and raise the partner. struct wiring records
 * how far it got, so wiring_undo() removes exactly that.
 *
 * Order matters for what a crash leaves behind. Everything that can fail
 * on the partner's side is checked before the tap exists; the tap is
 * created and wired first, the partner last. If the helper dies at any
 * point (even SIGKILL), its tap fds close, the kernel deletes the tap with
 * its qdisc and filter, and at most a redirect on the partner towards the
 * vanished tap remains, which the next run recognises as stale and
 * replaces (tc_wire_clear_stale()).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <net/if.h>
#include <net/if_arp.h>
#include <netlink/route/link.h>

#include "wiring.h"
#include "wire/wire_model.h"
#include "wire_lock.h"

/* See wiring.h */
int wiring_partner_inspect(struct tcw_nl *nl, struct wiring *wiring,
			   unsigned int *mtu, bool *is_up,
			   struct tcw_err *err)
{
	const char *name = wiring->partner_name;
	struct rtnl_link *link = NULL;
	const char *kind;
	int rc;

	rc = tcw_link_get_by_name(nl, name, &link);
	if (rc == -ENODEV)
		return tcw_err_set(err, ENODEV,
				   "%s: no such interface in this network namespace",
				   name);
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "%s: cannot query interface",
				   name);

	kind = rtnl_link_get_type(link);
	if (strcmp(rtnl_link_get_name(link), name))
		/* The kernel also finds alternative names (altname); the ACL
		 * judged @name, so only the device's own name may be wired */
		rc = tcw_err_set(err, EINVAL,
				 "%s: is an alternative name of %s; give the interface's own name",
				 name, rtnl_link_get_name(link));
	else if (rtnl_link_get_flags(link) & IFF_LOOPBACK)
		rc = tcw_err_set(err, EINVAL,
				 "%s: the loopback device cannot be wired", name);
	else if (rtnl_link_get_arptype(link) != ARPHRD_ETHER)
		rc = tcw_err_set(err, EINVAL, "%s: not an Ethernet device",
				 name);
	else if (kind && (!strcmp(kind, "tun") || !strcmp(kind, "macvtap") ||
			  !strcmp(kind, "ipvtap")))
		rc = tcw_err_set(err, EINVAL,
				 "%s: is a tap device; wiring it to another tap would loop two VMs together",
				 name);
	else {
		wiring->partner_ifindex = rtnl_link_get_ifindex(link);
		wiring->bridge_mode = kind && !strcmp(kind, "bridge");
		*mtu = rtnl_link_get_mtu(link);
		*is_up = rtnl_link_get_flags(link) & IFF_UP;
		rc = 0;
	}
	rtnl_link_put(link);
	return rc;
}

/* See wiring.h */
int wiring_partner_set_up(struct tcw_nl *nl, struct wiring *wiring, bool up,
			  struct tcw_err *err)
{
	const struct tcw_link_change c = { .up = up, .down = !up };
	int rc = tcw_link_set(nl, wiring->partner_ifindex, &c);

	if (rc < 0)
		rc = tcw_nl_fail(nl, err, rc, "%s: cannot bring it %s",
				 wiring->partner_name, up ? "up" : "down");
	return rc;
}

/*
 * Delete the orphaned tcwire taps among @bridge's ports: taps their last
 * user made persistent and let go of. Like a stale wire they would stay
 * bridge ports forever, and their user could re-attach after losing access.
 * #syscalls sendmsg recvmsg
 */
static int bridge_reap_orphan_ports(struct tcw_nl *nl, int bridge,
				    const char *name, struct tcw_err *err)
{
	struct nl_cache *links = NULL;
	struct nl_object *obj;
	int rc;

	rc = tcw_nl_call(nl, rtnl_link_alloc_cache(nl->sk, AF_UNSPEC, &links));
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "%s: cannot list its ports",
				   name);
	for (obj = nl_cache_get_first(links); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_link *port = (struct rtnl_link *)obj;

		if (rtnl_link_get_master(port) != bridge ||
		    !tcw_tap_is_orphan(nl, port))
			continue;
		rc = tcw_link_delete(nl, rtnl_link_get_ifindex(port));
		if (rc < 0 && rc != -ENODEV) {
			rc = tcw_nl_fail(nl, err, rc,
					 "%s: cannot remove its orphaned port %s",
					 name, rtnl_link_get_name(port));
			break;
		}
		rc = 0;
	}
	nl_cache_free(links);
	return rc;
}

/*
 * Whether the partner inspected is still there under the name the ACL
 * judged. Every step after wiring_partner_inspect() acts on
 * partner_ifindex, never on the name again; this binds the name checked
 * to that device once the lock is held (a caller may stop the helper in
 * between for as long as it likes). Return: 0, or negative errno if the
 * device is gone or was renamed
 */
static int wiring_partner_recheck(struct tcw_nl *nl,
				  const struct wiring *wiring,
				  struct tcw_err *err)
{
	const char *name = wiring->partner_name;
	struct rtnl_link *link = NULL;
	int rc;

	rc = tcw_link_get_by_index(nl, wiring->partner_ifindex, &link);
	if (rc == -ENODEV)
		return tcw_err_set(err, ENODEV,
				   "%s: disappeared while the helper was wiring it",
				   name);
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "%s: cannot query interface",
				   name);
	if (strcmp(rtnl_link_get_name(link), name))
		rc = tcw_err_set(err, EAGAIN,
				 "%s: was renamed while the helper was wiring it",
				 name);
	rtnl_link_put(link);
	return rc;
}

/* See wiring.h */
int wiring_lock_with_tap(struct tcw_nl *nl, struct wiring *wiring,
			 int tap_ifindex, const char *tap_name, int *tap_lock,
			 struct tcw_err *err)
{
	int lock;

	lock = wire_lock(tap_ifindex, tap_name, err);
	if (lock < 0)
		return lock;
	*tap_lock = lock;
	lock = wire_lock(wiring->partner_ifindex, wiring->partner_name, err);
	if (lock < 0)
		return lock;
	wiring->lock_fd = lock;
	return wiring_partner_recheck(nl, wiring, err);
}

/*
 * Make the partner ours to wire: take its wire lock and clear stale wires
 * off it; for a bridge, delete the orphaned taps among its ports instead
 */
static int partner_prepare(struct tcw_nl *nl, struct wiring *wiring,
			   struct tcw_err *err)
{
	int rc;

	if (wiring->bridge_mode)
		return bridge_reap_orphan_ports(nl, wiring->partner_ifindex,
						wiring->partner_name, err);
	rc = wire_lock(wiring->partner_ifindex, wiring->partner_name, err);
	if (rc < 0)
		return rc;
	wiring->lock_fd = rc;
	rc = wiring_partner_recheck(nl, wiring, err);
	if (rc)
		return rc;
	return tc_wire_clear_stale(nl, wiring->partner_ifindex,
				   wiring->partner_name, 0, err);
}

/* See wiring.h */
void wiring_init(struct wiring *wiring, const char *partner_name)
{
	memset(wiring, 0, sizeof(*wiring));
	wiring->partner_name = partner_name;
	wiring->lock_fd = -1;
}

/* See wiring.h */
int wiring_create(struct tcw_nl *nl, struct wiring *wiring,
		  struct tap_device *tap, bool use_vnet, struct tcw_err *err)
{
	unsigned int mtu = 0;
	bool partner_up = false;
	int rc;

	rc = wiring_partner_inspect(nl, wiring, &mtu, &partner_up, err);
	if (rc == 0)
		rc = partner_prepare(nl, wiring, err);
	if (rc == 0)
		rc = tap_create(tap, use_vnet, err);
	if (rc == 0)
		rc = tap_configure_link(nl, tap, mtu, wiring->bridge_mode ?
					wiring->partner_ifindex : 0,
					wiring->partner_name, err);
	if (rc || wiring->bridge_mode)
		return rc;

	wiring->wire.tap.ifindex = tap->ifindex;
	wiring->wire.tap.name = tap->name;
	wiring->wire.partner.ifindex = wiring->partner_ifindex;
	wiring->wire.partner.name = wiring->partner_name;
	rc = tc_wire_add(nl, &wiring->wire, err);
	if (rc || partner_up)
		return rc;
	rc = wiring_partner_set_up(nl, wiring, true, err);
	if (rc == 0)
		wiring->partner_raised = true;
	return rc;
}

/* See wiring.h */
void wiring_undo(struct tcw_nl *nl, struct wiring *wiring)
{
	if (wiring->partner_raised &&
	    wiring_partner_set_up(nl, wiring, false, NULL) == 0)
		wiring->partner_raised = false;
	tc_wire_undo(nl, &wiring->wire);
}

/*
 * See wiring.h
 * #syscalls close
 */
void wiring_release(struct wiring *wiring)
{
	if (wiring->lock_fd >= 0)
		close(wiring->lock_fd);
	wiring->lock_fd = -1;
}
