/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - TCP port lists as u32 can match them: aligned blocks (see
 * port_blocks.h)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "client/port_blocks.h"

/* Parse one port, 1 to 65535, from *@p; advance *@p past it */
static int port_parse(const char **p, uint32_t *port)
{
	char *end;
	long v;

	if (**p < '0' || **p > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(*p, &end, 10);
	if (errno || v < 1 || v > 65535 || end - *p > 5)
		return -EINVAL;
	*port = (uint32_t)v;
	*p = end;
	return 0;
}

/* Append the aligned blocks that cover [@lo, @hi] exactly */
static int range_to_blocks(uint32_t lo, uint32_t hi,
			   struct tcw_port_block *blocks, unsigned int *n)
{
	while (lo <= hi) {
		uint32_t size = 1;

		/* the largest aligned block starting at lo that fits */
		while ((lo & (size * 2 - 1)) == 0 && lo + size * 2 - 1 <= hi &&
		       size < 0x10000)
			size *= 2;
		if (*n == TCW_MGMT_MAX_BLOCKS)
			return -E2BIG;
		blocks[*n].value = (uint16_t)lo;
		blocks[(*n)++].mask = (uint16_t)~(size - 1);
		lo += size;
	}
	return 0;
}

/* See port_blocks.h */
int tcw_port_blocks_parse(const char *list, struct tcw_port_block *blocks,
			  unsigned int *n)
{
	const char *p = list;

	*n = 0;
	while (*p) {
		uint32_t lo, hi;
		int rc = port_parse(&p, &lo);

		hi = lo;
		if (rc == 0 && *p == '-') {
			p++;
			rc = port_parse(&p, &hi);
		}
		if (rc || hi < lo || (*p && *p != ','))
			return -EINVAL;
		if (*p == ',' && !*++p)
			return -EINVAL;		/* a trailing comma */
		rc = range_to_blocks(lo, hi, blocks, n);
		if (rc)
			return rc;
	}
	return 0;
}

/* See port_blocks.h */
char *tcw_port_block_print(char *buf, size_t len,
			   const struct tcw_port_block *b)
{
	unsigned int last = b->value | (uint16_t)~b->mask;

	if (last == b->value)
		snprintf(buf, len, "%u", b->value);
	else
		snprintf(buf, len, "%u-%u", b->value, last);
	return buf;
}

