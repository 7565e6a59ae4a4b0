/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - TCP port lists as u32 can match them: aligned blocks
 *
 * A management passthrough keeps TCP to some ports in the container (its
 * console ports, 5000-5007 by default). u32 matches a port under a mask,
 * so a range becomes the fewest aligned blocks that cover it exactly:
 * 5000-5007 is 0x1388/0xfff8, 22-23 is 22/0xfffe. Parsed here, in the
 * client library, so that tcwire-qemu refuses a bad list before it starts
 * anything and the helper judges the same list the same way.
 */
#ifndef TCWIRE_PORT_BLOCKS_H
#define TCWIRE_PORT_BLOCKS_H

#include <stddef.h>
#include <stdint.h>

/* Most blocks one list may need */
#define TCW_MGMT_MAX_BLOCKS	16

/* The console ports a vrnetlab-style container serves itself */
#define TCW_MGMT_DEFAULT_LOCAL	"5000-5007"

/**
 * struct tcw_port_block - TCP destination ports: PORT & MASK == VALUE
 * @value:	First port of an aligned block
 * @mask:	Its mask (0xfff8: 8 ports)
 */
struct tcw_port_block {
	uint16_t value;
	uint16_t mask;
};

/**
 * tcw_port_blocks_parse() - Port ranges "5000-5007,22" as aligned blocks
 * @list:	Comma-separated ports (N) and ranges (N-M), 1 to 65535,
 *		untrusted; "" for none
 * @blocks:	Result, TCW_MGMT_MAX_BLOCKS entries
 * @n:		Number of @blocks
 *
 * Return: 0, -EINVAL if @list is not such a list, -E2BIG if it needs more
 *	   than TCW_MGMT_MAX_BLOCKS blocks
 */
int tcw_port_blocks_parse(const char *list, struct tcw_port_block *blocks,
			  unsigned int *n);

/**
 * tcw_port_block_print() - A block as "5000-5007" or "22"
 * @buf:	Result
 * @len:	Its size
 * @b:		Block
 *
 * Return: @buf
 */
char *tcw_port_block_print(char *buf, size_t len,
			   const struct tcw_port_block *b);

#endif /* TCWIRE_PORT_BLOCKS_H */
