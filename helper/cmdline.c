/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - command line: qemu's and libvirt's bridge helper protocol
 *
 * qemu runs "helper --use-vnet --fd=N --br=BR" (net/tap.c); libvirt runs
 * "helper [--use-vnet] --br=BR --fd=N". Only the "--opt=value" forms exist
 * in that protocol, so only they are accepted: a stray word is a bug in the
 * caller or an attack, never something to guess about.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "client/fd_passing.h"
#include "client/ifname.h"

/* See cmdline.h */
const char *helper_usage(void)
{
	return
"Usage: tcwire-helper [--use-vnet] --fd=N --br=NAME [--queues=N]\n"
"       tcwire-helper --rewire --fd=N --br=NAME\n"
"       tcwire-helper --reserve [--use-vnet] --fd=N --br=NAME [--queues=N]\n"
"       tcwire-helper --mgmt [--mgmt-local-tcp=LIST] [--use-vnet] --fd=N\n"
"                     --br=NAME [--queues=N]\n"
"\n"
"Create a tap device, wire it to the interface NAME with tc mirred\n"
"redirects in both directions (or enslave it when NAME is a Linux bridge),\n"
"and send the tap's file descriptor over the unix socket N.\n"
"qemu and libvirt start it: -netdev tap,br=NAME,helper=PATH.\n"
"\n"
"  --use-vnet    give the tap a virtio-net header (IFF_VNET_HDR)\n"
"  --fd=N        connected unix stream socket to send the tap fd over\n"
"  --br=NAME     partner interface or bridge, 1 to 15 bytes\n"
"  --queues=N    multiqueue tap with N queues, N fds in one message\n"
"  --rewire      receive a tap fd of the caller's over socket N and wire\n"
"                that tap to NAME instead (NAME was deleted and created\n"
"                again while the tap lived on)\n"
"  --reserve     create a tap for NAME, which need not exist yet, wired to\n"
"                nothing (the ACL must allow NAME); --rewire wires it later\n"
"  --mgmt        management passthrough: the VM gets all of NAME's traffic\n"
"                (its address) but TCP to the container's own ports; ARP\n"
"                and IPv6 ND go to both (the ACL must say allow-mgmt NAME)\n"
"  --mgmt-local-tcp=LIST  the container's own TCP ports, e.g. 5000-5007,22\n"
"                (default " TCW_MGMT_DEFAULT_LOCAL "; empty: none)\n"
"  --help        show this help\n"
"  --version     show the version\n";
}

