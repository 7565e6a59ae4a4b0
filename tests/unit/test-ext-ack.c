/* SPDX-License-Identifier: GPL-2.0-or-later
 * Unit tests: reading the kernel's extended ACK text out of an NLMSG_ERROR
 * (helper/wire/ext_ack.c), from messages laid out as the kernel lays them out
 * and from broken ones.
 */
#include <errno.h>
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "wire/ext_ack.h"

/* An NLMSG_ERROR under construction */
struct msg {
	union {
		uint32_t align;
		unsigned char b[1024];
	} u;
	size_t len;
};

/* Start an error for a request of @echo payload bytes (echoed unless
 * NLM_F_CAPPED is in @flags) */
static void msg_start(struct msg *m, uint16_t flags, size_t echo)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)m->u.b;
	struct nlmsgerr *e = NLMSG_DATA(hdr);

	memset(m, 0, sizeof(*m));
	hdr->nlmsg_type = NLMSG_ERROR;
	hdr->nlmsg_flags = flags;
	e->error = -EINVAL;
	e->msg.nlmsg_len = NLMSG_HDRLEN + echo;
	e->msg.nlmsg_type = RTM_NEWTFILTER;
	m->len = NLMSG_HDRLEN + sizeof(*e);
	if (!(flags & NLM_F_CAPPED)) {
		memset(m->u.b + m->len, 0xaa, echo);
		m->len += echo;
	}
	m->len = NLMSG_ALIGN(m->len);
	hdr->nlmsg_len = m->len;
}

/* Append one attribute; @nla_len 0 means the honest length */
static void msg_attr(struct msg *m, uint16_t type, const void *data,
		     size_t len, uint16_t nla_len)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)m->u.b;
	struct nlattr *a = (struct nlattr *)(m->u.b + m->len);

	a->nla_type = type;
	a->nla_len = nla_len ? nla_len : NLA_HDRLEN + len;
	memcpy(m->u.b + m->len + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
	hdr->nlmsg_len = m->len;
}

/* Append NLMSGERR_ATTR_MSG with @s and its NUL */
static void msg_text(struct msg *m, const char *s)
{
	msg_attr(m, NLMSGERR_ATTR_MSG, s, strlen(s) + 1, 0);
}

/* Parse the whole message into a 256-byte buffer, as netlink.c does */
static const char *parse(const struct msg *m, size_t len)
{
	static char text[256];
	size_t n;

	memset(text, 'X', sizeof(text));
	n = tcw_ext_ack_text(m->u.b, len, text, sizeof(text));
	g_assert_cmpuint(n, ==, strlen(text));
	return text;
}

static const char kernel_text[] =
	"Filter with specified priority/protocol not found";

static void test_no_tlvs(void)
{
	struct msg m;

	/* A plain error: no NLM_F_ACK_TLVS */
	msg_start(&m, NLM_F_CAPPED, 0);
	g_assert_cmpstr(parse(&m, m.len), ==, "");
	/* TLV flag set but nothing follows */
	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	g_assert_cmpstr(parse(&m, m.len), ==, "");
	/* Text present, but the flag says there are no TLVs */
	msg_start(&m, NLM_F_CAPPED, 0);
	msg_text(&m, kernel_text);
	g_assert_cmpstr(parse(&m, m.len), ==, "");
	/* Not an error message at all */
	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	msg_text(&m, kernel_text);
	((struct nlmsghdr *)m.u.b)->nlmsg_type = NLMSG_DONE;
	g_assert_cmpstr(parse(&m, m.len), ==, "");
	/* Shorter than a header */
	g_assert_cmpstr(parse(&m, 3), ==, "");
}

static void test_capped(void)
{
	uint32_t offs = 20;
	struct msg m;

	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 36);
	msg_text(&m, kernel_text);
	g_assert_cmpstr(parse(&m, m.len), ==, kernel_text);
	/* The text after another attribute */
	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 36);
	msg_attr(&m, NLMSGERR_ATTR_OFFS, &offs, sizeof(offs), 0);
	msg_text(&m, kernel_text);
	g_assert_cmpstr(parse(&m, m.len), ==, kernel_text);
	/* Type bits above NLA_TYPE_MASK do not hide it */
	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 36);
	msg_attr(&m, NLMSGERR_ATTR_MSG | NLA_F_NESTED, "x", 2, 0);
	g_assert_cmpstr(parse(&m, m.len), ==, "x");
}

static void test_uncapped(void)
{
	struct msg m;

	/* The request's payload (here 37 bytes, padded) precedes the TLVs */
	msg_start(&m, NLM_F_ACK_TLVS, 37);
	msg_text(&m, kernel_text);
	g_assert_cmpstr(parse(&m, m.len), ==, kernel_text);
	/* Echoed request longer than the message */
	msg_start(&m, NLM_F_ACK_TLVS, 40);
	msg_text(&m, kernel_text);
	((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)m.u.b))
		->msg.nlmsg_len = 4000;
	g_assert_cmpstr(parse(&m, m.len), ==, "");
	/* Echoed header claiming less than a header */
	((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)m.u.b))
		->msg.nlmsg_len = 3;
	g_assert_cmpstr(parse(&m, m.len), ==, "");
	/* Echoed request of the maximum length */
	((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)m.u.b))
		->msg.nlmsg_len = UINT32_MAX;
	g_assert_cmpstr(parse(&m, m.len), ==, "");
}

