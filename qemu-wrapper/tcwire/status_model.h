/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - what one network namespace holds, and the wires in it
 *
 * Plain data, no libnl: status_snapshot.c fills a struct status_snapshot
 * from kernel dumps, status_classify.c turns it into wires with a state and
 * findings, the output files print them. Unit tests build snapshots by
 * hand.
 */
#ifndef TCWIRE_STATUS_MODEL_H
#define TCWIRE_STATUS_MODEL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "Not reported by the kernel" for tun queue counts */
#define STATUS_QUEUES_UNKNOWN	(~0U)

/**
 * struct status_counters - Counters of one mirred redirect action
 * @packets:	Frames the action redirected (tc's "pkt")
 * @bytes:	Their bytes as tc counts them (without the Ethernet header)
 * @drops:	Frames it dropped
 * @overlimits:	Frames it could not deliver (target down or gone)
 */
struct status_counters {
	uint64_t packets;
	uint64_t bytes;
	uint64_t drops;
	uint64_t overlimits;
};

/**
 * struct status_link_stats - One direction's counters of a device, as in
 *			      ip -s (its dropped count is in struct status_link)
 * @packets:	Frames
 * @bytes:	Bytes
 * @errors:	Errors
 */
struct status_link_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t errors;
};

/**
 * struct status_link - One network device and what sits on it
 * @ifindex:		Index
 * @name:		Name
 * @kind:		Link kind ("veth", "tun", "bridge", ...), "" if none
 * @mtu:		MTU
 * @up:			Administratively up (IFF_UP)
 * @carrier:		Has carrier (IFLA_CARRIER)
 * @master:		Index of its master device (a bridge), 0 if none
 * @master_name:	Name of that device
 * @peer_ifindex:	A veth's peer (IFLA_LINK), 0 if not a veth or unknown
 * @peer_elsewhere:	The peer lives in another network namespace
 * @peer_netnsid:	Then, that namespace's id as seen from here
 * @peer_mtu:		The peer's MTU, 0 when unknown (another namespace
 *			that we may not look into)
 * @peer_name:		The peer's name, "" when unknown
 * @for_partner:	A tcwire tap: the partner its alias names (the helper
 *			sets "tcwire:eth3", its owner cannot change it), ""
 *			when none
 * @persistent_wire:	That alias is the mark of tcwire wire: a persistent
 *			tap for a libvirt system-mode VM (wire_model.h)
 * @peer_netns:		When elsewhere, the name of the peer's namespace in
 *			/run/netns ("ip netns add"), "" when it has none
 * @flags:		Its IFF_* flags
 * @operstate:		Its IF_OPER_* state
 * @address:		Its MAC as "aa:bb:cc:dd:ee:ff", "" if it has none
 * @rx:			Receive counters
 * @tx:			Transmit counters
 * @tx_dropped:		Frames the device dropped on transmit (for a tap:
 *			frames the VM did not read in time)
 * @rx_dropped:		Frames it dropped on receive
 * @tun_persist:	A tun/tap with IFF_PERSIST
 * @tun_queues:		Attached queues of a multiqueue tap, else
 *			STATUS_QUEUES_UNKNOWN
 * @tun_disabled:	Held but detached queues of a multiqueue tap, else
 *			STATUS_QUEUES_UNKNOWN
 * @ingress_hook:	It has an ingress or clsact qdisc
 * @qdisc:		Kind of its root qdisc, "" if none was reported
 * @qdisc_fq:		An fq qdisc sits somewhere in its egress tree
 * @qdisc_drops:	Drops counted by its egress qdiscs
 * @wired:		A tcwire redirect sits on its ingress hook
 * @target:		Where that redirect goes; 0 once the target is gone
 * @act:		That redirect's counters
 * @foreign:		A filter that is not tcwire's sits at tcwire's
 *			priority on its ingress hook
 */
struct status_link {
	int ifindex;
	char name[IFNAMSIZ];
	char kind[16];
	unsigned int mtu;
	bool up;
	bool carrier;
	int master;
	char master_name[IFNAMSIZ];
	int peer_ifindex;
	bool peer_elsewhere;
	int peer_netnsid;
	unsigned int peer_mtu;
	char peer_name[IFNAMSIZ];
	char for_partner[IFNAMSIZ];
	bool persistent_wire;
	char peer_netns[256];
	unsigned int flags;
	uint8_t operstate;
	char address[18];
	struct status_link_stats rx, tx;
	uint64_t tx_dropped;
	uint64_t rx_dropped;
	bool tun_persist;
	unsigned int tun_queues;
	unsigned int tun_disabled;
	bool ingress_hook;
	char qdisc[16];
	bool qdisc_fq;
	uint64_t qdisc_drops;
	bool wired;
	int target;
	struct status_counters act;
	bool foreign;
};

/**
 * struct status_snapshot - The devices of one network namespace
 * @links:	Devices, in the kernel's dump order
 * @n:		Number of devices
 */
struct status_snapshot {
	struct status_link *links;
	size_t n;
};

/*
 * States of a wire, in the order of precedence: a wire has the first that
 * applies. STATUS_OK, STATUS_BRIDGE, STATUS_WAITING and STATUS_STOPPED are
 * the healthy ones.
 */
