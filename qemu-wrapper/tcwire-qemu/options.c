/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - command line options
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "config.h"
#include "client/fd_passing.h"
#include "client/ifname.h"
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
	if (i > MAC_MAX_POSITION)
		return tcw_err_set(err, EINVAL, "--interfaces: more than %d",
				   MAC_MAX_POSITION);
	return 0;
}

/* The command line as GOption leaves it: strings, before any checking */
struct raw_options {
	char *interfaces, *count, *slots, *wait, *queues;
	char *prefix, *helper, *seed, *model;
	gboolean print, vhost, no_supervise, version, partner_mac;
	char **rest;
};

/* Free what is left in @r (what was moved into the options is NULL) */
static void raw_options_free(struct raw_options *r)
{
	g_free(r->interfaces);
	g_free(r->count);
	g_free(r->slots);
	g_free(r->wait);
	g_free(r->queues);
	g_free(r->prefix);
	g_free(r->helper);
	g_free(r->seed);
	g_free(r->model);
	g_strfreev(r->rest);
}

/* GOption over argv into @r */
static int raw_options_parse(int argc, char **argv, struct raw_options *r,
			     struct tcw_err *err)
{
	const GOptionEntry entries[] = {
		{ "prefix", 0, 0, G_OPTION_ARG_STRING, &r->prefix,
		  "Data interfaces are PREFIX1, PREFIX2, ... (default eth)", "PREFIX" },
		{ "interfaces", 0, 0, G_OPTION_ARG_STRING, &r->interfaces,
		  "Exactly these interfaces, in NIC order", "eth1,eth3" },
		{ "count", 0, 0, G_OPTION_ARG_STRING, &r->count,
		  "Wait for N data interfaces (default $CLAB_INTFS)", "N" },
		{ "slots", 0, 0, G_OPTION_ARG_STRING, &r->slots,
		  "NIC positions the VM boots with (default: CLAB_INTFS or --count, else the interfaces present); missing ones get a tap wired when they appear", "N" },
		{ "wait-timeout", 0, 0, G_OPTION_ARG_STRING, &r->wait,
		  "Give up waiting after SECONDS (default 300)", "SECONDS" },
		{ "helper", 0, 0, G_OPTION_ARG_FILENAME, &r->helper,
		  "tcwire-helper to run (default " TCWIRE_HELPER_PATH ")", "PATH" },
		{ "nic-model", 0, 0, G_OPTION_ARG_STRING, &r->model,
		  "qemu NIC model (default virtio-net-pci)", "MODEL" },
		{ "mac-seed", 0, 0, G_OPTION_ARG_STRING, &r->seed,
		  "Derive MACs from SEED (default: containerlab's lab and node name, else the hostname)",
		  "SEED" },
		{ "partner-mac", 0, 0, G_OPTION_ARG_NONE, &r->partner_mac,
		  "Give each NIC its container interface's MAC (for links that filter by MAC, e.g. macvlan)",
		  NULL },
		{ "queues", 0, 0, G_OPTION_ARG_STRING, &r->queues,
		  "Multiqueue taps with N queues (virtio only)", "N" },
		{ "vhost", 0, 0, G_OPTION_ARG_NONE, &r->vhost,
		  "Use vhost-net (vhost=on)", NULL },
		{ "print", 0, 0, G_OPTION_ARG_NONE, &r->print,
		  "Print the qemu command line and exit; runs no helper", NULL },
		{ "no-supervise", 0, 0, G_OPTION_ARG_NONE, &r->no_supervise,
		  "Exec qemu instead of staying its parent: links are not followed", NULL },
		{ "version", 0, 0, G_OPTION_ARG_NONE, &r->version,
		  "Print the version and exit", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &r->rest,
		  NULL, "-- QEMU [ARGS...]" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	/* The usage line's parameters are the G_OPTION_REMAINING entry's */
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	g_autoptr(GError) gerr = NULL;

	g_option_context_set_summary(ctx,
		"Start a VM router with one NIC per container data interface, each\n"
		"wired to it by tcwire-helper with tc mirred redirects.");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (g_option_context_parse(ctx, &argc, &argv, &gerr))
		return 0;
	if (g_error_matches(gerr, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION))
		return tcw_err_set(err, EINVAL,
				   "%s (qemu's own options go after \"--\": tcwire-qemu [OPTION...] -- QEMU [ARGS...])",
				   gerr->message);
	return tcw_err_set(err, EINVAL, "%s", gerr->message);
}

/* The numeric options (and CLAB_INTFS, unless --count or --interfaces) */
static int parse_numbers(const struct raw_options *r, const char *clab,
			 struct wrapper_options *o, struct tcw_err *err)
{
	if (r->count && !parse_uint(r->count, 0, MAC_MAX_POSITION, &o->count))
		return tcw_err_set(err, EINVAL, "--count=%s: expected 0 to %d",
				   r->count, MAC_MAX_POSITION);
	if (r->count && r->interfaces)
		return tcw_err_set(err, EINVAL,
				   "--count and --interfaces exclude each other");
	if (!r->count && !r->interfaces && clab &&
	    !parse_uint(clab, 0, MAC_MAX_POSITION, &o->count))
		return tcw_err_set(err, EINVAL, "CLAB_INTFS=%s: expected 0 to %d",
				   clab, MAC_MAX_POSITION);
	if (r->slots && !parse_uint(r->slots, 0, MAC_MAX_POSITION, &o->slots))
		return tcw_err_set(err, EINVAL, "--slots=%s: expected 0 to %d",
				   r->slots, MAC_MAX_POSITION);
	if (!r->slots)	/* what a containerlab user expects */
		o->slots = o->count;
	if (r->wait && !parse_uint(r->wait, 0, 86400, &o->wait_timeout_s))
		return tcw_err_set(err, EINVAL,
				   "--wait-timeout=%s: expected seconds, 0 to 86400",
				   r->wait);
	if (r->queues && !parse_uint(r->queues, 1, TCW_MAX_FDS, &o->nic.queues))
		return tcw_err_set(err, EINVAL, "--queues=%s: expected 1 to %d",
				   r->queues, TCW_MAX_FDS);
	return 0;
}

/* Move the strings of @r into @o, with their defaults */
static void take_strings(struct raw_options *r, struct wrapper_options *o)
{
	o->prefix = r->prefix ? g_steal_pointer(&r->prefix) : g_strdup("eth");
	o->helper = r->helper ? g_steal_pointer(&r->helper) :
		    g_strdup(TCWIRE_HELPER_PATH);
	o->mac_seed = r->seed ? g_steal_pointer(&r->seed) : default_mac_seed();
	o->nic.model = r->model ? g_steal_pointer(&r->model) :
		       g_strdup("virtio-net-pci");
	o->qemu_argv = g_steal_pointer(&r->rest);
}

/* Everything but the numbers, once the strings are in @o */
static int check_options(const struct raw_options *r,
			 struct wrapper_options *o, struct tcw_err *err)
{
	if (!o->qemu_argv || !o->qemu_argv[0])
		return tcw_err_set(err, EINVAL,
				   "missing the qemu command after \"--\" (see --help)");
	if (strcmp(o->prefix, "eth")) {
		g_autofree char *first = g_strdup_printf("%s1", o->prefix);

		if (tcw_ifname_check(first, err))
			return tcw_err_set(err, EINVAL, "--prefix=%s: not a usable interface name prefix",
					   o->prefix);
	}
	if (r->interfaces) {
		o->interfaces = g_strsplit(r->interfaces, ",", -1);
		if (check_interfaces(o->interfaces, o->prefix, err))
			return -EINVAL;
	}
	return 0;
}

/* See options.h */
int wrapper_options_parse(int argc, char **argv, struct wrapper_options *o,
			  struct tcw_err *err)
{
	struct raw_options r = { 0 };
	int rc;

	memset(o, 0, sizeof(*o));
	o->nic.queues = 1;
	o->wait_timeout_s = OPTIONS_DEFAULT_WAIT_S;
	rc = raw_options_parse(argc, argv, &r, err);
	if (rc == 0 && r.version) {	/* nothing else is looked at */
		o->show_version = true;
		raw_options_free(&r);
		return 0;
	}
	if (rc == 0) {
		take_strings(&r, o);
		o->nic.vhost = r.vhost;
		o->print_only = r.print;
		o->no_supervise = r.no_supervise;
		o->partner_mac = r.partner_mac;
		rc = check_options(&r, o, err);
	}
	if (rc == 0)
		rc = parse_numbers(&r, g_getenv("CLAB_INTFS"), o, err);
	if (rc == 0 && o->nic.queues > 1 && !qemu_nic_model_is_virtio(o->nic.model))
		rc = tcw_err_set(err, EINVAL,
				 "--queues needs a virtio-net NIC model, not %s",
				 o->nic.model);
	raw_options_free(&r);
	return rc;
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
