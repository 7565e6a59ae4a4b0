/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - keeping the VM's NICs true to the container's links
 */
#ifndef TCWIRE_LIVE_LINKS_H
#define TCWIRE_LIVE_LINKS_H

#include <stdbool.h>

#include <glib.h>

#include "live/live_state.h"

/**
 * live_links_start() - Start mirroring links into the running VM
 * @lv:		State to fill
 * @plan:	NICs qemu was started with; wired ones have partner_ifindex
 * @o:		Options
 * @links:	Link monitor (not owned)
 * @qmp_fd:	Our end of qemu's QMP monitor socket (owned from now on)
 * @sup:	Supervisor whose reaper delivers the helpers' exit status
 *
 * Runs one reconcile pass at once (placeholders and partners that are
 * down get their links set down) and another after every batch of link
 * events.
 */
void live_links_start(struct live_links *lv, struct nic_plan *plan,
		      const struct wrapper_options *o,
		      struct link_monitor *links, int qmp_fd,
		      struct supervisor *sup);

/**
 * live_links_stop() - Remove the sources and close the QMP client
 * @lv:		State
 */
void live_links_stop(struct live_links *lv);

#endif
