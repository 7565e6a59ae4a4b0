/* SPDX-License-Identifier: GPL-2.0-or-later
 * Fuzz target: reading the kernel's extended ACK text (helper/wire/ext_ack.c),
 * the only parser of kernel-composed bytes in tcwire.
 *
 * The input is taken as one received NLMSG_ERROR message. Oracle, for
 * several buffer sizes: the text is NUL-terminated inside the buffer, the
 * bytes after the buffer are untouched, every character is printable
 * ASCII (so no newline), and the return value is its length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/ext_ack.h"

#define GUARD	16

/* Parse @msg into a @size-byte buffer followed by a guard; abort if the
 * oracle does not hold */
static void check(const void *msg, size_t len, size_t size)
{
	char buf[512 + GUARD];
	size_t n, i;

	memset(buf, 0x5a, sizeof(buf));
	n = tcw_ext_ack_text(msg, len, buf, size);
	if (!memchr(buf, '\0', size) || strlen(buf) != n)
		abort();
	for (i = 0; i < n; i++)
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			abort();
	for (i = size; i < size + GUARD; i++)
		if (buf[i] != 0x5a)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[] = { TCW_EXT_ACK_MIN, 9, 64, 256, 512 };
	uint32_t *msg = malloc(size + 4);	/* netlink messages are aligned */
	size_t i;

	if (!msg)
		return 0;
	memcpy(msg, data, size);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		check(msg, size, sizes[i]);
	free(msg);
	return 0;
}
