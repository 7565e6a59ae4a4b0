/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - the kernel's extended ACK text, read out of an NLMSG_ERROR
 */
#ifndef TCWIRE_EXT_ACK_H
#define TCWIRE_EXT_ACK_H

#include <stddef.h>

/* Smallest text buffer tcw_ext_ack_text() accepts (see tcw_quote()) */
#define TCW_EXT_ACK_MIN	8

/**
 * tcw_ext_ack_text() - The kernel's error text in an NLMSG_ERROR, safe to print
 * @msg:	The message, from its struct nlmsghdr on (4-byte aligned)
 * @len:	Bytes readable at @msg (the header's length is not trusted
 *		beyond that)
 * @text:	Buffer for the text
 * @size:	Size of @text, at least TCW_EXT_ACK_MIN
 *
 * Finds the NLMSGERR_ATTR_MSG attribute among the TLVs after the
 * struct nlmsgerr (and after the echoed request, unless NLM_F_CAPPED).
 * The text ends at its first newline; other bytes that are not printable
 * ASCII become \xNN, and a text too long for @text is cut with "...".
 * Pure function: no allocation, no system call.
 *
 * Return: length of @text; 0 (and "") when the message carries no text or
 *	   is malformed
 */
size_t tcw_ext_ack_text(const void *msg, size_t len, char *text, size_t size);

#endif /* TCWIRE_EXT_ACK_H */
