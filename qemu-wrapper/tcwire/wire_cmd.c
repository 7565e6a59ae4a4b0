/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire wire / tcwire unwire - persistent wires for libvirt's system mode
 *
 * Usage: tcwire wire --tap NAME --partner IF [--queues N]
 *	  tcwire wire --all [--config FILE]
 *	  tcwire unwire --tap NAME
 *	  tcwire unwire --all [--config FILE]
 *
 * The work is persistent_wire.c's (helper/, the helper's own wiring code);
 * here are the command line, wires.conf and the one line per wire. Root
 * only (CAP_NET_ADMIN): tcwire is never setuid, so this is no privilege
 * boundary and no ACL applies (docs/security.md).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "client/ifname.h"
#include "config.h"
#include "persistent_wire.h"
#include "wire/netlink.h"
#include "wire_cmd.h"
#include "wires_conf.h"

#define EXIT_FAILED	1
#define EXIT_USAGE	2

#define QUEUES_UNSET	(-1)

#define WIRES_CONF	TCWIRE_CONFIGDIR "/wires.conf"

/**
 * struct wire_options - The command line of wire and unwire
 * @unwire:	tcwire unwire
 * @tap:	--tap
 * @partner:	--partner
 * @queues:	--queues, QUEUES_UNSET when not given
 * @all:	--all: every wire of @config
 * @config:	--config, else WIRES_CONF
 */
struct wire_options {
	bool unwire;
	char *tap;
	char *partner;
	int queues;
	gboolean all;
	char *config;
};

/* Free what the option parser allocated */
static void options_clear(struct wire_options *o)
{
	g_clear_pointer(&o->tap, g_free);
	g_clear_pointer(&o->partner, g_free);
	g_clear_pointer(&o->config, g_free);
}

/* Which options go together */
static int options_check(const struct wire_options *o, struct tcw_err *err)
{
	struct tcw_err why;

	unsigned int queues = o->queues == QUEUES_UNSET ? 1 : (unsigned int)o->queues;

	if (o->all && (o->tap || o->partner || o->queues != QUEUES_UNSET))
		return tcw_err_set(err, EINVAL,
				   "--all takes its wires from the file: no --tap, --partner or --queues");
	if (!o->all && o->config)
		return tcw_err_set(err, EINVAL, "--config goes with --all");
	if (o->all)
		return 0;
	if (!o->tap)
		return tcw_err_set(err, EINVAL, "--tap NAME or --all is needed");
	if (o->unwire && (o->partner || o->queues != QUEUES_UNSET))
		return tcw_err_set(err, EINVAL,
				   "unwire takes --tap only (the tap knows its partner)");
	if (!o->unwire && !o->partner)
		return tcw_err_set(err, EINVAL, "--partner IF is needed");
	if (o->partner && tcw_ifname_check(o->partner, &why))
		return tcw_err_set(err, EINVAL, "--partner: %s", why.msg);
	if (o->unwire)
		return tcw_ifname_check(o->tap, err);
	return persistent_wire_check(o->tap, queues, err);
}

/* Parse the command line of wire or unwire into @o */
static int options_parse(int argc, char **argv, struct wire_options *o,
			 struct tcw_err *err)
{
	const GOptionEntry wire_entries[] = {
		{ "tap", 't', 0, G_OPTION_ARG_STRING, &o->tap,
		  "The tap libvirt uses (<target dev='NAME' managed='no'/>)", "NAME" },
		{ "partner", 'p', 0, G_OPTION_ARG_STRING, &o->partner,
		  "The device it is wired to, in this network namespace", "IF" },
		{ "queues", 'q', 0, G_OPTION_ARG_INT, &o->queues,
		  "The domain's <driver queues='N'> (default 1)", "N" },
		{ "all", 'a', 0, G_OPTION_ARG_NONE, &o->all,
		  "Every wire of the config file", NULL },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &o->config,
		  "--all: this file (default " WIRES_CONF ")", "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx = NULL;
	g_autoptr(GError) gerr = NULL;

	o->unwire = !strcmp(argv[0], "unwire");
	ctx = g_option_context_new(o->unwire ? "- remove a persistent wire and its tap" :
				   "- make or repair a persistent wire");
	g_option_context_set_summary(ctx, o->unwire ?
		"Remove the wire of a tap made by tcwire wire, and the tap, while no\n"
		"VM holds it. Needs CAP_NET_ADMIN." :
		"Make a persistent tap for a libvirt qemu:///system domain\n"
		"(<target dev='NAME' managed='no'/>) and wire it to its partner; run it\n"
		"again to repair the wire. Needs CAP_NET_ADMIN.");
	g_option_context_add_main_entries(ctx, wire_entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &gerr))
		return tcw_err_set(err, EINVAL, "%s", gerr->message);
	if (argc > 1)
		return tcw_err_set(err, EINVAL, "%s: unexpected argument", argv[1]);
	if (o->queues != QUEUES_UNSET &&
	    (o->queues < 1 || o->queues > PERSISTENT_MAX_QUEUES))
		return tcw_err_set(err, EINVAL, "--queues %d: 1 to %d", o->queues,
				   PERSISTENT_MAX_QUEUES);
	return options_check(o, err);
}

