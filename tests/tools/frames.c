/* SPDX-License-Identifier: GPL-2.0-or-later
 * Test frame corpus: the frames a Linux bridge or macvtap would not pass
 *
 * The payloads are close to the real protocols (an LACPDU is an LACPDU
 * with actor and partner TLVs), so the corpus also documents what a wire
 * must carry.
 */
#include <string.h>

#include "frames.h"

static const char marker[] = "TCWIRE";

static void put(struct test_frame *f, const void *p, size_t n)
{
	memcpy(f->data + f->len, p, n);
	f->len += n;
}

static void put8(struct test_frame *f, uint8_t v) { put(f, &v, 1); }

static void put16(struct test_frame *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(f, b, 2);
}

static void fill(struct test_frame *f, uint8_t v, size_t n)
{
	memset(f->data + f->len, v, n);
	f->len += n;
}

/* Start a frame: destination, source, and ethertype (or 802.3 length) */
static void eth(struct test_frame *f, const char *name, const uint8_t dst[6],
		const uint8_t src[6], uint16_t type)
{
	f->name = name;
	f->len = 0;
	put(f, dst, 6);
	put(f, src, 6);
	put16(f, type);
}

/* End a frame: marker, then padding up to @min bytes */
static void finish(struct test_frame *f, uint8_t tag, uint8_t index,
		   size_t min)
{
	put(f, marker, sizeof(marker) - 1);
	put8(f, tag);
	put8(f, index);
	if (f->len < min)
		fill(f, 0, min - f->len);
}

/* A minimal IPv4 header (no options, valid checksum) for @payload bytes */
static void ipv4(struct test_frame *f, uint16_t payload)
{
	static const uint8_t tmpl[20] = {
		0x45, 0x00, 0x00, 0x00, 0x12, 0x34, 0x40, 0x00, 0x40, 253,
		0x00, 0x00, 10, 0, 0, 1, 10, 0, 0, 2,
	};
	uint8_t *h = f->data + f->len;
	uint32_t sum = 0;
	int i;

	put(f, tmpl, sizeof(tmpl));
	h[2] = (uint8_t)((20 + payload) >> 8);
	h[3] = (uint8_t)(20 + payload);
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	h[10] = (uint8_t)(~sum >> 8);
	h[11] = (uint8_t)~sum;
}

/* The 802.1D group-address frames a bridge eats: LACP, STP, LLDP, EAPOL,
 * PAUSE; returns the next free frame */
static struct test_frame *build_group_frames(struct test_frame *f,
					     const uint8_t src[6], uint8_t tag,
					     uint8_t *i)
{
	static const uint8_t slow[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x02 };
	static const uint8_t stp[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x00 };
	static const uint8_t lldp[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x0e };
	static const uint8_t pae[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x03 };
	static const uint8_t pause[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x01 };

	/* LACPDU: slow protocols, subtype 1, actor/partner/collector TLVs */
	eth(f, "lacpdu", slow, src, 0x8809);
	put8(f, 0x01); put8(f, 0x01);
	put8(f, 0x01); put8(f, 20);		/* actor TLV */
	put16(f, 0xffff); put(f, src, 6); put16(f, 0x000f);
	put16(f, 0x00ff); put16(f, 0x0001); put8(f, 0x3d); fill(f, 0, 3);
	put8(f, 0x02); put8(f, 20);		/* partner TLV */
	fill(f, 0, 18);
	put8(f, 0x03); put8(f, 16); put16(f, 0x0000); fill(f, 0, 12);
	put8(f, 0x00); put8(f, 0x00); fill(f, 0, 50 - 10);
	finish(f++, tag, (*i)++, 124);

	/* STP configuration BPDU: 802.3 length, LLC 42 42 03 */
	eth(f, "stp-bpdu", stp, src, 38);
	put8(f, 0x42); put8(f, 0x42); put8(f, 0x03);
	put16(f, 0x0000); put8(f, 0x00); put8(f, 0x00); put8(f, 0x00);
	put16(f, 0x8000); put(f, src, 6); put(f, "\0\0\0\0", 4);
	put16(f, 0x8000); put(f, src, 6); put16(f, 0x8001);
	put16(f, 0); put16(f, 20 * 256); put16(f, 2 * 256); put16(f, 15 * 256);
	finish(f++, tag, (*i)++, 60);

	/* LLDPDU: chassis id, port id, TTL, end */
	eth(f, "lldp", lldp, src, 0x88cc);
	put16(f, (1 << 9) | 7); put8(f, 4); put(f, src, 6);
	put16(f, (2 << 9) | 5); put8(f, 5); put(f, "eth1", 4);
	put16(f, (3 << 9) | 2); put16(f, 120);
	put16(f, 0);
	finish(f++, tag, (*i)++, 60);

	/* EAPOL-Start */
	eth(f, "eapol", pae, src, 0x888e);
	put8(f, 0x02); put8(f, 0x01); put16(f, 0);
	finish(f++, tag, (*i)++, 60);

	/* MAC PAUSE, quanta 0xffff */
	eth(f, "pause", pause, src, 0x8808);
	put16(f, 0x0001); put16(f, 0xffff);
	finish(f++, tag, (*i)++, 60);
	return f;
}