enum status_state {
	STATUS_FOREIGN,		/* somebody else's filter at our priority */
	STATUS_STALE,		/* a redirect to a device that is gone */
	STATUS_ORPHAN,		/* a persistent tcw tap with no holder */
	STATUS_ONE_WAY,		/* one of the two redirects is missing */
	STATUS_UNWIRED,		/* a tcw tap with neither redirect nor bridge */
	STATUS_DOWN,		/* partner or tap without carrier */
	STATUS_MTU_MISMATCH,	/* tap, partner and peer MTUs differ */
	STATUS_WAITING,		/* a supervised tap waits for its partner */
	STATUS_STOPPED,		/* a persistent wire (tcwire wire), VM stopped */
	STATUS_BRIDGE,		/* bridge mode: the tap is a bridge port */
	STATUS_OK,		/* both directions present and live */
	STATUS_N_STATES
};

/* What can be wrong with a wire: bits of struct status_wire.findings */
enum status_finding {
	STATUS_F_FOREIGN,		/* foreign filter at our priority */
	STATUS_F_TAP_GONE,	/* partner redirects to a deleted device */
	STATUS_F_PARTNER_GONE,	/* tap redirects to a deleted device */
	STATUS_F_ORPHAN,		/* persistent tcw tap, nobody holds it */
	STATUS_F_NO_TO_VM,	/* partner -> tap redirect missing */
	STATUS_F_NO_FROM_VM,	/* tap -> partner redirect missing */
	STATUS_F_UNWIRED,		/* tcw tap, no redirect, no bridge */
	STATUS_F_PARTNER_DOWN,	/* partner administratively down */
	STATUS_F_PARTNER_NO_CARRIER, /* partner up, no carrier (peer down) */
	STATUS_F_TAP_DOWN,	/* tap administratively down */
	STATUS_F_TAP_NO_CARRIER,	/* tap up, no carrier (no queue attached) */
	STATUS_F_MTU_MISMATCH,	/* tap MTU != partner MTU */
	STATUS_F_PEER_MTU,	/* partner MTU < its veth peer's */
	STATUS_F_PARTNER_BRIDGED,	/* partner is a bridge port */
	STATUS_F_TAP_FQ,		/* fq qdisc on the tap */
	STATUS_F_TAP_QDISC_DROPS,	/* the tap's qdisc dropped frames */
	STATUS_F_TAP_QUEUE_DROPS,	/* the VM did not read frames in time */
	STATUS_N_FINDINGS
};

/**
 * struct status_owner - The process holding a tap, from /proc/PID/fdinfo
 * @pid:	Process id, 0 when unknown (not found or not readable)
 * @comm:	Its name (/proc/PID/comm)
 * @supervised:	A tcwire-qemu holds the tap too (it re-wires it when its
 *		partner comes back)
 */
struct status_owner {
	int pid;
	char comm[16];
	bool supervised;
};

/* The two directions of a wire */
enum status_dir {
	STATUS_TO_VM,		/* partner -> tap */
	STATUS_FROM_VM,		/* tap -> partner */
	STATUS_N_DIRS
};

/**
 * struct status_flow - The counters of one direction of a wire
 * @present:	The redirect of this direction exists
 * @act:	Its mirred action's counters
 * @qdisc_drops: Drops in the egress qdiscs of the device it sends to
 * @dev_drops:	Drops of the devices on the way: to the VM, the tap's
 *		transmit drops (the VM did not read in time); from the VM,
 *		the tap's receive drops plus the partner's transmit drops
 * @drops:	All of them: action drops and overlimits, qdisc and device
 *		drops
 */
struct status_flow {
	bool present;
	struct status_counters act;
	uint64_t qdisc_drops;
	uint64_t dev_drops;
	uint64_t drops;
};

/**
 * struct status_wire - A wire (or what is left of one) and what is wrong
 * @partner:	The partner device, NULL when gone
 * @tap:	The tap, NULL when gone or never there
 * @bridge:	Bridge mode: the bridge the tap is a port of, else NULL
 * @to_vm:	The partner -> tap redirect exists
 * @from_vm:	The tap -> partner redirect exists
 * @state:	The state shown
 * @findings:	Bit set of enum status_finding
 * @owner:	Who holds the tap
 * @have_rates:	@rates is set (tcwire status --watch)
 * @rates:	Per direction: packets, bytes and drops per second
 */
struct status_wire {
	const struct status_link *partner;
	const struct status_link *tap;
	const struct status_link *bridge;
	bool to_vm;
	bool from_vm;
	enum status_state state;
	uint32_t findings;
	struct status_owner owner;
	bool have_rates;
	double rates[STATUS_N_DIRS][3];
};

/**
 * struct status_report - The wires of one snapshot
 * @wires:	Sorted by partner name (taps without partner last)
 * @n:		Number of wires
 */
struct status_report {
	struct status_wire *wires;
	size_t n;
};

/**
 * struct status_netns - One network namespace as status shows it
 * @label:	Its name for --all ("r1", "container clab-lab-r1 (pid 41)"),
 *		NULL for the namespace tcwire runs in
 * @enter:	Command prefix that runs a command in it, for doctor's fixes
 *		("ip netns exec r1", "nsenter -t 41 -n"), NULL for our own
 * @ino:	Inode of its namespace file (nsfs), to match processes
 * @snap:	Its devices
 * @report:	Its wires
 * @error:	Negative errno when it could not be read, else 0
 * @error_msg:	Then, the one-line reason
 */
struct status_netns {
	char *label;
	char *enter;
	uint64_t ino;
	struct status_snapshot snap;
	struct status_report report;
	int error;
	char *error_msg;
};

/* Whether @w has finding @f */
static inline bool status_has(const struct status_wire *w, enum status_finding f)
{
	return w->findings & (1U << f);
}

#endif /* TCWIRE_STATUS_MODEL_H */
