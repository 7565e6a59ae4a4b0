/* SPDX-License-Identifier: GPL-2.0-or-later
 * Fuzz target: the helper's argv parser and name checks (helper/cmdline.c,
 * helper/ifname.c), pure code.
 *
 * The input is split at NUL bytes into argv[1..] (at most 64 words);
 * argv[0] is the program name, as the kernel gives it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "ifname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[66], *p;
	struct helper_args args;
	struct tcw_err err;
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

	if (helper_args_parse(argc, argv, &args, &err) == 0 &&
	    args.action == HELPER_WIRE) {
		/* What the parser accepted must be a valid name */
		if (tcw_ifname_check(args.partner, NULL) != 0 ||
		    tcw_ifname_is_tcwire_tap(args.partner) || args.sock_fd < 3)
			abort();
	}
	(void)tcw_ifname_check(argv[argc - 1], NULL);
	(void)tcw_quote(argv[argc - 1], quoted, sizeof(quoted));
	free(buf);
	return 0;
}
