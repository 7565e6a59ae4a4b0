/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - persistent wires: a root-made tap wired to its partner for a VM
 * that libvirt (qemu:///system) starts and stops on it
 *
 * Theory of operation
 *
 * In libvirt's system mode root libvirtd opens the VM's taps itself and
 * never calls a helper. A tap that exists before the domain starts, named
 * in the domain's XML with <target dev='NAME' managed='no'/>, is used as
 * it is: libvirt neither brings it up nor sets its MTU, and a missing one
 * fails the start. So "tcwire wire" makes that tap beforehand, persistent
 * (it outlives every start and stop of the VM), up, with the partner's
 * MTU, and wires it to the partner exactly as the helper wires its taps:
 * the same filters (tc_wire.c), wire locks (wire_lock.c), partner checks
 * (wiring.c) and stale-wire cleanup.
 *
 * The tap belongs to nobody (no TUNSETOWNER): only CAP_NET_ADMIN may
 * attach to it, as libvirtd does. It is multiqueue exactly when the VM
 * uses more than one queue: libvirt opens it with IFF_MULTI_QUEUE when
 * <driver queues='N'> has N > 1 and the kernel refuses a mismatch
 * ("Unable to create tap device: Invalid argument"), so a mismatch is
 * refused here, at wiring time, with the fix.
 *
 * Its alias "tcwire-persistent:PARTNER" marks it. The helper's orphan rule
 * (tcw_tap_orphaned()) never deletes a marked tap, and its name is never
 * tcw<N>; tcwire status shows it "stopped" while its VM is.
 *
 * Running it again repairs: libvirt's hot-unplug runs "tc qdisc del dev
 * TAP ingress", which removes the VM -> partner half, and a recreated
 * partner (a container redeployed) leaves both halves pointing at nothing.
 * Halves of this wire are replaced like stale wires (tc_wire_clear_stale()
 * with the other end as "mine"); a partner wired to any other live device
 * is refused, as by the helper.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <net/if_arp.h>
#include <netlink/route/link.h>

#include "client/ifname.h"
#include "persistent_wire.h"
#include "tc_wire.h"
#include "wire/wire_model.h"
#include "wire_lock.h"
#include "wiring.h"

#define TUN_DEVICE	"/dev/net/tun"

/**
 * struct pw_tap - An existing tap as the kernel describes it
 * @ifindex:	Index
 * @mtu:	MTU
 * @up:		IFF_UP is set
 * @carrier:	It has carrier: some fd holds it
 * @marked:	Its alias is tcwire wire's mark
 * @marked_for:	The partner the mark names
 * @st:		Its tun state
 */
struct pw_tap {
	int ifindex;
	unsigned int mtu;
	bool up;
	bool carrier;
	bool marked;
	char marked_for[IFNAMSIZ];
	struct tcw_tun_state st;
};

/* See persistent_wire.h */
int persistent_wire_check(const char *tap, unsigned int queues,
			  struct tcw_err *err)
{
	int rc = tcw_ifname_check(tap, err);

	if (rc)
		return rc;
	if (tcw_ifname_is_tcwire_tap(tap))
		return tcw_err_set(err, EINVAL,
				   "%s: names " TCW_TAP_PREFIX "<N> are tcwire-helper's; choose another (e.g. " TCW_TAP_PREFIX "-vm1-1)",
				   tap);
	if (queues < 1 || queues > PERSISTENT_MAX_QUEUES)
		return tcw_err_set(err, EINVAL, "--queues %u: 1 to %d", queues,
				   PERSISTENT_MAX_QUEUES);
	return 0;
}

/* Fill @t from @link, which must be a tap named @name */
static int tap_describe(struct tcw_nl *nl, struct rtnl_link *link,
			const char *name, struct pw_tap *t,
			struct tcw_err *err)
{
	const char *kind = rtnl_link_get_type(link);
	int rc;

	if (strcmp(rtnl_link_get_name(link), name))
		return tcw_err_set(err, EINVAL,
				   "%s: is an alternative name of %s; give the tap's own name",
				   name, rtnl_link_get_name(link));
	if (!kind || strcmp(kind, "tun") ||
	    rtnl_link_get_arptype(link) != ARPHRD_ETHER)
		return tcw_err_set(err, EEXIST, "%s: exists and is not a tap",
				   name);
	memset(t, 0, sizeof(*t));
	t->ifindex = rtnl_link_get_ifindex(link);
	t->mtu = rtnl_link_get_mtu(link);
	t->up = rtnl_link_get_flags(link) & IFF_UP;
	t->carrier = rtnl_link_get_carrier(link);
	tcw_tap_alias_partner(rtnl_link_get_ifalias(link), t->marked_for,
			      &t->marked);
	rc = tcw_tun_state_get(nl, t->ifindex, &t->st);
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "%s: cannot read its tun state",
				   name);
	return 0;
}

