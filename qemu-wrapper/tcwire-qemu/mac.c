/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - stable MAC addresses for the VM's data NICs
 *
 * vrnetlab draws random MACs at every boot, so a restarted router shows up
 * with new MACs: ARP caches, LLDP neighbours and LACP system ids change. We
 * derive them from the node's name instead. Collisions: NICs of one node
 * never collide (distinct last byte). Two nodes collide only if 36 bits of
 * their names' SHA-256 agree: for a lab of 1000 nodes the chance that any
 * pair does is about n^2/2^37 = 7e-6.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "mac.h"

/* See mac.h */
void mac_derive(const char *seed, unsigned int position, uint8_t mac[6])
{
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	uint8_t h[32];
	gsize len = sizeof(h);

	g_checksum_update(sum, (const guchar *)seed, (gssize)strlen(seed));
	g_checksum_get_digest(sum, h, &len);
	g_checksum_free(sum);

	mac[0] = (uint8_t)((h[0] & 0xf0) | 0x02);
	memcpy(mac + 1, h + 1, 4);
	mac[5] = (uint8_t)position;
}

/* See mac.h */
bool mac_from_partner(uint8_t mac[6], const struct monitored_link *partner)
{
	static const uint8_t zero[6];

	if (!partner->has_address || (partner->address[0] & 0x01) ||
	    !memcmp(partner->address, zero, sizeof(zero)))
		return false;
	memcpy(mac, partner->address, 6);
	return true;
}

/* See mac.h */
char *mac_format(const uint8_t mac[6], char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
