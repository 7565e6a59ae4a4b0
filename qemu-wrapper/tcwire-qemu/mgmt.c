/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - management passthrough: the VM owns eth0's address
 *
 * With --mgmt-passthrough (or containerlab's CLAB_MGMT_PASSTHROUGH=true)
 * the VM's first NIC is wired to the container's eth0 by
 * "tcwire-helper --mgmt" (helper/mgmt_wire.c: everything but TCP to the
 * container's console ports goes to the VM, ARP and ND to both), and the
 * VM's network operating system must take eth0's address as its own. This
 * file reads what it must be told, hands it over and adds the NIC:
 *
 *  - eth0's address, prefix length and MTU, the default gateways, IPv6 if
 *    any: what vrnetlab's get_mgmt_address()/get_mgmt_gw() read, put in a
 *    file (TCWIRE_MGMT_FILE, shell syntax) and in the environment that qemu
 *    inherits, so a bootstrap script started in qemu's place (it execs
 *    qemu in the end) can write the NOS's startup configuration;
 *  - the NIC takes eth0's MAC. Both the container and the VM answer ARP
 *    and ND for the address (both get those frames), and with one MAC
 *    their answers agree; eth0 itself is never changed (that would need
 *    a privilege, and containerlab keeps showing the MAC it knows).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "client/fd_passing.h"
#include "mac.h"
#include "mgmt.h"

/* @addr as text in @buf, "" if it is not one of @family */
static void addr_text(struct nl_addr *addr, int family, char *buf, size_t len)
{
	buf[0] = '\0';
	if (addr && nl_addr_get_family(addr) == family)
		inet_ntop(family, nl_addr_get_binary_addr(addr), buf,
			  (socklen_t)len);
}

/* MAC and MTU of @ifname; its ifindex into @ifindex */
static int link_read(struct nl_sock *sk, struct mgmt_nic *m, int *ifindex,
		     struct tcw_err *err)
{
	struct rtnl_link *link = NULL;
	struct nl_addr *mac;
	int rc;

	rc = rtnl_link_get_kernel(sk, 0, m->ifname, &link);
	if (rc < 0)
		return tcw_err_set(err, ENODEV,
				   "%s: no such interface: the management passthrough needs it",
				   m->ifname);
	mac = rtnl_link_get_addr(link);
	if (!mac || nl_addr_get_len(mac) != 6)
		rc = tcw_err_set(err, EINVAL, "%s: not an Ethernet interface",
				 m->ifname);
	else
		memcpy(m->mac, nl_addr_get_binary_addr(mac), 6);
	m->mtu = rtnl_link_get_mtu(link);
	*ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return rc;
}

/* The first global IPv4 and IPv6 address of @ifindex */
static int addrs_read(struct nl_sock *sk, struct mgmt_nic *m, int ifindex)
{
	struct nl_cache *cache = NULL;
	struct nl_object *o;
	int rc = rtnl_addr_alloc_cache(sk, &cache);

	if (rc < 0)
		return rc;
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		int family = rtnl_addr_get_family(a);
		bool v6 = family == AF_INET6;

		if (rtnl_addr_get_ifindex(a) != ifindex ||
		    rtnl_addr_get_scope(a) != RT_SCOPE_UNIVERSE ||
		    (v6 ? m->ipv6[0] : m->ipv4[0]))
			continue;
		if (v6) {
			addr_text(rtnl_addr_get_local(a), family, m->ipv6, sizeof(m->ipv6));
			m->ipv6_len = rtnl_addr_get_prefixlen(a);
		} else {
			addr_text(rtnl_addr_get_local(a), family, m->ipv4, sizeof(m->ipv4));
			m->ipv4_len = rtnl_addr_get_prefixlen(a);
		}
	}
	nl_cache_free(cache);
	return 0;
}

/* The gateway of the main table's default route of @family into @gw */
static void default_gw(struct nl_cache *routes, int family, char *gw,
		       size_t len)
{
	struct nl_object *o;

	gw[0] = '\0';
	for (o = nl_cache_get_first(routes); o && !gw[0]; o = nl_cache_get_next(o)) {
		struct rtnl_route *r = (struct rtnl_route *)o;
		struct nl_addr *dst = rtnl_route_get_dst(r);
		struct rtnl_nexthop *nh;

		if (rtnl_route_get_family(r) != family ||
		    rtnl_route_get_table(r) != RT_TABLE_MAIN ||
		    (dst && nl_addr_get_prefixlen(dst)) ||
		    rtnl_route_get_nnexthops(r) < 1)
			continue;
		nh = rtnl_route_nexthop_n(r, 0);
		addr_text(rtnl_route_nh_get_gateway(nh), family, gw, len);
	}
}

/* See mgmt.h */
int mgmt_nic_read(struct mgmt_nic *m, const char *ifname, struct tcw_err *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_cache *routes = NULL;
	int ifindex = 0, rc;
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < TCW_MAX_FDS; i++)
		m->fds[i] = -1;
	g_strlcpy(m->ifname, ifname, sizeof(m->ifname));
	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		return tcw_err_set(err, EIO, "cannot open an rtnetlink socket");
	}
	rc = link_read(sk, m, &ifindex, err);
	if (rc == 0 && (addrs_read(sk, m, ifindex) < 0 ||
			rtnl_route_alloc_cache(sk, AF_UNSPEC, 0, &routes) < 0))
		rc = tcw_err_set(err, EIO, "%s: cannot read its addresses and routes",
				 ifname);
	if (rc == 0) {
		default_gw(routes, AF_INET, m->ipv4_gw, sizeof(m->ipv4_gw));
		default_gw(routes, AF_INET6, m->ipv6_gw, sizeof(m->ipv6_gw));
	}
	if (routes)
		nl_cache_free(routes);
	nl_socket_free(sk);
	return rc;
}