/*
 * The tap @name, described in @t
 * Return: 0, -ENODEV (no message) if there is none, or negative errno
 */
static int tap_lookup(struct tcw_nl *nl, const char *name, struct pw_tap *t,
		      struct tcw_err *err)
{
	struct rtnl_link *link = NULL;
	int rc;

	rc = tcw_link_get_by_name(nl, name, &link);
	if (rc == -ENODEV)
		return rc;
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "%s: cannot query interface",
				   name);
	rc = tap_describe(nl, link, name, t, err);
	rtnl_link_put(link);
	return rc;
}

/*
 * Create the persistent tap @name, multiqueue when @queues > 1, owned by
 * nobody (only CAP_NET_ADMIN attaches to it)
 * #syscalls openat ioctl close
 */
static int tap_create_persistent(const char *name, unsigned int queues,
				 struct tcw_err *err)
{
	struct ifreq ifr;
	int fd, e;

	fd = open(TUN_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return tcw_err_set(err, errno, TUN_DEVICE ": cannot open: %s",
				   strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (queues > 1)
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETPERSIST, 1) < 0) {
		e = errno;
		close(fd);
		return tcw_err_set(err, e, "%s: cannot create tap: %s%s", name,
				   strerror(e), e == EPERM ?
				   " (tcwire wire needs CAP_NET_ADMIN)" : "");
	}
	close(fd);
	return 0;
}

/* Refuse a tap whose multiqueue flag does not match @queues */
static int tap_queues_match(const char *name, const struct pw_tap *t,
			    unsigned int queues, struct tcw_err *err)
{
	if (t->st.multi_queue == (queues > 1))
		return 0;
	return tcw_err_set(err, EINVAL,
			   "%s: is a %s tap but --queues %u needs a %s one (libvirt's <driver queues> must match); remove it with tcwire unwire --tap %s while its VM is stopped",
			   name, t->st.multi_queue ? "multiqueue" : "single-queue",
			   queues, queues > 1 ? "multiqueue" : "single-queue",
			   name);
}

/* Whether some fd holds the tap: a VM runs on it */
static bool tap_held(const struct pw_tap *t)
{
	if (t->st.queues != ~0U)	/* multiqueue: the kernel counts fds */
		return t->st.queues || (t->st.disabled != ~0U && t->st.disabled);
	return t->carrier;		/* single queue: carrier while attached */
}

/* The tap's MTU, mark and IFF_UP, unless all are right already */
static int tap_follow_partner(struct tcw_nl *nl, const char *name,
			      const struct pw_tap *t, unsigned int mtu,
			      const char *partner, bool *changed,
			      struct tcw_err *err)
{
	char alias[TCW_TAP_ALIAS_MAX];
	const struct tcw_link_change c = {
		.mtu = mtu, .up = true,
		.alias = tcw_persistent_alias(alias, sizeof(alias), partner),
	};
	int rc;

	if (t->mtu == mtu && t->up && t->marked &&
	    !strcmp(t->marked_for, partner))
		return 0;
	*changed = true;
	rc = tcw_link_set(nl, t->ifindex, &c);
	if (rc < 0)
		rc = tcw_nl_fail(nl, err, rc, "%s: cannot set MTU %u and bring it up",
				 name, mtu);
	return rc;
}

