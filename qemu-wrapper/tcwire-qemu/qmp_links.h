/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - setting NIC links down through qemu's QMP monitor
 */
#ifndef TCWIRE_QMP_LINKS_H
#define TCWIRE_QMP_LINKS_H

#include "client/error.h"

/**
 * qmp_links_down_start() - Have qemu start with some NICs' links down
 * @nic_ids:	qemu device ids (NULL-terminated) to set link-down
 * @qemu_fd:	Set to the socket qemu gets as its QMP monitor
 *		(-chardev socket,id=tcwqmp,fd=N -mon chardev=tcwqmp,mode=control);
 *		close-on-exec is cleared on it
 * @err:	Filled on failure
 *
 * qemu has no command-line option for a NIC's link state, only QMP's
 * set_link. So: a socketpair, one end for qemu's monitor, the other for a
 * small detached process (double fork, so it is nobody's zombie) that
 * waits for qemu's greeting, sends qmp_capabilities and one set_link
 * up=false per id, and exits, which leaves qemu's monitor closed. It holds
 * no fd but its socket end (and stderr), so taps never outlive qemu, and
 * gives up after 60 s. This runs before the guest boots its kernel; a
 * later supervising mode would keep this channel open instead.
 *
 * Return: 0 or negative errno
 */
int qmp_links_down_start(char **nic_ids, int *qemu_fd, struct tcw_err *err);

#endif
