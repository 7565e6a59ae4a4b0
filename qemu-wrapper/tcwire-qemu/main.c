/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - start a VM router with one wired NIC per container interface
 *
 * Usage: tcwire-qemu [OPTIONS] -- qemu-system-x86_64 [ARGS...]
 *
 * Runs unprivileged inside the router's container:
 *  1. subscribe to link events (link_monitor.c), decide which data
 *     interfaces the VM gets and wait for them (iface_wait.c), with a
 *     timeout that names what is missing;
 *  2. lay out NIC positions, placeholders, MACs and pci-bridges
 *     (nic_plan.c);
 *  3. get each interface's tap fd(s) from tcwire-helper over qemu's own
 *     socketpair protocol (helper/client/helper_client.c);
 *  4. start qemu with the fds inherited and named on its command line
 *     (qemu_argv.c), and a QMP monitor on a socketpair:
 *     - by default as our child (supervisor.c): signals are forwarded, we
 *       exit with qemu's status, and the VM's links follow the container's
 *       (live_links.c: link state, re-wiring, hot-adding), on the same
 *       link-event socket that step 1 opened, so no change is missed;
 *     - with --no-supervise by exec, as a plain wrapper: placeholder NICs
 *       get their link set down by a short-lived QMP process
 *       (qmp_links.c), and nothing follows the links afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib.h>

#include "config.h"
#include "client/close_fds.h"
#include "client/helper_client.h"
#include "iface_wait.h"
#include "live/link_monitor.h"
#include "live/live_links.h"
#include "log.h"
#include "mac.h"
#include "nic_plan.h"
#include "options.h"
#include "qemu_argv.h"
#include "qmp_links.h"
#include "supervisor.h"

/**
 * struct wrapper_run - What one run holds: every fd -1 until opened
 * @plan:	NICs and their tap fds
 * @links:	Link monitor, NULL until opened
 * @qmp:	QMP socketpair: [0] ours, [1] qemu's; -1 when not open
 */
struct wrapper_run {
	struct nic_plan plan;
	struct link_monitor *links;
	int qmp[2];
};

/* Nothing open yet */
static void wrapper_run_init(struct wrapper_run *r)
{
	nic_plan_init(&r->plan);
	r->links = NULL;
	r->qmp[0] = r->qmp[1] = -1;
}