/*
 * Under both locks: unless the wire is complete, clear both ends (or
 * refuse); then the tap's link, both redirects, and the partner up
 */
static int wire_locked(struct tcw_nl *nl, struct wiring *w,
		       const struct pw_tap *t, unsigned int mtu,
		       bool partner_up, bool *changed, struct tcw_err *err)
{
	struct tc_wire *wire = &w->wire;
	bool present = tc_wire_present(nl, wire);
	int rc = 0;

	if (!present)	/* refusals first, before any change */
		rc = tc_wire_clear_ends(nl, wire, true, err);
	if (rc == 0)
		rc = tap_follow_partner(nl, wire->tap.name, t, mtu,
					w->partner_name, changed, err);
	if (rc == 0 && !present) {
		*changed = true;
		rc = tc_wire_add(nl, wire, err);
	}
	if (rc == 0 && !partner_up) {
		*changed = true;
		rc = wiring_partner_set_up(nl, w, true, err);
		w->partner_raised = rc == 0;
	}
	return rc;
}

/*
 * Take the wire locks of tap and partner and check under them that both
 * names still lead to the devices checked; the tap's lock fd goes to
 * @tap_lock, the partner's to @w
 */
static int lock_both(struct tcw_nl *nl, struct wiring *w, const char *tap,
		     struct pw_tap *t, int *tap_lock, struct tcw_err *err)
{
	int ifindex = t->ifindex, rc;

	rc = wiring_lock_with_tap(nl, w, ifindex, tap, tap_lock, err);
	if (rc == 0)
		rc = tap_lookup(nl, tap, t, err);
	if (rc == -ENODEV || (rc == 0 && t->ifindex != ifindex))
		rc = tcw_err_set(err, EAGAIN,
				 "%s: changed while tcwire was wiring it", tap);
	return rc;
}

/*
 * The tap, created if missing (*@created), refused if its queues do not
 * match
 */
static int tap_obtain(struct tcw_nl *nl, const char *tap, unsigned int queues,
		      struct pw_tap *t, bool *created, struct tcw_err *err)
{
	int rc = tap_lookup(nl, tap, t, err);

	if (rc == -ENODEV) {
		rc = tap_create_persistent(tap, queues, err);
		if (rc)
			return rc;
		*created = true;
		rc = tap_lookup(nl, tap, t, err);
		if (rc == -ENODEV)
			rc = tcw_err_set(err, ENODEV,
					 "%s: disappeared while tcwire was wiring it",
					 tap);
	}
	if (rc == 0)
		rc = tap_queues_match(tap, t, queues, err);
	return rc;
}

/*
 * See persistent_wire.h
 * #syscalls close
 */
int persistent_wire(struct tcw_nl *nl, const char *tap, const char *partner,
		    unsigned int queues, enum persistent_result *result,
		    struct tcw_err *err)
{
	bool partner_up = false, created = false, changed = false;
	unsigned int mtu = 0;
	struct pw_tap t = { .ifindex = 0 };
	struct wiring w;
	int tap_lock = -1, rc;

	wiring_init(&w, partner);
	rc = wiring_partner_inspect(nl, &w, &mtu, &partner_up, err);
	if (rc == 0 && w.bridge_mode)
		rc = tcw_err_set(err, EINVAL,
				 "%s: is a bridge; use libvirt's <interface type='bridge'> for it (tcwire wire makes tc wires)",
				 partner);
	if (rc == 0)
		rc = tap_obtain(nl, tap, queues, &t, &created, err);
	if (rc == 0)
		rc = lock_both(nl, &w, tap, &t, &tap_lock, err);
	if (rc == 0) {
		w.wire.tap.ifindex = t.ifindex;
		w.wire.tap.name = tap;
		w.wire.partner.ifindex = w.partner_ifindex;
		w.wire.partner.name = partner;
		rc = wire_locked(nl, &w, &t, mtu, partner_up, &changed, err);
	}
	if (rc) {
		wiring_undo(nl, &w);
		if (created)
			tcw_link_delete(nl, t.ifindex);
	}
	wiring_release(&w);
	if (tap_lock >= 0)
		close(tap_lock);
	*result = created ? PERSISTENT_CREATED :
		  changed ? PERSISTENT_WIRED : PERSISTENT_UNCHANGED;
	return rc;
}

