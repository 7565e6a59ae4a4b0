/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - which NIC goes where: positions, placeholders, PCI layout
 *
 * A router image numbers its ports by the order its NICs appear on the PCI
 * bus. To keep "ethK of the container is port K of the router" true:
 *  - NIC position K serves partner ethK; a partner missing below the
 *    highest present one gets a placeholder NIC at its position;
 *  - every data NIC sits behind tcwire's own pci-bridges, 28 per bridge,
 *    at fixed slots. The guest enumerates the root bus (where the user's
 *    own devices, e.g. a management NIC, live) before the bridges' buses,
 *    so data NICs come after them, in position order, however many there
 *    are (128 fit on 5 bridges).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if_tun.h>

#include "client/fd_passing.h"
#include "mac.h"
#include "nic_plan.h"

/* See nic_plan.h */
void nic_plan_init(struct nic_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
}

/**
 * nic_slot_init() - A NIC without fds: every fd -1
 * @s:		NIC
 */
static void nic_slot_init(struct nic_slot *s)
{
	size_t q;

	memset(s, 0, sizeof(*s));
	for (q = 0; q < TCW_MAX_FDS; q++)
		s->fds[q] = -1;
}

/* See nic_plan.h */
void nic_slot_take_fds(struct nic_slot *s, const int *fds, size_t n)
{
	struct ifreq ifr;

	nic_slot_close_fds(s);
	memcpy(s->fds, fds, n * sizeof(int));
	s->n_fds = n;
	memset(&ifr, 0, sizeof(ifr));
	if (n && ioctl(fds[0], TUNGETIFF, &ifr) == 0)
		memcpy(s->tap, ifr.ifr_name, IFNAMSIZ - 1);
}

/* See nic_plan.h */
void nic_slot_close_fds(struct nic_slot *s)
{
	tcw_fds_close(s->fds, TCW_MAX_FDS);
	s->n_fds = 0;
	s->tap[0] = '\0';
}

/* Position @position of the layout: bridge, slot and MAC */
static void nic_slot_place(struct nic_slot *s, unsigned int position,
			   const char *mac_seed)
{
	nic_slot_init(s);
	s->position = position;
	mac_derive(mac_seed, position, s->mac);
	s->bridge = (position - 1) / NIC_PLAN_NICS_PER_BRIDGE + 1;
	s->pci_slot = (position - 1) % NIC_PLAN_NICS_PER_BRIDGE + 1;
}

/* See nic_plan.h */
int nic_plan_build(struct nic_plan *plan, const char *const *partners,
		   size_t n_partners, unsigned int slots, const char *mac_seed)
{
	size_t n = n_partners > slots ? n_partners : slots, i;

	nic_plan_init(plan);
	if (n > MAC_MAX_POSITION)
		return -E2BIG;
	/* Room for every position, so that a NIC never moves in memory */
	plan->nics = calloc(MAC_MAX_POSITION, sizeof(*plan->nics));
	if (!plan->nics)
		return -ENOMEM;
	plan->mac_seed = mac_seed;
	nic_plan_extend(plan, (unsigned int)n);
	for (i = 0; i < n; i++) {
		struct nic_slot *s = &plan->nics[i];

		s->state = NIC_PLACEHOLDER;
		if (i < n_partners && partners[i]) {
			strncpy(s->partner, partners[i], IFNAMSIZ - 1);
			s->state = NIC_WIRED;
		}
	}
	plan->n_bridges = n ? plan->nics[n - 1].bridge : 0;
	return 0;
}

/* See nic_plan.h */
struct nic_slot *nic_plan_extend(struct nic_plan *plan, unsigned int position)
{
	if (position < 1 || position > MAC_MAX_POSITION)
		return NULL;
	while (plan->n < position) {
		nic_slot_place(&plan->nics[plan->n], (unsigned int)plan->n + 1,
			       plan->mac_seed);
		plan->n++;
	}
	return &plan->nics[position - 1];
}

/* See nic_plan.h */
void nic_plan_free(struct nic_plan *plan)
{
	free(plan->nics);
	memset(plan, 0, sizeof(*plan));
}