/* Print one line and return @status */
static int fail(int status, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static int fail(int status, const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	log_msg("%s", msg);
	return status;
}

/* Close every tap fd collected so far */
static void plan_close_fds(struct nic_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		nic_slot_close_fds(&plan->nics[i]);
}

/* Helpers running at once: wiring is mostly waiting for the kernel */
#define PARALLEL_HELPERS	4

/* Start a helper for each of the @n NICs of @batch, then collect each */
static int get_taps_batch(struct nic_slot **batch, size_t n,
			  const struct wrapper_options *o, struct tcw_err *err)
{
	struct tcw_helper_request req[PARALLEL_HELPERS];
	struct tcw_helper_call call[PARALLEL_HELPERS];
	size_t started, i;
	int rc = 0;

	for (started = 0; started < n; started++) {
		req[started] = (struct tcw_helper_request){
			.helper = o->helper,
			.partner = batch[started]->partner,
			.use_vnet = true,	/* as qemu always asks */
			.queues = o->nic.queues,
			.reserve = batch[started]->state == NIC_SLOT,
		};
		rc = tcw_helper_start(&req[started], &call[started], err);
		if (rc)
			break;
	}
	/* Collect every helper started, also after a failure */
	for (i = 0; i < started; i++) {
		struct tcw_helper_reply reply;
		int r = tcw_helper_finish(&call[i], &reply, rc ? NULL : err);

		if (r == 0)
			nic_slot_take_fds(batch[i], reply.fds, reply.n);
		else if (!rc)
			rc = r;
	}
	return rc;
}

/*
 * Step 3: a tap per wired NIC and per slot from the helper, in batches of up to
 * PARALLEL_HELPERS running side by side (different partners never
 * contend: each has its own lock). The fds stay close-on-exec until qemu
 * is started. On failure the caller closes what was collected.
 */
static int plan_get_taps(struct nic_plan *plan, const struct wrapper_options *o,
			 struct tcw_err *err)
{
	struct nic_slot *batch[PARALLEL_HELPERS];
	size_t i, n = 0;
	int rc;

	for (i = 0; i < plan->n; i++) {
		if (!plan->nics[i].partner[0])
			continue;	/* placeholder */
		batch[n++] = &plan->nics[i];
		if (n < PARALLEL_HELPERS && i + 1 < plan->n)
			continue;
		rc = get_taps_batch(batch, n, o, err);
		if (rc)
			return rc;
		n = 0;
	}
	return n ? get_taps_batch(batch, n, o, err) : 0;
}

/* Let exactly the tap fds through exec */
static void plan_pass_fds(struct nic_plan *plan)
{
	size_t i, q;

	for (i = 0; i < plan->n; i++)
		for (q = 0; q < plan->nics[i].n_fds; q++)
			fcntl(plan->nics[i].fds[q], F_SETFD, 0);
}

/* The tap fds and qemu's end of the QMP socket, for qemu to inherit */
static GArray *qemu_fds(const struct wrapper_run *r)
{
	GArray *fds = g_array_new(FALSE, FALSE, sizeof(int));
	size_t i;

	for (i = 0; i < r->plan.n; i++)
		g_array_append_vals(fds, r->plan.nics[i].fds,
				    (guint)r->plan.nics[i].n_fds);
	g_array_append_val(fds, r->qmp[1]);
	return fds;
}

/*
 * Supervised, a position whose interface is missing at boot is a slot: a
 * real tap NIC reserved for the interface it stands for (ethK, or the K-th
 * name of --interfaces), link down until that interface appears and the
 * tap is re-wired to it (live/live_links.c). No guest hot-plug is needed,
 * so late links work with every guest. A position that stands for no name
 * (beyond --interfaces) stays a placeholder.
 */
static void plan_reserve_slots(struct nic_plan *plan,
			       const struct wrapper_options *o)
{
	size_t i;

	for (i = 0; i < plan->n; i++) {
		struct nic_slot *s = &plan->nics[i];

		if (s->state != NIC_PLACEHOLDER)
			continue;
		if (o->interfaces && i >= g_strv_length(o->interfaces))
			continue;
		if (o->interfaces)
			g_strlcpy(s->partner, o->interfaces[i], sizeof(s->partner));
		else
			g_snprintf(s->partner, sizeof(s->partner), "%s%u",
				   o->prefix, s->position);
		s->state = NIC_SLOT;
	}
}

/* Steps 1-2: wait for the interfaces, lay out the NICs */
static int plan_nics(const struct wrapper_options *o, struct wrapper_run *r)
{
	g_autoptr(GPtrArray) partners = NULL;
	g_autoptr(GPtrArray) assumed = NULL;
	struct iface_request req = { o->interfaces, o->prefix, o->count };
	struct tcw_err err = { "" };
	size_t i;

	if (link_monitor_open(&r->links, &err))
		return fail(EXIT_INTERFACES, "%s", err.msg);
	if (o->print_only) {
		if (iface_plan_now(r->links, &req, &partners, &assumed, &err))
			return fail(EXIT_INTERFACES, "%s", err.msg);
		for (i = 0; i < assumed->len; i++)
			log_msg("--print: %s is not there yet; a real run waits for it",
				(const char *)assumed->pdata[i]);
	} else if (iface_wait(r->links, &req, (int)o->wait_timeout_s * 1000,
			      &partners, &err)) {
		return fail(EXIT_INTERFACES, "%s", err.msg);
	}
	if (nic_plan_build(&r->plan, (const char *const *)partners->pdata,
			   partners->len, o->slots, o->mac_seed))
		return fail(EXIT_USAGE, "more than %d NIC positions",
			    MAC_MAX_POSITION);
	if (!o->no_supervise && !r->plan.n_bridges)
		r->plan.n_bridges = 1;	/* room for hot-added NICs */
	if (!o->no_supervise)
		plan_reserve_slots(&r->plan, o);
	for (i = 0; r->links && i < r->plan.n; i++) {
		struct nic_slot *s = &r->plan.nics[i];
		/* a slot's tap is wired to nothing, whatever is there now */
		const struct monitored_link *l = s->state == NIC_WIRED ?
			link_monitor_find(r->links, s->partner) : NULL;

		if (l) {
			s->partner_ifindex = l->ifindex;
			s->mtu = l->mtu;
			if (o->partner_mac)
				mac_from_partner(s->mac, l);
		}
	}
	return 0;
}

/* --print: the command line, fds shown as {eth1} and {qmp} */
static int print_command(const struct wrapper_options *o,
			 struct wrapper_run *r)
{
	g_auto(GStrv) gaps = qemu_placeholder_ids(&r->plan);
	bool monitor = !o->no_supervise || gaps[0];
	g_autoptr(GPtrArray) qemu = qemu_argv_build(o->qemu_argv, &r->plan,
						    &o->nic, monitor ? 0 : -1,
						    true);
	g_autofree char *line = qemu_argv_shell_quote((char *const *)qemu->pdata);

	printf("%s\n", line);
	return 0;
}

/* Step 4, --no-supervise: become qemu */
static int exec_qemu(const struct wrapper_options *o, struct wrapper_run *r)
{
	g_auto(GStrv) gaps = qemu_placeholder_ids(&r->plan);
	g_autoptr(GPtrArray) qemu = NULL;
	struct tcw_err err = { "" };
	int rc;

	if (gaps[0] && qmp_links_down_start(gaps, &r->qmp[1], &err))
		return fail(EXIT_HELPER, "%s", err.msg);
	qemu = qemu_argv_build(o->qemu_argv, &r->plan, &o->nic, r->qmp[1],
			       false);
	plan_pass_fds(&r->plan);
	execvp(qemu->pdata[0], (char *const *)qemu->pdata);
	rc = errno;
	return fail(rc == ENOENT ? 127 : 126, "%s: cannot execute: %s",
		    (char *)qemu->pdata[0], strerror(rc));
}

/* Step 4: qemu as our child, its links followed until it exits */
static int supervise(const struct wrapper_options *o, struct wrapper_run *r)
{
	g_autoptr(GPtrArray) qemu = NULL;
	g_autoptr(GArray) keep = NULL;
	struct tcw_err err = { "" };
	struct supervisor sup;
	struct live_links lv;
	int status;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, r->qmp) < 0)
		return fail(EXIT_HELPER, "QMP socketpair: %s",
			    strerror(errno));
	qemu = qemu_argv_build(o->qemu_argv, &r->plan, &o->nic, r->qmp[1],
			       false);
	keep = qemu_fds(r);
	supervisor_init(&sup);
	if (supervisor_catch_signals(&sup, &err) ||
	    supervisor_spawn(&sup, (char *const *)qemu->pdata,
			     (const int *)(void *)keep->data, keep->len, &err)) {
		supervisor_cleanup(&sup);
		return fail(EXIT_HELPER, "%s", err.msg);
	}
	close(r->qmp[1]);
	r->qmp[1] = -1;
	live_links_start(&lv, &r->plan, o, r->links, r->qmp[0], &sup);
	r->qmp[0] = -1;		/* the QMP client owns it now */
	status = supervisor_run(&sup);
	live_links_stop(&lv);
	supervisor_cleanup(&sup);
	return status;
}