/*
 * Remove the redirects towards @tap_ifindex from the device @ifindex,
 * under its wire lock; a device that is gone has none
 * #syscalls close
 */
static int partner_unhook(struct tcw_nl *nl, int ifindex, int tap_ifindex,
			  struct tcw_err *err)
{
	struct rtnl_link *link = NULL;
	char name[IFNAMSIZ];
	int lock, rc;

	rc = tcw_link_get_by_index(nl, ifindex, &link);
	if (rc == -ENODEV)
		return 0;
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "ifindex %d: cannot query it",
				   ifindex);
	snprintf(name, sizeof(name), "%s", rtnl_link_get_name(link));
	rtnl_link_put(link);
	lock = wire_lock(ifindex, name, err);
	if (lock < 0)
		return lock;
	rc = tc_wire_remove_towards(nl, ifindex, name, tap_ifindex, err);
	close(lock);
	return rc < 0 ? rc : 0;
}

/* The partners a tap may be wired to: where its redirects lead, and the
 * device its mark names; 0 where none */
static int unwire_partners(struct tcw_nl *nl, const char *tap,
			   const struct pw_tap *t, int partners[2],
			   struct tcw_err *err)
{
	struct tcw_ingress_scan scan;
	struct rtnl_link *link = NULL;
	int rc;

	partners[0] = partners[1] = 0;
	rc = tcw_ingress_scan(nl, t->ifindex, &scan);
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "%s: cannot list tc filters",
				   tap);
	if (scan.n == 1)
		partners[0] = scan.r[0].target_ifindex;
	else if (scan.n > 1)
		return tcw_err_set(err, EADDRINUSE,
				   "%s: has %u tcwire redirects; remove them by hand (tcwire doctor)",
				   tap, scan.n);
	if (tcw_link_get_by_name(nl, t->marked_for, &link) == 0) {
		if (rtnl_link_get_ifindex(link) != partners[0])
			partners[1] = rtnl_link_get_ifindex(link);
		rtnl_link_put(link);
	}
	return 0;
}

/*
 * See persistent_wire.h
 * #syscalls close
 */
int persistent_unwire(struct tcw_nl *nl, const char *tap, struct tcw_err *err)
{
	struct pw_tap t;
	int partners[2], tap_lock, i, rc;

	rc = tap_lookup(nl, tap, &t, err);
	if (rc == -ENODEV)
		return tcw_err_set(err, ENODEV,
				   "%s: no such interface in this network namespace",
				   tap);
	if (rc)
		return rc;
	if (!t.marked)
		return tcw_err_set(err, EPERM,
				   "%s: was not made by tcwire wire (no " TCW_PERSISTENT_ALIAS_PREFIX " alias); left alone",
				   tap);
	if (tap_held(&t))
		return tcw_err_set(err, EBUSY,
				   "%s: a VM holds it; stop the domain or detach its interface first",
				   tap);
	tap_lock = wire_lock(t.ifindex, tap, err);
	if (tap_lock < 0)
		return tap_lock;
	rc = unwire_partners(nl, tap, &t, partners, err);
	for (i = 0; rc == 0 && i < 2; i++)
		if (partners[i] > 0)
			rc = partner_unhook(nl, partners[i], t.ifindex, err);
	if (rc == 0) {
		rc = tcw_link_delete(nl, t.ifindex);
		if (rc < 0 && rc != -ENODEV)
			rc = tcw_nl_fail(nl, err, rc, "%s: cannot delete it", tap);
		else
			rc = 0;
	}
	close(tap_lock);
	return rc;
}
