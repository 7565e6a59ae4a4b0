/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - command line options
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "config.h"
#include "fd_passing.h"
#include "ifname.h"
#include "mac.h"
#include "options.h"

/* Parse a decimal in [min, max]: digits only, no sign, no blanks */
static bool parse_uint(const char *s, unsigned int min, unsigned int max,
		       unsigned int *out)
{
	guint64 v;

	if (!g_ascii_string_to_unsigned(s, 10, min, max, &v, NULL))
		return false;
	*out = (unsigned int)v;
	return true;
}

/*
 * The default MAC seed. containerlab puts every node label into the
 * environment as CLAB_LABEL_<NAME> (labels "containerlab" = lab name and
 * "clab-node-name"), the same on every start of the node. The lab name
 * makes the MACs of two labs with the same node names differ.
 */
static char *default_mac_seed(void)
{
	const char *lab = g_getenv("CLAB_LABEL_CONTAINERLAB");
	const char *node = g_getenv("CLAB_LABEL_CLAB_NODE_NAME");

	if (!node || !*node)
		node = g_get_host_name();
	if (lab && *lab)
		return g_strdup_printf("%s/%s", lab, node);
	return g_strdup(node);
}

/* Check the interface names of --interfaces */
static int check_interfaces(char **names, const char *prefix,
			    struct tcw_err *err)
{
	g_autofree char *mgmt = g_strdup_printf("%s0", prefix);
	size_t i, j;

	if (!names[0])
		return tcw_err_set(err, EINVAL, "--interfaces: empty list");
	for (i = 0; names[i]; i++) {
		if (tcw_ifname_check(names[i], err))
			return -EINVAL;
		if (!strcmp(names[i], mgmt))
			return tcw_err_set(err, EINVAL,
					   "--interfaces: %s is the management interface and is never wired",
					   mgmt);
		for (j = 0; j < i; j++)
			if (!strcmp(names[i], names[j]))
				return tcw_err_set(err, EINVAL,
						   "--interfaces: %s listed twice",
						   names[i]);
	}
	if (i > TCWQ_MAX_POSITION)
		return tcw_err_set(err, EINVAL, "--interfaces: more than %d",
				   TCWQ_MAX_POSITION);
	return 0;
}