/* Append "TCWIRE_MGMT_@name=@value" to @env unless @value is empty */
static void env_add(GPtrArray *env, const char *name, const char *value)
{
	if (value[0])
		g_ptr_array_add(env, g_strdup_printf("TCWIRE_MGMT_%s=%s", name,
						     value));
}

/* What the bootstrap is told, as "NAME=VALUE" lines (see mgmt_nic_publish()) */
static char **mgmt_nic_env(const struct mgmt_nic *m)
{
	GPtrArray *env = g_ptr_array_new();
	char mac[18], n[16];

	env_add(env, "INTERFACE", m->ifname);
	env_add(env, "MAC", mac_format(m->mac, mac));
	g_snprintf(n, sizeof(n), "%u", m->mtu);
	env_add(env, "MTU", n);
	env_add(env, "IPV4_ADDRESS", m->ipv4);
	g_snprintf(n, sizeof(n), "%u", m->ipv4_len);
	env_add(env, "IPV4_PREFIX_LENGTH", m->ipv4[0] ? n : "");
	env_add(env, "IPV4_GATEWAY", m->ipv4_gw);
	env_add(env, "IPV6_ADDRESS", m->ipv6);
	g_snprintf(n, sizeof(n), "%u", m->ipv6_len);
	env_add(env, "IPV6_PREFIX_LENGTH", m->ipv6[0] ? n : "");
	env_add(env, "IPV6_GATEWAY", m->ipv6_gw);
	g_ptr_array_add(env, NULL);
	return (char **)g_ptr_array_free(env, FALSE);
}

/*
 * Write @text to @path by way of a new file beside it and rename(2), which
 * replaces a symbolic link at @path instead of following it; with
 * @path NULL, to a new temporary file whose name goes to *@made
 */
static int file_write(const char *path, const char *text, char **made,
		      struct tcw_err *err)
{
	g_autofree char *tmpl = path ? g_strdup_printf("%s.XXXXXX", path) :
		g_build_filename(g_getenv("XDG_RUNTIME_DIR") ?
				 g_getenv("XDG_RUNTIME_DIR") : "/tmp",
				 "tcwire-mgmt.XXXXXX", NULL);
	int fd = g_mkstemp_full(tmpl, O_WRONLY | O_CLOEXEC, 0644);
	size_t len = strlen(text);
	bool ok;

	if (fd < 0)
		return tcw_err_set(err, errno, "%s: cannot create: %s", tmpl,
				   strerror(errno));
	ok = write(fd, text, len) == (ssize_t)len && fchmod(fd, 0644) == 0;
	ok = close(fd) == 0 && ok;
	if (ok && path)
		ok = rename(tmpl, path) == 0;
	if (!ok) {
		int e = errno;

		unlink(tmpl);
		return tcw_err_set(err, e, "%s: cannot write: %s",
				   path ? path : tmpl, strerror(e));
	}
	*made = path ? g_strdup(path) : g_steal_pointer(&tmpl);
	return 0;
}

/* See mgmt.h */
int mgmt_nic_publish(struct mgmt_nic *m, const char *path, struct tcw_err *err)
{
	g_auto(GStrv) env = mgmt_nic_env(m);
	g_autofree char *lines = g_strjoinv("\n", env);
	g_autofree char *text = g_strconcat(lines, "\n", NULL);
	size_t i;
	int rc;

	rc = file_write(path, text, &m->file, err);
	if (rc)
		return rc;
	m->file_ours = !path;
	for (i = 0; env[i]; i++) {
		char *eq = strchr(env[i], '=');

		*eq = '\0';
		g_setenv(env[i], eq + 1, TRUE);
	}
	g_setenv("TCWIRE_MGMT_FILE", m->file, TRUE);
	return 0;
}

/* See mgmt.h */
void mgmt_nic_argv(GPtrArray *a, const struct mgmt_nic *m, const char *model,
		   bool symbolic)
{
	GString *dev = g_string_new(model);
	char mac[18];

	g_string_append_printf(dev, ",netdev=tcwmgmt,id=tcwmgmtnic,mac=%s",
			       mac_format(m->mac, mac));
	if (g_str_has_prefix(model, "virtio-net") && m->mtu)
		g_string_append_printf(dev, ",host_mtu=%u", m->mtu);
	g_ptr_array_add(a, g_strdup("-netdev"));
	g_ptr_array_add(a, symbolic ?
			g_strdup_printf("tap,id=tcwmgmt,fd={%s}", m->ifname) :
			g_strdup_printf("tap,id=tcwmgmt,fd=%d", m->fds[0]));
	g_ptr_array_add(a, g_strdup("-device"));
	g_ptr_array_add(a, g_string_free(dev, FALSE));
}

/* See mgmt.h */
void mgmt_nic_cleanup(struct mgmt_nic *m)
{
	tcw_fds_close(m->fds, TCW_MAX_FDS);
	m->n_fds = 0;
	if (m->file && m->file_ours)
		unlink(m->file);
	g_clear_pointer(&m->file, g_free);
}
