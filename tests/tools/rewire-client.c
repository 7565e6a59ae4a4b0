/* SPDX-License-Identifier: GPL-2.0-or-later
 * rewire-client - ask tcwire-helper to re-wire a tap we hold, for tests
 *
 * Usage: rewire-client --helper PATH --br NAME --tap-fd N
 *
 * Runs the helper in its re-wire mode through the shared protocol client
 * (tcw_helper_rewire(), the code tcwire-qemu uses), handing it fd N.
 * Exit status 0 if the helper re-wired, 1 if not, 2 for bad usage. When
 * the helper failed, its own one line is all there is on stderr; other
 * failures (it could not be run, or not be sent the fd) say
 * "rewire-client: ...".
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "client/helper_client.h"

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "helper", required_argument, NULL, 'h' },
		{ "br", required_argument, NULL, 'b' },
		{ "tap-fd", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *helper = NULL, *partner = NULL;
	struct tcw_err err = { "" };
	int c, fd = -1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'h': helper = optarg; break;
		case 'b': partner = optarg; break;
		case 'f': fd = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!helper || !partner || fd < 0) {
		fprintf(stderr, "usage: rewire-client --helper PATH --br NAME --tap-fd N\n");
		return 2;
	}
	c = tcw_helper_rewire(helper, partner, fd, &err);
	if (c && c != -ECHILD)
		fprintf(stderr, "rewire-client: %s\n", err.msg);
	return c ? 1 : 0;
	return 0;
}
