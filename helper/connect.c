/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - connect a new tap to its partner, or undo all of it
 *
 * Order matters for what a crash leaves behind. Everything that can fail
 * on the partner's side is checked before the tap exists; the tap is
 * created and wired first, the partner last. If the helper dies at any
 * point (even SIGKILL), its tap fds close, the kernel deletes the tap with
 * its qdisc and filter, and at most a redirect on the partner towards the
 * vanished tap remains, which the next run recognises as stale and
 * replaces (tcw_partner_claim()).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <net/if.h>
#include <net/if_arp.h>
#include <netlink/route/link.h>

#include "connect.h"
#include "wire_model.h"
#include "wire_lock.h"

/* Find the partner and refuse devices that cannot be a wire's end */
static int partner_inspect(struct tcw_nl *nl, struct connection *conn,
			   unsigned int *mtu, bool *is_up,
			   struct tcw_err *err)
{
	const char *name = conn->partner_name;
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
		conn->partner_ifindex = rtnl_link_get_ifindex(link);
		conn->bridge_mode = kind && !strcmp(kind, "bridge");
		*mtu = rtnl_link_get_mtu(link);
		*is_up = rtnl_link_get_flags(link) & IFF_UP;
		rc = 0;
	}
	rtnl_link_put(link);
	return rc;
}

/* Set the partner administratively up or down */
static int partner_set_up(struct tcw_nl *nl, struct connection *conn, bool up,
			  struct tcw_err *err)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *change = rtnl_link_alloc();
	int rc = 0;

	if (!orig || !change) {
		rc = tcw_err_set(err, ENOMEM, "%s: out of memory",
				 conn->partner_name);
		goto out;
	}
	rtnl_link_set_ifindex(orig, conn->partner_ifindex);
	if (up)
		rtnl_link_set_flags(change, IFF_UP);
	else
		rtnl_link_unset_flags(change, IFF_UP);
	rc = tcw_link_apply(nl, orig, change);
	if (rc < 0)
		rc = tcw_nl_fail(nl, err, rc, "%s: cannot bring it up",
				 conn->partner_name);
out:
	if (orig)
		rtnl_link_put(orig);
	if (change)
		rtnl_link_put(change);
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

/* See connect.h */
int connect_tap_to_partner(struct tcw_nl *nl, struct connection *conn,
			   struct tap_device *tap, bool use_vnet,
			   struct tcw_err *err)
{
	unsigned int mtu = 0;
	bool partner_up = false;
	int rc;

	conn->lock_fd = -1;
	rc = partner_inspect(nl, conn, &mtu, &partner_up, err);
	if (rc)
		return rc;

	if (!conn->bridge_mode) {
		rc = tcw_wire_lock(conn->partner_ifindex, conn->partner_name,
				   err);
		if (rc < 0)
			return rc;
		conn->lock_fd = rc;
		rc = tcw_partner_claim(nl, conn->partner_ifindex,
				       conn->partner_name, err);
	} else {
		rc = bridge_reap_orphan_ports(nl, conn->partner_ifindex,
					      conn->partner_name, err);
	}
	if (rc)
		return rc;

	rc = tap_create(tap, use_vnet, err);
	if (rc)
		return rc;
	rc = tap_configure_link(nl, tap, mtu,
				conn->bridge_mode ? conn->partner_ifindex : 0,
				err);
	if (rc || conn->bridge_mode)
		return rc;

	conn->wire.tap.ifindex = tap->ifindex;
	conn->wire.tap.name = tap->name;
	conn->wire.partner.ifindex = conn->partner_ifindex;
	conn->wire.partner.name = conn->partner_name;
	rc = tcw_wire_connect(nl, &conn->wire, err);
	if (rc)
		return rc;

	if (!partner_up) {
		rc = partner_set_up(nl, conn, true, err);
		if (rc)
			return rc;
		conn->partner_raised = true;
	}
	return 0;
}

/* See connect.h */
void connect_undo(struct tcw_nl *nl, struct connection *conn)
{
	if (conn->partner_raised &&
	    partner_set_up(nl, conn, false, NULL) == 0)
		conn->partner_raised = false;
	tcw_wire_undo(nl, &conn->wire);
}

/*
 * See connect.h
 * #syscalls close
 */
void connect_release(struct connection *conn)
{
	if (conn->lock_fd >= 0)
		close(conn->lock_fd);
	conn->lock_fd = -1;
}
