/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - re-wiring a NIC's tap to its recreated partner
 *
 * When a peer container is redeployed, the container's ethK is deleted and
 * created again with a new ifindex. The tap, the NIC and the guest are
 * unchanged; only the two redirects must point at the new ethK. That is
 * the helper's job (it alone may change tc state): tcwire-qemu runs it in
 * re-wire mode and sends it the tap fd, which the helper checks (a tcwire
 * tap, in our network namespace) before it replaces the redirects.
 */
#include "client/helper_client.h"
#include "log.h"
#include "live/partner_rewire.h"

/* See rewire.h */
int rewire_nic(struct live_links *lv, struct nic_slot *s,
	       const struct monitored_link *l)
{
	struct tcw_err err = { "" };
	int rc;

	rc = tcw_helper_rewire(lv->o->helper, l->name, s->fds[0], &err);
	if (rc) {
		log_msg("%s: created again but not re-wired: %s", l->name,
			 err.msg);
		s->failed_ifindex = l->ifindex;
		return rc;
	}
	s->partner_ifindex = l->ifindex;
	s->failed_ifindex = 0;
	return 0;
}
