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

struct mgmt_nic;

/* Data NICs per pci-bridge (slots 1..28 of each bridge) */
#define NIC_PLAN_NICS_PER_BRIDGE	28

/**
 * enum nic_state - Where a NIC position stands: one state per NIC, changed
 *		    in one place per event (live/live_links.c, and the
 *		    re-wire and hot-add it starts)
 * @NIC_ABSENT:		No NIC in the VM at this position (beyond the plan)
 * @NIC_PLACEHOLDER:	A NIC without tap (--no-supervise, or a position
 *			that stands for no name), link down
 * @NIC_SLOT:		A tap reserved at boot for a partner that has not
 *			been there yet, link down
 * @NIC_WIRED:		A tap wired to @partner_ifindex
 * @NIC_WAITING:	A tap whose partner was deleted, link down
 * @NIC_REWIRING:	The helper wires a slot's or a waiting NIC's tap
 * @NIC_HOTPLUGGING:	A hot-add is under way (the helper, then QMP)
 */
enum nic_state {
	NIC_ABSENT,
	NIC_PLACEHOLDER,
	NIC_SLOT,
	NIC_WIRED,
	NIC_WAITING,
	NIC_REWIRING,
	NIC_HOTPLUGGING,
};

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
 * @state:	Where the NIC stands (enum nic_state)
 * @partner_ifindex:	The partner the tap is wired to (NIC_WIRED), else 0
 * @failed_ifindex:	Partner ifindex whose hot-add or re-wire failed:
 *			not retried until the partner is created again
 * @link_up:	Link state qemu was last told (qemu starts NICs up): qemu's
 *		side, followed apart from @state
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
	enum nic_state state;
	int partner_ifindex;
	int failed_ifindex;
	bool link_up;
};

/**
 * nic_in_vm() - Whether qemu has a NIC at this position
 * @s:		NIC
 *
 * Return: true for every state but NIC_ABSENT (and NIC_HOTPLUGGING, whose
 *	   NIC is on its way)
 */
static inline bool nic_in_vm(const struct nic_slot *s)
{
	return s->state != NIC_ABSENT && s->state != NIC_HOTPLUGGING;
}

/**
 * struct nic_plan - Every NIC of the VM, in position order
 * @nics:	NICs, nics[i].position == i + 1; room for MAC_MAX_POSITION,
 *		so pointers to NICs stay valid when the plan grows
 * @n:		Positions laid out (in the VM or not)
 * @n_bridges:	pci-bridges on qemu's command line
 * @mac_seed:	Seed of the MACs (not owned)
 * @mgmt:	The management passthrough's NIC (mgmt.c), NULL if none
 *		(not owned)
 */
struct nic_plan {
	struct nic_slot *nics;
	size_t n;
	unsigned int n_bridges;
	const char *mac_seed;
	const struct mgmt_nic *mgmt;
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
 * Every position is in the VM: NIC_WIRED with a partner (its tap still to
 * come), else NIC_PLACEHOLDER.
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