/* See options.h */
int wrapper_options_parse(int argc, char **argv, struct wrapper_options *o,
			  struct tcw_err *err)
{
	g_autofree char *interfaces = NULL, *count = NULL, *slots = NULL,
			*wait = NULL, *queues = NULL;
	char *prefix = NULL, *helper = NULL, *seed = NULL, *model = NULL;
	gboolean print = FALSE, vhost = FALSE, no_supervise = FALSE;
	char **rest = NULL;
	const GOptionEntry entries[] = {
		{ "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix,
		  "Data interfaces are PREFIX1, PREFIX2, ... (default eth)", "PREFIX" },
		{ "interfaces", 0, 0, G_OPTION_ARG_STRING, &interfaces,
		  "Exactly these interfaces, in NIC order", "eth1,eth3" },
		{ "count", 0, 0, G_OPTION_ARG_STRING, &count,
		  "Wait for N data interfaces (default $CLAB_INTFS)", "N" },
		{ "slots", 0, 0, G_OPTION_ARG_STRING, &slots,
		  "Keep at least N NIC positions; gaps get placeholder NICs", "N" },
		{ "wait-timeout", 0, 0, G_OPTION_ARG_STRING, &wait,
		  "Give up waiting after SECONDS (default 300)", "SECONDS" },
		{ "helper", 0, 0, G_OPTION_ARG_FILENAME, &helper,
		  "tcwire-helper to run (default " TCWIRE_HELPER_PATH ")", "PATH" },
		{ "nic-model", 0, 0, G_OPTION_ARG_STRING, &model,
		  "qemu NIC model (default virtio-net-pci)", "MODEL" },
		{ "mac-seed", 0, 0, G_OPTION_ARG_STRING, &seed,
		  "Derive MACs from SEED (default: containerlab's lab and node name, else the hostname)",
		  "SEED" },
		{ "queues", 0, 0, G_OPTION_ARG_STRING, &queues,
		  "Multiqueue taps with N queues (virtio only)", "N" },
		{ "vhost", 0, 0, G_OPTION_ARG_NONE, &vhost,
		  "Use vhost-net (vhost=on)", NULL },
		{ "print", 0, 0, G_OPTION_ARG_NONE, &print,
		  "Print the qemu command line and exit; runs no helper", NULL },
		{ "no-supervise", 0, 0, G_OPTION_ARG_NONE, &no_supervise,
		  "Exec qemu instead of staying its parent: links are not followed", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest,
		  NULL, "-- QEMU [ARGS...]" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("-- qemu-system-x86_64 [ARGS...]");
	g_autoptr(GError) gerr = NULL;
	const char *clab = g_getenv("CLAB_INTFS");

	g_option_context_set_summary(ctx,
		"Start a VM router with one NIC per container data interface, each\n"
		"wired to it by tcwire-helper with tc mirred redirects.");
	g_option_context_add_main_entries(ctx, entries, NULL);
	memset(o, 0, sizeof(*o));
	if (!g_option_context_parse(ctx, &argc, &argv, &gerr)) {
		g_free(prefix);
		g_free(helper);
		g_free(seed);
		g_free(model);
		g_strfreev(rest);
		return tcw_err_set(err, EINVAL, "%s", gerr->message);
	}

	memset(o, 0, sizeof(*o));
	o->prefix = prefix ? prefix : g_strdup("eth");
	o->helper = helper ? helper : g_strdup(TCWIRE_HELPER_PATH);
	o->mac_seed = seed ? seed : default_mac_seed();
	o->nic.model = model ? model : g_strdup("virtio-net-pci");
	o->nic.queues = 1;
	o->nic.vhost = vhost;
	o->print_only = print;
	o->no_supervise = no_supervise;
	o->wait_timeout_s = TCWQ_DEFAULT_WAIT_S;
	o->qemu_argv = rest;

	if (!rest || !rest[0])
		return tcw_err_set(err, EINVAL,
				   "missing the qemu command after \"--\" (see --help)");
	if (prefix) {
		g_autofree char *first = g_strdup_printf("%s1", prefix);

		if (tcw_ifname_check(first, err))
			return tcw_err_set(err, EINVAL, "--prefix=%s: not a usable interface name prefix",
					   prefix);
	}
	if (interfaces) {
		o->interfaces = g_strsplit(interfaces, ",", -1);
		if (check_interfaces(o->interfaces, o->prefix, err))
			return -EINVAL;
	}
	if (count && !parse_uint(count, 0, TCWQ_MAX_POSITION, &o->count))
		return tcw_err_set(err, EINVAL, "--count=%s: expected 0 to %d",
				   count, TCWQ_MAX_POSITION);
	if (count && interfaces)
		return tcw_err_set(err, EINVAL,
				   "--count and --interfaces exclude each other");
	if (!count && !interfaces && clab &&
	    !parse_uint(clab, 0, TCWQ_MAX_POSITION, &o->count))
		return tcw_err_set(err, EINVAL, "CLAB_INTFS=%s: expected 0 to %d",
				   clab, TCWQ_MAX_POSITION);
	if (slots && !parse_uint(slots, 0, TCWQ_MAX_POSITION, &o->slots))
		return tcw_err_set(err, EINVAL, "--slots=%s: expected 0 to %d",
				   slots, TCWQ_MAX_POSITION);
	if (wait && !parse_uint(wait, 0, 86400, &o->wait_timeout_s))
		return tcw_err_set(err, EINVAL,
				   "--wait-timeout=%s: expected seconds, 0 to 86400",
				   wait);
	if (queues && !parse_uint(queues, 1, TCW_MAX_FDS, &o->nic.queues))
		return tcw_err_set(err, EINVAL, "--queues=%s: expected 1 to %d",
				   queues, TCW_MAX_FDS);
	if (o->nic.queues > 1 && !qemu_nic_model_is_virtio(o->nic.model))
		return tcw_err_set(err, EINVAL,
				   "--queues needs a virtio-net NIC model, not %s",
				   o->nic.model);
	return 0;
}

/* See options.h */
void wrapper_options_free(struct wrapper_options *o)
{
	g_strfreev(o->interfaces);
	g_free(o->prefix);
	g_free(o->helper);
	g_free(o->mac_seed);
	g_free(o->nic.model);
	g_strfreev(o->qemu_argv);
	memset(o, 0, sizeof(*o));
}
