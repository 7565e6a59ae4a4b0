/* SPDX-License-Identifier: GPL-2.0-or-later
 * Fuzz target: the helper's argv parser and name checks (helper/cmdline.c,
 * helper/client/ifname.c), pure code, held to oracles rather than only "no crash".
 *
 * The input is split at NUL bytes into argv[1..] (at most 64 words);
 * argv[0] is the program name, as the kernel gives it. The oracles:
 *  1. a --br= value of 16 or more bytes is never accepted, whatever else
 *     the command line holds;
 *  2. an accepted wiring request holds exactly the --br= and --fd= values
 *     of argv: a valid name (1 to 15 bytes, not one of tcwire's own taps),
 *     an fd above 2, and 1 to 16 queues.
 * A broken oracle prints what broke and aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "client/ifname.h"

/* Abort with @what and @detail unless @holds */
static void oracle(bool holds, const char *what, const char *detail)
{
	if (holds)
		return;
	fprintf(stderr, "fuzz-cmdline: oracle broken: %s: \"%s\"\n", what,
		detail);
	abort();
}

/* The value of the last "--NAME=value" word in argv, or NULL; sets
 * *@long_br if any --br= value has IFNAMSIZ bytes or more */
static const char *last_value(int argc, char **argv, const char *opt,
			      bool *long_br)
{
	size_t len = strlen(opt);
	const char *v = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], opt, len) || argv[i][len] != '=')
			continue;
		v = argv[i] + len + 1;
		if (!strcmp(opt, "--br") && strlen(v) >= IFNAMSIZ)
			*long_br = true;
	}
	return v;
}

/* Oracles 1 and 2 for one parse */
static void check_parse(int argc, char **argv)
{
	bool long_br = false;
	const char *br = last_value(argc, argv, "--br", &long_br);
	const char *fd = last_value(argc, argv, "--fd", &long_br);
	struct helper_args args;
	struct tcw_err err;
	int rc;

	rc = helper_args_parse(argc, argv, &args, &err);
	if (long_br)
		oracle(rc != 0, "a --br= name of 16+ bytes was accepted", br);
	if (rc != 0 || args.action != HELPER_WIRE)
		return;
	oracle(br && !strcmp(args.partner, br),
	       "the partner is not argv's --br= value", args.partner);
	oracle(strlen(args.partner) < IFNAMSIZ &&
	       tcw_ifname_check(args.partner, NULL) == 0 &&
	       !tcw_ifname_is_tcwire_tap(args.partner),
	       "an invalid partner name was accepted", args.partner);
	oracle(fd && args.sock_fd >= 3 && args.sock_fd == atoi(fd),
	       "the fd is not argv's --fd= value above 2", fd ? fd : "");
	oracle(args.queues >= 1 && args.queues <= 16,
	       "a queue count outside 1 to 16 was accepted", "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[66], *p;
	char quoted[64];
	int argc = 1;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "tcwire-helper";
	for (p = buf; p <= buf + size && argc < 65; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	check_parse(argc, argv);
	(void)tcw_ifname_check(argv[argc - 1], NULL);
	(void)tcw_quote(argv[argc - 1], quoted, sizeof(quoted));
	free(buf);
	return 0;
}