/* Parse a decimal number in [min, max] with nothing else around it */
static int parse_uint(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Value of "--name=value" if @arg is that option, else NULL */
static const char *option_value(const char *arg, const char *name)
{
	size_t len = strlen(name);

	if (strncmp(arg, name, len) || arg[len] != '=')
		return NULL;
	return arg + len + 1;
}

/* The options given so far: each may appear once */
struct options_seen {
	bool use_vnet;
	bool fd;
	bool br;
	bool queues;
	bool rewire;
	bool reserve;
	bool mgmt;
	bool local;
};

/* Mark @opt as seen; refuse a second occurrence */
static int seen_once(bool *seen, const char *opt, struct tcw_err *err)
{
	if (*seen)
		return tcw_err_set(err, EINVAL, "%s given twice", opt);
	*seen = true;
	return 0;
}

/* Handle --mgmt and --mgmt-local-tcp=LIST */
static int parse_mgmt(const char *arg, struct helper_args *args,
		      struct options_seen *seen, struct tcw_err *err)
{
	const char *v = option_value(arg, "--mgmt-local-tcp");
	char q[64];
	int rc;

	if (!v) {
		args->mgmt = true;
		return seen_once(&seen->mgmt, "--mgmt", err);
	}
	rc = tcw_port_blocks_parse(v, args->local, &args->n_local);
	if (rc == -E2BIG)
		return tcw_err_set(err, E2BIG,
				   "--mgmt-local-tcp=%s: more than %d aligned port blocks",
				   tcw_quote(v, q, sizeof(q)), TCW_MGMT_MAX_BLOCKS);
	if (rc)
		return tcw_err_set(err, EINVAL,
				   "--mgmt-local-tcp=%s: expected ports and ranges from 1 to 65535, e.g. 5000-5007,22",
				   tcw_quote(v, q, sizeof(q)));
	return seen_once(&seen->local, "--mgmt-local-tcp", err);
}

/* Handle one argument */
static int parse_one(const char *arg, struct helper_args *args,
		     struct options_seen *seen, struct tcw_err *err)
{
	const char *v;
	char q[64];
	long n;

	if (!strcmp(arg, "--help")) {
		args->action = HELPER_SHOW_HELP;
		return 0;
	}
	if (!strcmp(arg, "--version")) {
		args->action = HELPER_SHOW_VERSION;
		return 0;
	}
	if (!strcmp(arg, "--rewire")) {
		args->rewire = true;
		return seen_once(&seen->rewire, "--rewire", err);
	}
	if (!strcmp(arg, "--reserve")) {
		args->reserve = true;
		return seen_once(&seen->reserve, "--reserve", err);
	}
	if (!strcmp(arg, "--mgmt") || option_value(arg, "--mgmt-local-tcp"))
		return parse_mgmt(arg, args, seen, err);
	if (!strcmp(arg, "--use-vnet")) {
		args->use_vnet = true;
		return seen_once(&seen->use_vnet, "--use-vnet", err);
	}
	if ((v = option_value(arg, "--fd"))) {
		if (parse_uint(v, 3, INT_MAX, &n))
			return tcw_err_set(err, EINVAL,
					   "--fd=%s: expected a file descriptor number above 2",
					   tcw_quote(v, q, sizeof(q)));
		args->sock_fd = (int)n;
		return seen_once(&seen->fd, "--fd", err);
	}
	if ((v = option_value(arg, "--br"))) {
		int rc = tcw_ifname_check(v, err);

		if (rc)
			return rc;
		if (tcw_ifname_is_tcwire_tap(v))
			return tcw_err_set(err, EINVAL,
					   "%s: names " TCW_TAP_PREFIX "<N> belong to tcwire's own taps and cannot be a partner",
					   v);
		strcpy(args->partner, v);	/* checked: < IFNAMSIZ */
		return seen_once(&seen->br, "--br", err);
	}
	if ((v = option_value(arg, "--queues"))) {
		if (parse_uint(v, 1, TCW_MAX_FDS, &n))
			return tcw_err_set(err, EINVAL,
					   "--queues=%s: expected a number from 1 to %d",
					   tcw_quote(v, q, sizeof(q)), TCW_MAX_FDS);
		args->queues = (unsigned int)n;
		return seen_once(&seen->queues, "--queues", err);
	}
	return tcw_err_set(err, EINVAL,
			   "%s: unknown option (see --help)",
			   tcw_quote(arg, q, sizeof(q)));
}

/* --mgmt's rules, and its default local ports */
static int mgmt_args_check(struct helper_args *args,
			   const struct options_seen *seen, struct tcw_err *err)
{
	if (seen->local && !args->mgmt)
		return tcw_err_set(err, EINVAL,
				   "--mgmt-local-tcp goes with --mgmt only");
	if (args->mgmt && (args->rewire || args->reserve))
		return tcw_err_set(err, EINVAL,
				   "--mgmt wires a new tap: not with --%s",
				   args->rewire ? "rewire" : "reserve");
	if (args->mgmt && !seen->local &&
	    tcw_port_blocks_parse(TCW_MGMT_DEFAULT_LOCAL, args->local,
				  &args->n_local))
		return tcw_err_set(err, EINVAL, "bad default local ports");
	return 0;
}

/* See cmdline.h */
int helper_args_parse(int argc, char *const argv[], struct helper_args *args,
		      struct tcw_err *err)
{
	struct options_seen seen = { 0 };
	int i, rc;

	memset(args, 0, sizeof(*args));
	args->action = HELPER_WIRE;
	args->sock_fd = -1;
	args->queues = 1;

	if (argc > HELPER_MAX_ARGS)
		return tcw_err_set(err, EINVAL, "too many arguments (see --help)");
	for (i = 1; i < argc; i++) {
		rc = parse_one(argv[i], args, &seen, err);
		if (rc)
			return rc;
	}
	if (args->action != HELPER_WIRE)
		return 0;
	if (!seen.fd)
		return tcw_err_set(err, EINVAL, "missing --fd=N (see --help)");
	if (!seen.br)
		return tcw_err_set(err, EINVAL, "missing --br=NAME (see --help)");
	if (args->rewire && (seen.use_vnet || seen.queues))
		return tcw_err_set(err, EINVAL,
				   "--rewire takes --fd and --br only: --use-vnet and --queues are for a new tap");
	if (args->rewire && args->reserve)
		return tcw_err_set(err, EINVAL,
				   "--reserve makes a new tap; --rewire wires one that exists: not both");
	return mgmt_args_check(args, &seen, err);
}
