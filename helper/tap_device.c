/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - the tap device handed to qemu
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <netlink/route/link.h>

#include "client/ifname.h"
#include "tap_device.h"
#include "wire/wire_model.h"

#define TUN_DEVICE "/dev/net/tun"

/*
 * What to do when /dev/net/tun cannot be opened (errno @e): containers get
 * this wrong in three ways, each with its own errno. A root-owned node
 * that root may read and write is refused only to a helper that is not
 * setuid root (file capabilities, or a container's root in a user
 * namespace, where the node's owner shows as the overflow uid)
 */
static const char *tun_open_hint(int e, char *buf, size_t len)
{
	struct stat st;

	switch (e) {
	case ENOENT:
		return " (the container has no such device: pass it with --device /dev/net/tun; Kubernetes: a hostPath CharDevice or a device plugin)";
	case EPERM:
		return " (the container's device cgroup refuses it: pass it with --device /dev/net/tun, not as a plain bind mount)";
	case EACCES:
		if (stat(TUN_DEVICE, &st))
			return "";
		if (st.st_uid == 0 && (st.st_mode & 0600) == 0600)
			snprintf(buf, len, " (mode %04o: make it 0666, or install the helper setuid root, which opens it as its owner)",
				 (unsigned int)(st.st_mode & 07777));
		else
			snprintf(buf, len, " (mode %04o, owner uid %u: make it 0666)",
				 (unsigned int)(st.st_mode & 07777),
				 (unsigned int)st.st_uid);
		return buf;
	}
	return "";
}

/* See tap_device.h */
void tap_device_init(struct tap_device *tap)
{
	unsigned int i;

	memset(tap, 0, sizeof(*tap));
	for (i = 0; i < TCW_MAX_FDS; i++)
		tap->fds[i] = -1;
	tap->owner = (uid_t)-1;
	tap->group = (gid_t)-1;
}

/* See tap_device.h */
int tap_open_queues(struct tap_device *tap, unsigned int queues,
		    uid_t owner, gid_t group, struct tcw_err *err)
{
	tap->owner = owner;
	tap->group = group;
	if (queues < 1 || queues > TCW_MAX_FDS)
		return tcw_err_set(err, EINVAL, "%u queues: out of range",
				   queues);
	for (; tap->n_fds < queues; tap->n_fds++) {
		int fd = open(TUN_DEVICE, O_RDWR | O_CLOEXEC);

		if (fd < 0) {
			int e = errno;
			char hint[160];

			tap_close(tap);
			return tcw_err_set(err, e, TUN_DEVICE ": cannot open: %s%s",
					   strerror(e),
					   tun_open_hint(e, hint, sizeof(hint)));
		}
		tap->fds[tap->n_fds] = fd;
	}
	return 0;
}

/*
 * Give the new tap on fds[0] to its caller, before anything can attach
 * #syscalls ioctl
 */
static int tap_set_owner(struct tap_device *tap, const char *name,
			 struct tcw_err *err)
{
	if (ioctl(tap->fds[0], TUNSETOWNER, (unsigned long)tap->owner) < 0 ||
	    ioctl(tap->fds[0], TUNSETGROUP, (unsigned long)tap->group) < 0)
		return tcw_err_set(err, errno, "%s: cannot give the tap to uid %u: %s",
				   name, (unsigned int)tap->owner,
				   strerror(errno));
	return 0;
}

/*
 * See tap_device.h
 * #syscalls ioctl
 */
int tap_create(struct tap_device *tap, bool want_vnet, struct tcw_err *err)
{
	unsigned int features = 0;
	struct ifreq ifr;
	unsigned int i;

	if (ioctl(tap->fds[0], TUNGETFEATURES, &features) < 0)
		features = IFF_TAP | IFF_NO_PI;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (want_vnet && (features & IFF_VNET_HDR))
		ifr.ifr_flags |= IFF_VNET_HDR;
	/* Multiqueue even for one queue: only a multiqueue tap tells whether
	 * an fd still holds it (tcw_tap_orphaned()) */
	if (features & IFF_MULTI_QUEUE)
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	else if (tap->n_fds > 1)
		return tcw_err_set(err, EOPNOTSUPP,
				   "this kernel has no multiqueue taps");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", TCW_TAP_TEMPLATE);

	for (i = 0; i < tap->n_fds; i++) {
		if (ioctl(tap->fds[i], TUNSETIFF, &ifr) < 0) {
			int e = errno;

			return tcw_err_set(err, e, "cannot create tap: %s%s",
					   strerror(e), e == EPERM ?
					   " (the helper needs CAP_NET_ADMIN)" : "");
		}
		/* The first call filled in the name: later queues attach */
		if (i == 0) {
			int rc = tap_set_owner(tap, ifr.ifr_name, err);

			if (rc)
				return rc;
		}
	}
	memcpy(tap->name, ifr.ifr_name, IFNAMSIZ);
	tap->name[IFNAMSIZ - 1] = '\0';
	return 0;
}

/* See tap_device.h */
int tap_configure_link(struct tcw_nl *nl, struct tap_device *tap,
		       unsigned int mtu, int master, const char *partner,
		       struct tcw_err *err)
{
	char alias[TCW_TAP_ALIAS_MAX];
	struct tcw_link_change c = {
		.mtu = mtu, .master = master, .up = true,
		.alias = tcw_tap_alias(alias, sizeof(alias), partner),
	};
	struct rtnl_link *link = NULL;
	struct nl_addr *addr;
	unsigned char mac[6];
	int rc;

	rc = tcw_link_get_by_name(nl, tap->name, &link);
	if (rc < 0)
		return tcw_nl_fail(nl, err, rc, "%s: cannot query new tap",
				   tap->name);
	tap->ifindex = rtnl_link_get_ifindex(link);
	addr = rtnl_link_get_addr(link);
	if (addr && nl_addr_get_len(addr) == sizeof(mac)) {
		memcpy(mac, nl_addr_get_binary_addr(addr), sizeof(mac));
		mac[0] = 0xfe;
		c.mac = mac;
	}
	rtnl_link_put(link);
	rc = tcw_link_set(nl, tap->ifindex, &c);
	if (rc < 0)
		rc = tcw_nl_fail(nl, err, rc, "%s: cannot set MTU %u%s and bring it up",
				 tap->name, mtu, master ? ", bridge" : "");
	return rc;
}

/*
 * See tap_device.h
 * #syscalls close
 */
void tap_close(struct tap_device *tap)
{
	unsigned int i;

	for (i = 0; i < tap->n_fds; i++) {
		close(tap->fds[i]);
		tap->fds[i] = -1;
	}
	tap->n_fds = 0;
}
