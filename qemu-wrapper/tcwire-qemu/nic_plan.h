/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - which NIC goes where: positions, placeholders, PCI layout
 */
#ifndef TCWIRE_NIC_PLAN_H
#define TCWIRE_NIC_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "client/fd_passing.h"

/* Data NICs per pci-bridge (slots 1..28 of each bridge) */
#define NIC_PLAN_NICS_PER_BRIDGE	28

/**
 * struct nic_slot - One NIC position of the VM
 * @position:	1-based position; guest NIC order follows it
 * @partner:	Container interface wired to it (or reserved for it); "" for
 *		a placeholder
 * @mac:	Guest MAC (mac_derive())
 * @bridge:	1-based pci-bridge the NIC sits on
 * @pci_slot:	Slot on that bridge, 1 to NIC_PLAN_NICS_PER_BRIDGE
 * @mtu:	Partner's MTU when the NIC was made (virtio host_mtu), 0 if
 *		unknown
 * @fds:	Tap fds from the helper (one per queue), -1 where none
 * @n_fds:	Number of @fds in use
 * @tap:	The tap's name (TUNGETIFF), "" without fds
 * @in_vm:	qemu has this NIC (from its command line or hot-added)
 * @partner_ifindex:	Partner the tap is wired to now, 0 if none (gone)
 * @link_up:	Link state qemu was last told (qemu starts NICs up)
 * @busy:	A hot-add or re-wire of this NIC is under way
 * @failed_ifindex:	Partner ifindex whose hot-add or re-wire failed:
 *			not retried until the partner is created again
 * @reserved:	A slot: its tap was reserved for @partner, missing at boot
 *		(tcwire-helper --reserve), and it has not been wired yet
 */
struct nic_slot {
	unsigned int position;
	char partner[IFNAMSIZ];
	uint8_t mac[6];
	unsigned int bridge;
	unsigned int pci_slot;
	unsigned int mtu;
	int fds[TCW_MAX_FDS];
	size_t n_fds;
	char tap[IFNAMSIZ];
	bool in_vm;
	int partner_ifindex;
	bool link_up;
	bool busy;
	int failed_ifindex;
	bool reserved;
};

/**
 * struct nic_plan - Every NIC of the VM, in position order
 * @nics:	NICs, nics[i].position == i + 1; room for MAC_MAX_POSITION,
 *		so pointers to NICs stay valid when the plan grows
 * @n:		Positions laid out (in the VM or not)
 * @n_bridges:	pci-bridges on qemu's command line
 * @mac_seed:	Seed of the MACs (not owned)
 */
struct nic_plan {
	struct nic_slot *nics;
	size_t n;
	unsigned int n_bridges;
	const char *mac_seed;
};

/**
 * nic_plan_init() - An empty plan, safe to free
 * @plan:	Plan
 */
void nic_plan_init(struct nic_plan *plan);

/**
 * nic_slot_take_fds() - Give a NIC the tap fds from the helper
 * @s:		NIC; fds it held before are closed; @s->tap is set
 * @fds:	Tap fds, one per queue
 * @n:		Number of @fds, at most TCW_MAX_FDS
 */
void nic_slot_take_fds(struct nic_slot *s, const int *fds, size_t n);

/**
 * nic_slot_close_fds() - Close a NIC's tap fds and set them to -1
 * @s:		NIC
 */
void nic_slot_close_fds(struct nic_slot *s);

/**
 * nic_plan_build() - Lay out NICs for a set of partners
 * @plan:	Result, every fd -1; free with nic_plan_free()
 * @partners:	Partner names by position: partners[i] is position i + 1,
 *		NULL for a gap that gets a placeholder NIC
 * @n_partners:	Length of @partners
 * @slots:	Minimum number of positions (--slots); trailing positions
 *		beyond @n_partners become placeholders
 * @mac_seed:	Seed of the MACs; must outlive the plan
 *
 * Every position gets in_vm set: a wired NIC or a placeholder.
 *
 * Return: 0, or -E2BIG if more than MAC_MAX_POSITION positions
 */
int nic_plan_build(struct nic_plan *plan, const char *const *partners,
		   size_t n_partners, unsigned int slots, const char *mac_seed);

/**
 * nic_plan_extend() - Lay out positions up to @position (not in the VM)
 * @plan:	Built plan
 * @position:	1 to MAC_MAX_POSITION
 *
 * Return: NIC @position, or NULL if out of range
 */
struct nic_slot *nic_plan_extend(struct nic_plan *plan, unsigned int position);

/**
 * nic_plan_free() - Free a plan (does not close fds)
 * @plan:	Plan
 */
void nic_plan_free(struct nic_plan *plan);

#endif
