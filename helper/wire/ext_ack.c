/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire - the kernel's extended ACK text, read out of an NLMSG_ERROR
 *
 * This is the only code in tcwire that parses bytes the kernel composed,
 * so it is a pure function with a unit test (tests/unit/test-ext-ack.c)
 * and a fuzz target (tests/fuzz/fuzz-ext-ack.c).
 *
 * Layout of an error with extended ACK (NETLINK_EXT_ACK), see
 * netlink_ack() in the kernel:
 *
 *   struct nlmsghdr     NLMSG_ERROR, flags NLM_F_ACK_TLVS [| NLM_F_CAPPED]
 *   struct nlmsgerr     error, then the header of our request
 *   request payload     only without NLM_F_CAPPED (NETLINK_CAP_ACK off)
 *   TLVs                NLMSGERR_ATTR_MSG, _OFFS, ... (4-byte aligned)
 *
 * Every length in there is checked against the bytes received; the
 * attribute walk is libnl's nla_find(), the copy nla_strlcpy().
 */
#include <limits.h>
#include <string.h>

#include <linux/netlink.h>

#include <netlink/attr.h>

#include "client/error.h"
#include "wire/ext_ack.h"

/* Offset of the TLVs in an NLMSG_ERROR of @total bytes, 0 if they do not fit */
static size_t ext_ack_tlv_offset(const struct nlmsghdr *hdr, size_t total)
{
	const struct nlmsgerr *e = NLMSG_DATA(hdr);
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	size_t echoed;

	if (total < off)
		return 0;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED)) {
		/* struct nlmsgerr holds the request's header, then its payload */
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return 0;
		echoed = e->msg.nlmsg_len - NLMSG_HDRLEN;
		if (echoed > total - off)
			return 0;
		off += echoed;
	}
	off = NLMSG_ALIGN(off);
	return off <= total ? off : 0;
}

/* See ext_ack.h */
size_t tcw_ext_ack_text(const void *msg, size_t len, char *text, size_t size)
{
	const struct nlmsghdr *hdr = msg;
	const struct nlattr *attr;
	size_t total, off;
	char raw[512];

	if (size > sizeof(raw))
		size = sizeof(raw);	/* longer texts end with "..." */
	text[0] = '\0';
	if (len < NLMSG_HDRLEN || hdr->nlmsg_type != NLMSG_ERROR ||
	    !(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	total = hdr->nlmsg_len < len ? hdr->nlmsg_len : len;
	if (total > INT_MAX)
		total = INT_MAX;	/* nla_find() counts in int */
	off = ext_ack_tlv_offset(hdr, total);
	if (!off)
		return 0;
	attr = nla_find((const struct nlattr *)((const char *)msg + off),
			(int)(total - off), NLMSGERR_ATTR_MSG);
	if (!attr)
		return 0;
	nla_strlcpy(raw, attr, size);
	raw[strcspn(raw, "\n")] = '\0';
	tcw_quote(raw, text, size);
	return strlen(text);
}
