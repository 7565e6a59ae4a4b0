/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - the qemu command line for the planned NICs
 */
#include <string.h>

#include "mac.h"
#include "mgmt.h"
#include "qemu_argv.h"

/* Chassis numbers of tcwire's pci-bridges start above this */
#define CHASSIS_BASE	200
/* Hub ids of placeholder hubports start above this */
#define HUB_BASE		4000

/* See qemu_argv.h */
bool qemu_nic_model_is_virtio(const char *model)
{
	return g_str_has_prefix(model, "virtio-net");
}

/* "fd=N", "fds=A:B" or their symbolic forms for one NIC's taps */
static char *tap_fd_option(const struct nic_slot *s, unsigned int queues,
			   bool symbolic)
{
	GString *o = g_string_new(queues > 1 ? "fds=" : "fd=");
	unsigned int q;

	for (q = 0; q < queues; q++) {
		if (q)
			g_string_append_c(o, ':');
		if (symbolic && queues > 1)
			g_string_append_printf(o, "{%s#%u}", s->partner, q);
		else if (symbolic)
			g_string_append_printf(o, "{%s}", s->partner);
		else
			g_string_append_printf(o, "%d", s->fds[q]);
	}
	return g_string_free(o, FALSE);
}

/* See qemu_argv.h */
JsonObject *qemu_nic_device(const struct nic_slot *s,
			    const struct qemu_nic_options *opts)
{
	bool wired = s->partner[0] != '\0';
	bool virtio = qemu_nic_model_is_virtio(opts->model);
	JsonObject *d = json_object_new();
	g_autofree char *netdev = g_strdup_printf("tcwnet%u", s->position);
	g_autofree char *id = g_strdup_printf("tcwnic%u", s->position);
	g_autofree char *bus = g_strdup_printf("tcwbr%u", s->bridge);
	g_autofree char *addr = g_strdup_printf("0x%x", s->pci_slot);
	char mac[18];

	json_object_set_string_member(d, "driver", opts->model);
	json_object_set_string_member(d, "netdev", netdev);
	json_object_set_string_member(d, "id", id);
	json_object_set_string_member(d, "mac", mac_format(s->mac, mac));
	json_object_set_string_member(d, "bus", bus);
	json_object_set_string_member(d, "addr", addr);
	if (!virtio)
		return d;
	/* guest 802.3ad only negotiates on a full-duplex NIC */
	json_object_set_int_member(d, "speed", 10000);
	json_object_set_string_member(d, "duplex", "full");
	if (wired && s->mtu)
		json_object_set_int_member(d, "host_mtu", s->mtu);
	if (wired && opts->queues > 1) {
		json_object_set_boolean_member(d, "mq", TRUE);
		json_object_set_int_member(d, "vectors", 2 * opts->queues + 2);
	}
	return d;
}

/* "DRIVER,key=value,..." of a qemu_nic_device() object, for -device */
static char *device_arg(JsonObject *d)
{
	GString *out = g_string_new(json_object_get_string_member(d, "driver"));
	g_autoptr(GList) names = json_object_get_members(d);
	GList *n;

	for (n = names; n; n = n->next) {
		JsonNode *v = json_object_get_member(d, n->data);

		if (!strcmp(n->data, "driver"))
			continue;
		g_string_append_printf(out, ",%s=", (const char *)n->data);
		if (json_node_get_value_type(v) == G_TYPE_INT64)
			g_string_append_printf(out, "%" G_GINT64_FORMAT,
					       json_node_get_int(v));
		else if (json_node_get_value_type(v) == G_TYPE_BOOLEAN)
			g_string_append(out, json_node_get_boolean(v) ? "on" : "off");
		else
			g_string_append(out, json_node_get_string(v));
	}
	return g_string_free(out, FALSE);
}

