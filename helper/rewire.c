/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - re-wire mode: an existing tap to a recreated partner
 *
 * Theory of operation. When a peer container is redeployed, the VM's
 * container gets a new ethK (a new ifindex): the old redirects point at a
 * device that is gone, and the VM's tap is idle but alive, held by qemu
 * and tcwire-qemu. "tcwire-helper --rewire --fd=N --br=ethK" wires that
 * tap to the new ethK without touching the VM.
 *
 * Who may re-wire which tap: whoever holds an fd of it. The caller sends
 * one over the --fd socket; the helper checks the fd itself (never a name
 * from the caller): TUNGETIFF says whether it is a tap and its name, which
 * must be tcwire's (tcw<N>: we never re-wire another program's tap), and
 * TUNGETDEVNETNS must give our own network namespace (an fd can travel:
 * a tap of another namespace must not be wired to a partner of this one,
 * where a tap of the same name may exist). The partner goes through the
 * same ACL and inspection as for a new wire.
 *
 * Then, holding the wire locks of the tap and of the partner (so that two
 * re-wires, or a re-wire and a new wiring, never interleave), stale
 * redirects are removed from both (tc_wire_clear_stale(), which refuses when
 * either is live-wired to some other device: a partner wired to another
 * VM stays that VM's) and the wire is made as for a new tap. A re-wire of
 * two devices already wired to each other changes nothing. Every refusal
 * comes before any change.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <netlink/route/link.h>

#include "client/fd_passing.h"
#include "client/ifname.h"
#include "rewire.h"
#include "wire/wire_model.h"
#include "wiring.h"

/* See rewire.h */
void rewire_tap_init(struct rewire_tap *t)
{
	t->fd = -1;
	t->name[0] = '\0';
}

/*
 * See rewire.h
 * #syscalls close
 */
void rewire_tap_close(struct rewire_tap *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

/* See rewire.h */
int rewire_receive_tap(int sock, struct rewire_tap *t, struct tcw_err *err)
{
	const struct timeval limit = { .tv_sec = REWIRE_RECV_TIMEOUT_S };
	size_t n = 0;
	int rc;

	if (setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit)))
		return tcw_err_set(err, errno, "--fd=%d: cannot set a receive timeout: %s",
				   sock, strerror(errno));
	rc = tcw_fds_recv(sock, &t->fd, 1, &n);
	if (rc == -EAGAIN || rc == -EWOULDBLOCK)
		return tcw_err_set(err, ETIMEDOUT,
				   "--rewire: the caller sent no tap fd within %d s",
				   REWIRE_RECV_TIMEOUT_S);
	if (rc)
		return tcw_err_set(err, -rc, "--rewire: expected one tap fd on --fd=%d: %s",
				   sock, rc == -EBADMSG ? "got none, or more than one" :
				   strerror(-rc));
	return 0;
}

/* The nsfs inode of the network namespace of an ns fd; false on error */
static bool netns_id(int nsfd, struct stat *st)
{
	bool ok = nsfd >= 0 && fstat(nsfd, st) == 0;

	if (nsfd >= 0)
		close(nsfd);
	return ok;
}

/* Whether the tap behind @fd lives in our network namespace */
static bool tap_in_our_netns(int fd)
{
	struct stat tap_ns, our_ns;
	int sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ours;

	if (sock < 0)
		return false;
	ours = netns_id(ioctl(sock, SIOCGSKNS), &our_ns);
	close(sock);
	/* EPERM here means a namespace we hold no capability over: not ours */
	return ours && netns_id(ioctl(fd, TUNGETDEVNETNS), &tap_ns) &&
	       tap_ns.st_dev == our_ns.st_dev && tap_ns.st_ino == our_ns.st_ino;
}

/* See rewire.h */
int rewire_check_tap(struct rewire_tap *t, const char *partner,
		     struct tcw_err *err)
{
	struct ifreq ifr;
	char q[64];

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(t->fd, TUNGETIFF, &ifr) < 0 ||
	    (ifr.ifr_flags & (IFF_TUN | IFF_TAP)) != IFF_TAP)
		return tcw_err_set(err, EINVAL,
				   "%s: --rewire: the fd sent is not a tap", partner);
	memcpy(t->name, ifr.ifr_name, IFNAMSIZ);
	t->name[IFNAMSIZ - 1] = '\0';
	if (!tcw_ifname_is_tcwire_tap(t->name))
		return tcw_err_set(err, EPERM,
				   "%s: --rewire: tap %s is not one of tcwire's (" TCW_TAP_PREFIX "<N>)",
				   partner, tcw_quote(t->name, q, sizeof(q)));
	if (!tap_in_our_netns(t->fd))
		return tcw_err_set(err, EPERM,
				   "%s: --rewire: tap %s is in another network namespace",
				   partner, t->name);
	return 0;
}

/* The ifindex of the tap in our namespace, checked to be a tun device */
static int tap_ifindex(struct tcw_nl *nl, const struct rewire_tap *t,
		       struct tcw_err *err)
{
	struct rtnl_link *link = NULL;
	const char *kind;
	int rc;

