/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - re-wire mode: an existing tap to a recreated partner
 */
#ifndef TCWIRE_REWIRE_H
#define TCWIRE_REWIRE_H

#include <net/if.h>

#include "client/error.h"
#include "wire/netlink.h"

/* How long the caller has to send the tap fd, in seconds */
#define REWIRE_RECV_TIMEOUT_S	5

/**
 * struct rewire_tap - The caller's tap, as its fd describes it
 * @fd:		The fd the caller sent, -1 when none
 * @name:	Its name (TUNGETIFF), in tcwire's tap pattern once checked
 */
struct rewire_tap {
	int fd;
	char name[IFNAMSIZ];
};

/**
 * rewire_tap_init() - No fd yet
 * @t:		Tap
 */
void rewire_tap_init(struct rewire_tap *t);

/**
 * rewire_receive_tap() - Receive the one tap fd the caller sends
 * @sock:	--fd socket
 * @t:		Filled with the fd (close-on-exec)
 * @err:	Filled on failure
 *
 * Waits at most REWIRE_RECV_TIMEOUT_S. Exactly one fd must come.
 *
 * Return: 0 or negative errno
 */
int rewire_receive_tap(int sock, struct rewire_tap *t, struct tcw_err *err);

/**
 * rewire_check_tap() - Whether the fd is one of tcwire's taps, here
 * @t:		Tap with the received fd; its name is filled in
 * @partner:	Partner name, for messages
 * @err:	Filled on failure
 *
 * TUNGETIFF must say it is a tap (not a tun, not any other file) named in
 * tcwire's pattern (tcw<N>), and TUNGETDEVNETNS must give the network
 * namespace we are in (compared by nsfs inode with SIOCGSKNS of a socket
 * of ours: no /proc needed). Holding such an fd is the proof that the tap
 * is the caller's: only its owner could attach to it. Runs before the
 * seccomp filter (it needs fstat).
 *
 * Return: 0 or negative errno
 */
int rewire_check_tap(struct rewire_tap *t, const char *partner,
		     struct tcw_err *err);

/**
 * rewire_tap_to_partner() - Replace the tap's stale wire by one to @partner
 * @nl:		rtnetlink socket
 * @t:		Checked tap
 * @partner:	Partner name (checked by the ACL)
 * @err:	Filled on failure
 *
 * Under the wire locks of the tap and of the partner: the partner is
 * inspected as for a new wire (wiring_partner_inspect(); a bridge is
 * refused); if the two are already wired to each other nothing is done;
 * otherwise tc_wire_clear_stale() removes stale wires on both (and
 * refuses when either is live-wired to another device), the tap gets the
 * partner's MTU, tc_wire_add() adds both redirects and the partner is
 * brought up. On failure what was added is removed again.
 *
 * Return: 0 or negative errno
 */
int rewire_tap_to_partner(struct tcw_nl *nl, const struct rewire_tap *t,
			  const char *partner, struct tcw_err *err);

/**
 * rewire_tap_close() - Close the received fd
 * @t:		Tap
 */
void rewire_tap_close(struct rewire_tap *t);

#endif /* TCWIRE_REWIRE_H */