/* Make one wire; print what was done, or the one-line error */
static bool wire_one(struct tcw_nl *nl, const char *where, const char *tap,
		     const char *partner, unsigned int queues)
{
	static const char *const done[] = {
		[PERSISTENT_CREATED] = "created and wired to",
		[PERSISTENT_WIRED] = "wired to",
		[PERSISTENT_UNCHANGED] = "already wired to",
	};
	enum persistent_result result;
	struct tcw_err err = { "" };

	if (persistent_wire(nl, tap, partner, queues, &result, &err)) {
		fprintf(stderr, "tcwire: %s%s\n", where, err.msg);
		return false;
	}
	printf("%s: %s %s\n", tap, done[result], partner);
	return true;
}

/* Remove one wire; print what was done, or the one-line error */
static bool unwire_one(struct tcw_nl *nl, const char *where, const char *tap)
{
	struct tcw_err err = { "" };

	if (persistent_unwire(nl, tap, &err)) {
		fprintf(stderr, "tcwire: %s%s\n", where, err.msg);
		return false;
	}
	printf("%s: unwired and deleted\n", tap);
	return true;
}

/* Every wire of the config file; all are tried, failures are counted */
static int run_all(struct tcw_nl *nl, const struct wire_options *o)
{
	const char *file = o->config ? o->config : WIRES_CONF;
	struct tcw_err err = { "" };
	g_autoptr(GArray) wires = wires_conf_load(file, &err);
	unsigned int failed = 0;
	guint i;

	if (!wires) {
		fprintf(stderr, "tcwire: %s\n", err.msg);
		return EXIT_USAGE;
	}
	for (i = 0; i < wires->len; i++) {
		const struct wires_conf_line *w =
			&g_array_index(wires, struct wires_conf_line, i);
		g_autofree char *where = g_strdup_printf("%s:%u: ", file, w->lineno);

		if (!(o->unwire ? unwire_one(nl, where, w->tap) :
		      wire_one(nl, where, w->tap, w->partner, w->queues)))
			failed++;
	}
	return failed ? EXIT_FAILED : 0;
}

/* See wire_cmd.h */
int wire_cmd_main(int argc, char **argv, bool net_admin)
{
	struct wire_options o = { .queues = QUEUES_UNSET };
	struct tcw_err err = { "" };
	struct tcw_nl nl = { .sk = NULL };
	int status;

	if (options_parse(argc, argv, &o, &err)) {
		fprintf(stderr, "tcwire: %s\n", err.msg);
		options_clear(&o);
		return EXIT_USAGE;
	}
	if (!net_admin) {
		fprintf(stderr, "tcwire: %s needs CAP_NET_ADMIN: run it as root\n",
			o.unwire ? "unwire" : "wire");
		options_clear(&o);
		return EXIT_FAILED;
	}
	if (tcw_nl_open(&nl, &err)) {
		fprintf(stderr, "tcwire: %s\n", err.msg);
		options_clear(&o);
		return EXIT_FAILED;
	}
	if (o.all)
		status = run_all(&nl, &o);
	else if (o.unwire)
		status = unwire_one(&nl, "", o.tap) ? 0 : EXIT_FAILED;
	else
		status = wire_one(&nl, "", o.tap, o.partner,
				  o.queues == QUEUES_UNSET ? 1 :
				  (unsigned int)o.queues) ?
			 0 : EXIT_FAILED;
	tcw_nl_close(&nl);
	options_clear(&o);
	return status;
}