	rc = tcw_link_get_by_name(nl, t->name, &link);
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "%s: cannot query the tap",
				   t->name);
	kind = rtnl_link_get_type(link);
	rc = kind && !strcmp(kind, "tun") ? rtnl_link_get_ifindex(link) :
	     tcw_err_set(err, EINVAL, "%s: not a tun/tap device", t->name);
	rtnl_link_put(link);
	return rc;
}

/*
 * Under both locks: the fd still stands for the tap @ifindex that was
 * locked. rewire_check_tap() ran before the ACL and the locks, and the
 * caller can stop us in between (SIGSTOP) for as long as it likes: the
 * name it showed us must not now lead to another device (another user's
 * tap that got the name after the caller's went away). So the fd is asked
 * again: still a tcwire tap of our namespace, of the same name, and that
 * name is still @ifindex. From here on only @ifindex is used. A tap whose
 * device is gone has an fd that TUNGETIFF refuses.
 * #syscalls ioctl socket newfstatat fstat? close
 */
static int rewire_tap_recheck(struct tcw_nl *nl, const struct rewire_tap *t,
			      int ifindex, const char *partner,
			      struct tcw_err *err)
{
	struct rewire_tap now = { .fd = t->fd };
	int rc;

	rc = rewire_check_tap(&now, partner, err);
	if (rc)
		return rc;
	rc = tap_ifindex(nl, &now, err);
	if (rc < 0)
		return rc;
	if (strcmp(now.name, t->name) || rc != ifindex)
		return tcw_err_set(err, EAGAIN,
				   "%s: --rewire: tap %s changed while the helper was wiring it",
				   partner, t->name);
	return 0;
}

/* Give the tap the partner's MTU, and its name as the tap's alias */
static int tap_follow_partner(struct tcw_nl *nl, const struct tc_wire *w,
			      unsigned int mtu, struct tcw_err *err)
{
	char alias[TCW_TAP_ALIAS_MAX];
	const struct tcw_link_change c = {
		.mtu = mtu,
		.alias = tcw_tap_alias(alias, sizeof(alias), w->partner.name),
	};
	int rc = tcw_link_set(nl, w->tap.ifindex, &c);

	if (rc < 0)
		rc = tcw_nl_fail(nl, err, rc, "%s: cannot set MTU %u",
				 w->tap.name, mtu);
	return rc;
}

/* Under both locks: clear both ends, copy the MTU, wire, raise the partner */
static int rewire_locked(struct tcw_nl *nl, struct wiring *wiring,
			 unsigned int mtu, bool partner_up,
			 struct tcw_err *err)
{
	struct tc_wire *w = &wiring->wire;
	int rc;

	if (tc_wire_present(nl, w))
		return 0;	/* already done: nothing to change */
	rc = tc_wire_clear_ends(nl, w, false, err);
	if (rc == 0)
		rc = tap_follow_partner(nl, w, mtu, err);
	if (rc == 0)
		rc = tc_wire_add(nl, w, err);
	if (rc == 0 && !partner_up) {
		rc = wiring_partner_set_up(nl, wiring, true, err);
		wiring->partner_raised = rc == 0;
	}
	return rc;
}

/*
 * Find the partner and the tap, take both wire locks, and check under them
 * that both are still what was checked; the locks are left in @w and
 * @tap_lock for the caller to release
 */
static int rewire_prepare(struct tcw_nl *nl, const struct rewire_tap *t,
			  struct wiring *w, int *tap_lock, unsigned int *mtu,
			  bool *partner_up, struct tcw_err *err)
{
	int ifindex, rc;

	rc = wiring_partner_inspect(nl, w, mtu, partner_up, err);
	if (rc)
		return rc;
	if (w->bridge_mode)
		return tcw_err_set(err, EINVAL,
				   "%s: --rewire: is a bridge; only mirred wires are re-wired",
				   w->partner_name);
	ifindex = tap_ifindex(nl, t, err);
	if (ifindex < 0)
		return ifindex;
	w->wire.tap.ifindex = ifindex;
	rc = wiring_lock_with_tap(nl, w, ifindex, t->name, tap_lock, err);
	return rc ? rc : rewire_tap_recheck(nl, t, ifindex, w->partner_name,
					    err);
}

/*
 * See rewire.h
 * #syscalls close
 */
int rewire_tap_to_partner(struct tcw_nl *nl, const struct rewire_tap *t,
			  const char *partner, struct tcw_err *err)
{
	struct wiring w;
	unsigned int mtu = 0;
	bool partner_up = false;
	int tap_lock = -1, rc;

	wiring_init(&w, partner);
	rc = rewire_prepare(nl, t, &w, &tap_lock, &mtu, &partner_up, err);
	if (rc == 0) {
		w.wire.tap.name = t->name;
		w.wire.partner.ifindex = w.partner_ifindex;
		w.wire.partner.name = partner;
		rc = rewire_locked(nl, &w, mtu, partner_up, err);
		if (rc)
			wiring_undo(nl, &w);
	}
	wiring_release(&w);
	if (tap_lock >= 0)
		close(tap_lock);
	return rc;
}