/* Tagged and minimal frames: 802.1Q, QinQ, the 60-byte minimum */
static struct test_frame *build_tagged_frames(struct test_frame *f,
					      const uint8_t src[6],
					      uint8_t tag, uint8_t *i)
{
	static const uint8_t foreign[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };

	/* 802.1Q, VID 100, PCP 3 */
	eth(f, "8021q", foreign, src, 0x8100);
	put16(f, (3 << 13) | 100); put16(f, 0x0800); ipv4(f, 8);
	finish(f++, tag, (*i)++, 64);

	/* QinQ: 802.1ad S-tag VID 200, C-tag VID 100 */
	eth(f, "qinq", foreign, src, 0x88a8);
	put16(f, 200); put16(f, 0x8100); put16(f, 100); put16(f, 0x0800);
	ipv4(f, 8);
	finish(f++, tag, (*i)++, 68);

	/* The smallest legal frame: 60 bytes without FCS */
	eth(f, "min-60", foreign, src, 0x88b5);
	finish(f, tag, (*i)++, 60);
	return f + 1;
}

/* Multicast, broadcast, unknown ethertype, foreign unicast, jumbo */
static struct test_frame *build_other_frames(struct test_frame *f,
					     const uint8_t src[6], uint8_t tag,
					     uint8_t *i, unsigned int jumbo_mtu)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t v6mc[6] = { 0x33, 0x33, 0, 0, 0, 0x01 };
	static const uint8_t foreign[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };

	/* IPv6 multicast to all-nodes */
	eth(f, "ipv6-mcast", v6mc, src, 0x86dd);
	put8(f, 0x60); fill(f, 0, 3); put16(f, 8); put8(f, 59); put8(f, 1);
	put8(f, 0xfe); put8(f, 0x80); fill(f, 0, 13); put8(f, 1);
	put8(f, 0xff); put8(f, 0x02); fill(f, 0, 13); put8(f, 1);
	finish(f++, tag, (*i)++, 60);

	/* Broadcast ARP request */
	eth(f, "broadcast-arp", bcast, src, 0x0806);
	put16(f, 1); put16(f, 0x0800); put8(f, 6); put8(f, 4); put16(f, 1);
	put(f, src, 6); put(f, "\x0a\x00\x00\x01", 4);
	fill(f, 0, 6); put(f, "\x0a\x00\x00\x02", 4);
	finish(f++, tag, (*i)++, 60);

	/* An ethertype nobody registered */
	eth(f, "unknown-type", foreign, src, 0x1234);
	fill(f, 0x5a, 100);
	finish(f++, tag, (*i)++, 60);

	/* Unicast IPv4 to a MAC that is nobody's here */
	eth(f, "foreign-ucast", foreign, src, 0x0800);
	ipv4(f, 64 + 8); fill(f, 0xa5, 64);
	finish(f++, tag, (*i)++, 60);

	if (jumbo_mtu >= 9000) {
		/* A frame as large as the MTU allows */
		eth(f, "jumbo", foreign, src, 0x88b5);
		finish(f, tag, (*i)++, 0);
		fill(f, 0x6b, 14 + jumbo_mtu - f->len);
		f++;
	}
	return f;
}

/* See frames.h */
size_t frames_build(struct test_frame *frames, const uint8_t src[6],
		    uint8_t tag, unsigned int jumbo_mtu)
{
	struct test_frame *f = frames;
	uint8_t i = 0;

	f = build_group_frames(f, src, tag, &i);
	f = build_tagged_frames(f, src, tag, &i);
	f = build_other_frames(f, src, tag, &i, jumbo_mtu);
	return (size_t)(f - frames);
}

/* See frames.h */
int frames_marker_of(const uint8_t *buf, size_t len, uint8_t tag)
{
	size_t m = sizeof(marker) - 1, i;

	for (i = 14; i + m + 2 <= len; i++)
		if (!memcmp(buf + i, marker, m) && buf[i + m] == tag)
			return buf[i + m + 1];
	return -1;
}
