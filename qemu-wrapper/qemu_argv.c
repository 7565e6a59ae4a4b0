/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - the qemu command line for the planned NICs
 */
#include <string.h>

#include "mac.h"
#include "qemu_argv.h"

/* Chassis numbers of tcwire's pci-bridges start above this */
#define TCWQ_CHASSIS_BASE	200
/* Hub ids of placeholder hubports start above this */
#define TCWQ_HUB_BASE		4000

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

/* Append "-netdev ..." and "-device ..." for NIC @s */
static void add_nic(GPtrArray *a, const struct nic_slot *s,
		    const struct qemu_nic_options *opts, bool symbolic)
{
	bool wired = s->partner[0] != '\0';
	bool virtio = qemu_nic_model_is_virtio(opts->model);
	GString *dev = g_string_new(opts->model);
	char mac[18];

	g_ptr_array_add(a, g_strdup("-netdev"));
	if (wired) {
		g_autofree char *fds = tap_fd_option(s, opts->queues, symbolic);

		g_ptr_array_add(a, g_strdup_printf("tap,id=tcwnet%u,%s%s",
						   s->position, fds,
						   opts->vhost ? ",vhost=on" : ""));
	} else {
		g_ptr_array_add(a, g_strdup_printf("hubport,id=tcwnet%u,hubid=%u",
						   s->position,
						   TCWQ_HUB_BASE + s->position));
	}

	g_string_append_printf(dev, ",netdev=tcwnet%u,id=tcwnic%u,mac=%s,bus=tcwbr%u,addr=0x%x",
			       s->position, s->position,
			       tcwq_mac_format(s->mac, mac), s->bridge,
			       s->pci_slot);
	if (virtio)
		g_string_append(dev, ",speed=10000,duplex=full");
	if (virtio && wired && opts->queues > 1)
		g_string_append_printf(dev, ",mq=on,vectors=%u",
				       2 * opts->queues + 2);
	g_ptr_array_add(a, g_strdup("-device"));
	g_ptr_array_add(a, g_string_free(dev, FALSE));
}

/* Whether @plan has a NIC without partner */
static bool qemu_plan_has_placeholder(const struct nic_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (!plan->nics[i].partner[0])
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
	for (b = 1; b <= plan->n_bridges; b++) {
		g_ptr_array_add(a, g_strdup("-device"));
		g_ptr_array_add(a, g_strdup_printf("pci-bridge,id=tcwbr%u,chassis_nr=%u,shpc=off",
						   b, TCWQ_CHASSIS_BASE + b));
	}
	for (i = 0; i < plan->n; i++)
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
		if (!plan->nics[i].partner[0])
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
