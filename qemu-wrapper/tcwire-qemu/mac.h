/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - stable MAC addresses for the VM's data NICs
 */
#ifndef TCWIRE_MAC_H
#define TCWIRE_MAC_H

#include <stdbool.h>
#include <stdint.h>

#include "live/link_monitor.h"

/* Most NIC positions a VM can have: the position is the MAC's last byte */
#define MAC_MAX_POSITION	255

/**
 * mac_derive() - The MAC of NIC @position of the node named @seed
 * @seed:	Node identity (--mac-seed, default the hostname)
 * @position:	NIC position, 1 to MAC_MAX_POSITION
 * @mac:	Result
 *
 * mac = [h0 & 0xf0 | 0x02] [h1] [h2] [h3] [h4] [position], where h is the
 * SHA-256 of @seed. Locally administered, unicast, never 0xfe in the first
 * byte (tcwire's taps). The same seed gives the same MACs on every boot;
 * NICs of one node differ in the last byte; nodes differ in 36 hashed bits.
 */
void mac_derive(const char *seed, unsigned int position, uint8_t mac[6]);

/**
 * mac_from_partner() - Give a NIC its partner's MAC (--partner-mac)
 * @mac:	The NIC's MAC: replaced by @partner's if that is usable
 * @partner:	The container interface wired to the NIC
 *
 * Links that filter by MAC (macvlan, containerlab#1814) pass only frames
 * of the container interface's own address. Usable: an Ethernet address,
 * unicast, not all zeroes; else @mac is kept (the derived one).
 *
 * Return: true if @mac is now the partner's
 */
bool mac_from_partner(uint8_t mac[6], const struct monitored_link *partner);

/**
 * mac_format() - "02:ab:cd:ef:01:02"
 * @mac:	Address
 * @buf:	At least 18 bytes
 *
 * Return: @buf
 */
char *mac_format(const uint8_t mac[6], char *buf);

#endif