/* Append "-netdev ..." and "-device ..." for NIC @s */
static void add_nic(GPtrArray *a, const struct nic_slot *s,
		    const struct qemu_nic_options *opts, bool symbolic)
{
	JsonObject *dev = qemu_nic_device(s, opts);

	g_ptr_array_add(a, g_strdup("-netdev"));
	if (s->partner[0]) {
		g_autofree char *fds = tap_fd_option(s, opts->queues, symbolic);

		g_ptr_array_add(a, g_strdup_printf("tap,id=tcwnet%u,%s%s",
						   s->position, fds,
						   opts->vhost ? ",vhost=on" : ""));
	} else {
		g_ptr_array_add(a, g_strdup_printf("hubport,id=tcwnet%u,hubid=%u",
						   s->position,
						   HUB_BASE + s->position));
	}
	g_ptr_array_add(a, g_strdup("-device"));
	g_ptr_array_add(a, device_arg(dev));
	json_object_unref(dev);
}

/* Whether @plan has a NIC without partner */
static bool qemu_plan_has_placeholder(const struct nic_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (plan->nics[i].state == NIC_PLACEHOLDER)
			return true;
	return false;
}

/* See qemu_argv.h */
GPtrArray *qemu_argv_build(char *const *user_argv, const struct nic_plan *plan,
			   const struct qemu_nic_options *opts, int qmp_fd,
			   bool symbolic)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	unsigned int b;
	size_t i;

	for (i = 0; user_argv[i]; i++)
		g_ptr_array_add(a, g_strdup(user_argv[i]));
	if (plan->mgmt)		/* before the bridges: the guest's first NIC */
		mgmt_nic_argv(a, plan->mgmt, opts->model, symbolic);
	for (b = 1; b <= plan->n_bridges; b++) {
		g_ptr_array_add(a, g_strdup("-device"));
		g_ptr_array_add(a, g_strdup_printf("pci-bridge,id=tcwbr%u,chassis_nr=%u,shpc=off",
						   b, CHASSIS_BASE + b));
	}
	for (i = 0; i < plan->n; i++)
		if (nic_in_vm(&plan->nics[i]))
			add_nic(a, &plan->nics[i], opts, symbolic);
	if (qmp_fd >= 0 || (symbolic && qemu_plan_has_placeholder(plan))) {
		g_ptr_array_add(a, g_strdup("-chardev"));
		g_ptr_array_add(a, symbolic ?
				g_strdup("socket,id=tcwqmp,fd={qmp}") :
				g_strdup_printf("socket,id=tcwqmp,fd=%d", qmp_fd));
		g_ptr_array_add(a, g_strdup("-mon"));
		g_ptr_array_add(a, g_strdup("chardev=tcwqmp,mode=control"));
	}
	g_ptr_array_add(a, NULL);
	return a;
}

/* See qemu_argv.h */
char **qemu_placeholder_ids(const struct nic_plan *plan)
{
	GPtrArray *ids = g_ptr_array_new();
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (plan->nics[i].state == NIC_PLACEHOLDER)
			g_ptr_array_add(ids, g_strdup_printf("tcwnic%u",
							     plan->nics[i].position));
	g_ptr_array_add(ids, NULL);
	return (char **)g_ptr_array_free(ids, FALSE);
}

/* Whether @s can be printed to a shell without quotes */
static bool shell_safe(const char *s)
{
	return *s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			       "0123456789_@%+=:,./-") == strlen(s);
}

/* See qemu_argv.h */
char *qemu_argv_shell_quote(char *const *argv)
{
	GString *out = g_string_new(NULL);
	size_t i;

	for (i = 0; argv[i]; i++) {
		g_autofree char *quoted = NULL;

		if (i)
			g_string_append_c(out, ' ');
		if (shell_safe(argv[i]))	/* plain words stay readable */
			g_string_append(out, argv[i]);
		else
			g_string_append(out, quoted = g_shell_quote(argv[i]));
	}
	return g_string_free(out, FALSE);
}