/* Steps 1-4; returns an exit status unless qemu was executed */
static int run(const struct wrapper_options *o, struct wrapper_run *r)
{
	struct tcw_err err = { "" };
	int rc;

	rc = plan_nics(o, r);
	if (rc)
		return rc;
	if (o->print_only)
		return print_command(o, r);
	if (plan_get_taps(&r->plan, o, &err))
		return fail(EXIT_HELPER, "%s", err.msg);
	return o->no_supervise ? exec_qemu(o, r) : supervise(o, r);
}

int main(int argc, char **argv)
{
	struct wrapper_options o;
	struct wrapper_run r;
	struct tcw_err err = { "" };
	size_t i;
	int status;

	/* Nothing we inherited reaches qemu unless named on its command line */
	tcw_close_fds(3, ~0U, true);
	wrapper_run_init(&r);

	if (wrapper_options_parse(argc, argv, &o, &err))
		status = fail(EXIT_USAGE, "%s", err.msg);
	else if (o.show_version)
		status = printf("tcwire-qemu " TCWIRE_VERSION "\n") < 0;
	else
		status = run(&o, &r);

	/* Reached when qemu has exited, or was never executed */
	plan_close_fds(&r.plan);
	for (i = 0; i < 2; i++)
		if (r.qmp[i] >= 0)
			close(r.qmp[i]);
	link_monitor_free(r.links);
	nic_plan_free(&r.plan);
	wrapper_options_free(&o);
	return status;
}
