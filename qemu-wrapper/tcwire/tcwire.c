/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - see every wire, its counters and what is wrong with it
 *
 * Usage: tcwire [status] [--json [--pretty]] [--all] [--watch [--interval S]
 *		 [--count N]]
 *	  tcwire doctor [--all]
 *	  tcwire wire|unwire ...	(wire_cmd.c; root)
 *
 * Unprivileged: everything comes from rtnetlink dumps of the network
 * namespace it runs in (status_snapshot.c) and from /proc. --all reads
 * every namespace of the host and needs root. Exit status: 0 (doctor: all
 * is well), 1 (doctor: problems found), 2 (usage, or kernel state that
 * cannot be read).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cap-ng.h>
#include <glib.h>

#include "config.h"
#include "status_doctor.h"
#include "status_escape.h"
#include "status_json.h"
#include "status_netns.h"
#include "status_text.h"
#include "status_watch.h"
#include "wire_cmd.h"

#define PROG		"tcwire"
#define EXIT_PROBLEMS	1
#define EXIT_TROUBLE	2

/**
 * struct options - The command line
 * @doctor:	The doctor subcommand (else status)
 * @watch:	--watch, with its interval and count
 * @json:	--json
 * @pretty:	--pretty
 */
struct options {
	bool doctor;
	struct watch_options watch_opts;
	bool watch;
	bool json;
	bool pretty;
};

/**
 * struct tool_powers - What this process may do, decided once at start
 * @enter_namespaces:	CAP_SYS_ADMIN and CAP_SYS_PTRACE are effective: it
 *			may enter every network namespace and see every
 *			process (--all)
 * @net_admin:		CAP_NET_ADMIN is effective: it may make and remove
 *			persistent wires (tcwire wire, tcwire unwire)
 */
struct tool_powers {
	bool enter_namespaces;
	bool net_admin;
};

/* Print "tcwire: MESSAGE" and return @status */
static int fail(int status, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static int fail(int status, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

/* Read the capabilities we hold, once */
static void powers_detect(struct tool_powers *p)
{
	bool caps = capng_get_caps_process() == 0;

	p->enter_namespaces = caps &&
		capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN) &&
		capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_PTRACE);
	p->net_admin = caps &&
		capng_have_capability(CAPNG_EFFECTIVE, CAP_NET_ADMIN);
}

/* Check the values of --interval and --count and the combinations */
static int options_check(struct options *o, double interval, int count,
			 char **rest, struct tcw_err *err)
{
	if (rest && rest[0] && !strcmp(rest[0], "doctor"))
		o->doctor = true;
	else if (rest && rest[0] && strcmp(rest[0], "status"))
		return tcw_err_set(err, EINVAL,
				   "%s: unknown command (status, doctor, wire or unwire)", rest[0]);
	if (rest && rest[0] && rest[1])
		return tcw_err_set(err, EINVAL, "%s: unexpected argument", rest[1]);
	if (interval < 0.1 || interval > 3600)
		return tcw_err_set(err, EINVAL, "--interval: 0.1 to 3600 seconds");
	if (count < 0)
		return tcw_err_set(err, EINVAL, "--count: a number >= 0");
	if (o->doctor && (o->watch || o->json))
		return tcw_err_set(err, EINVAL,
				   "doctor takes no --watch or --json (tcwire status --json has the findings)");
	if (o->pretty && !o->json)
		return tcw_err_set(err, EINVAL, "--pretty goes with --json");
	if (count && !o->watch)
		return tcw_err_set(err, EINVAL, "--count goes with --watch");
	o->watch_opts.interval_ms = (unsigned int)(interval * 1000);
	o->watch_opts.count = (unsigned int)count;
	o->watch_opts.json = o->json;
	return 0;
}