static void test_truncated(void)
{
	struct msg m;
	size_t full;

	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	msg_text(&m, kernel_text);
	full = m.len;
	/* Fewer bytes received than the header says */
	g_assert_cmpstr(parse(&m, full - 8), ==, "");
	g_assert_cmpstr(parse(&m, NLMSG_HDRLEN + 2), ==, "");
	/* The header itself says less: the attribute is cut */
	((struct nlmsghdr *)m.u.b)->nlmsg_len = full - 8;
	g_assert_cmpstr(parse(&m, full), ==, "");
	/* Only half an attribute header left */
	((struct nlmsghdr *)m.u.b)->nlmsg_len =
		NLMSG_HDRLEN + sizeof(struct nlmsgerr) + 2;
	g_assert_cmpstr(parse(&m, full), ==, "");
}

static void test_attr_too_long(void)
{
	struct msg m;

	/* nla_len reaches past the end of the message */
	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	msg_attr(&m, NLMSGERR_ATTR_MSG, "short", 6, 200);
	g_assert_cmpstr(parse(&m, m.len), ==, "");
	/* nla_len shorter than an attribute header */
	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	msg_attr(&m, NLMSGERR_ATTR_MSG, "short", 6, 2);
	g_assert_cmpstr(parse(&m, m.len), ==, "");
	/* A broken attribute before the text stops the walk */
	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	msg_attr(&m, NLMSGERR_ATTR_OFFS, "abcd", 4, 2);
	msg_text(&m, kernel_text);
	g_assert_cmpstr(parse(&m, m.len), ==, "");
}

static void test_no_nul(void)
{
	struct msg m;

	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	msg_attr(&m, NLMSGERR_ATTR_MSG, "no terminator", 13, 0);
	g_assert_cmpstr(parse(&m, m.len), ==, "no terminator");
	/* Padding bytes after an unterminated text are not part of it */
	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	msg_attr(&m, NLMSGERR_ATTR_MSG, "abcde", 5, 0);
	g_assert_cmpstr(parse(&m, m.len), ==, "abcde");
	/* An empty attribute */
	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	msg_attr(&m, NLMSGERR_ATTR_MSG, "", 0, 0);
	g_assert_cmpstr(parse(&m, m.len), ==, "");
}

static void test_unprintable(void)
{
	char big[300];
	const char *t;
	struct msg m;
	char small[8];

	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	msg_text(&m, "first line\nsecond line");
	g_assert_cmpstr(parse(&m, m.len), ==, "first line");
	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	msg_text(&m, "\x1b[2Jbad\r\x7f\xff");
	g_assert_cmpstr(parse(&m, m.len), ==, "\\x1b[2Jbad\\x0d\\x7f\\xff");
	/* Too long for the buffer: cut, with "..." */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	msg_start(&m, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	msg_text(&m, big);
	t = parse(&m, m.len);
	g_assert_cmpuint(strlen(t), ==, 255);
	g_assert_true(g_str_has_suffix(t, "aaa..."));
	/* The smallest buffer */
	g_assert_cmpuint(tcw_ext_ack_text(m.u.b, m.len, small, sizeof(small)),
			 ==, 7);
	g_assert_cmpstr(small, ==, "aaaa...");
}

/* Errors the kernel sent (RTM_NEWLINK of an unknown kind, captured with
 * NETLINK_EXT_ACK on, with and without NETLINK_CAP_ACK): the seed corpus
 * of the fuzz target */
static void test_kernel_bytes(gconstpointer name)
{
	g_autofree char *path = g_test_build_filename(G_TEST_DIST, "..", "fuzz",
						      "corpus", "ext-ack",
						      (const char *)name, NULL);
	g_autoptr(GError) error = NULL;
	g_autofree char *bytes = NULL;
	char text[256];
	gsize len;

	g_assert_true(g_file_get_contents(path, &bytes, &len, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(tcw_ext_ack_text(bytes, len, text, sizeof(text)), ==,
			 strlen("Unknown device type"));
	g_assert_cmpstr(text, ==, "Unknown device type");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_data_func("/ext-ack/kernel/capped", "kernel-newlink-capped",
			     test_kernel_bytes);
	g_test_add_data_func("/ext-ack/kernel/uncapped",
			     "kernel-newlink-uncapped", test_kernel_bytes);
	g_test_add_func("/ext-ack/no-tlvs", test_no_tlvs);
	g_test_add_func("/ext-ack/capped", test_capped);
	g_test_add_func("/ext-ack/uncapped", test_uncapped);
	g_test_add_func("/ext-ack/truncated", test_truncated);
	g_test_add_func("/ext-ack/attr-too-long", test_attr_too_long);
	g_test_add_func("/ext-ack/no-nul", test_no_nul);
	g_test_add_func("/ext-ack/unprintable", test_unprintable);
	return g_test_run();
}