/* Parse the command line into @o */
static int options_parse(int argc, char **argv, struct options *o,
			 struct tcw_err *err)
{
	gboolean all = FALSE, watch = FALSE, json = FALSE, pretty = FALSE,
		 version = FALSE;
	double interval = 1;
	int count = 0;
	g_auto(GStrv) rest = NULL;
	const GOptionEntry entries[] = {
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &json,
		  "JSON output (schema in tcwire(1))", NULL },
		{ "pretty", 'p', 0, G_OPTION_ARG_NONE, &pretty,
		  "Indent the JSON output", NULL },
		{ "all", 'a', 0, G_OPTION_ARG_NONE, &all,
		  "Every network namespace of the host (needs root)", NULL },
		{ "watch", 'w', 0, G_OPTION_ARG_NONE, &watch,
		  "Rates per second, refreshed in place", NULL },
		{ "interval", 0, 0, G_OPTION_ARG_DOUBLE, &interval,
		  "--watch: refresh every SECONDS (default 1)", "SECONDS" },
		{ "count", 0, 0, G_OPTION_ARG_INT, &count,
		  "--watch: stop after N refreshes (default: until Ctrl-C)", "N" },
		{ "version", 0, 0, G_OPTION_ARG_NONE, &version,
		  "Print the version and exit", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest,
		  NULL, "[status|doctor]" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	/* The usage line's parameters are the G_OPTION_REMAINING entry's */
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	g_autoptr(GError) gerr = NULL;

	g_option_context_set_summary(ctx,
		"Show tcwire's wires from kernel state: status lists every wire with\n"
		"its state and counters, doctor explains each problem and its fix.\n"
		"tcwire wire and tcwire unwire (root) make and remove persistent wires\n"
		"for libvirt's qemu:///system: tcwire wire --help.");
	g_option_context_add_main_entries(ctx, entries, NULL);
	memset(o, 0, sizeof(*o));
	if (!g_option_context_parse(ctx, &argc, &argv, &gerr))
		return tcw_err_set(err, EINVAL, "%s", gerr->message);
	if (version) {
		printf(PROG " " TCWIRE_VERSION "\n");
		exit(0);
	}
	o->watch = watch;
	o->json = json;
	o->pretty = pretty;
	o->watch_opts.all = all;
	return options_check(o, interval, count, rest, err);
}

/* tcwire status (once) and tcwire doctor */
static int run_once(const struct options *o)
{
	g_autoptr(GArray) ns = netns_array_new();
	const struct status_netns *v = (const struct status_netns *)(void *)ns->data;
	struct tcw_err err = { "" };
	g_autoptr(GString) out = g_string_new(NULL);
	int status = 0;
	guint i;

	if (netns_collect(o->watch_opts.all, ns, NULL, &err) < 0)
		return fail(EXIT_TROUBLE, "%s", err.msg);
	v = (const struct status_netns *)(void *)ns->data;
	if (o->doctor) {
		if (doctor_print(out, v, ns->len, o->watch_opts.all))
			status = EXIT_PROBLEMS;
	} else if (o->json) {
		g_autofree char *doc = json_status(v, ns->len, o->pretty);

		g_string_append_printf(out, "%s\n", doc);
	} else {
		text_status(out, v, ns->len, o->watch_opts.all);
		for (i = 0; i < ns->len; i++)
			if (v[i].error) {	/* vanished while we looked, usually */
				g_autofree char *label = escape_text(v[i].label ? v[i].label : "?");

				fail(0, "%s: %s", label, v[i].error_msg);
			}
	}
	if (!o->json)	/* names are other users': no escape sequences */
		escape_text_lines(out);
	fwrite(out->str, 1, out->len, stdout);
	return status;
}

int main(int argc, char **argv)
{
	struct tool_powers powers;
	struct tcw_err err = { "" };
	struct options o;

	powers_detect(&powers);
	/* wire and unwire have options of their own */
	if (argc > 1 && (!strcmp(argv[1], "wire") || !strcmp(argv[1], "unwire")))
		return wire_cmd_main(argc - 1, argv + 1, powers.net_admin);
	if (options_parse(argc, argv, &o, &err) < 0)
		return fail(EXIT_TROUBLE, "%s", err.msg);
	if (o.watch_opts.all && !powers.enter_namespaces)
		return fail(EXIT_TROUBLE,
			    "--all needs root: it enters every network namespace (CAP_SYS_ADMIN) and reads every process (CAP_SYS_PTRACE)");
	if (o.watch)
		return watch_run(&o.watch_opts) ? EXIT_TROUBLE : 0;
	return run_once(&o);
}
