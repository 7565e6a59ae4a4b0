/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - start a VM router with one wired NIC per container interface
 *
 * Usage: tcwire-qemu [OPTIONS] -- qemu-system-x86_64 [ARGS...]
 *
 * Runs unprivileged inside the router's container:
 *  1. decide which data interfaces the VM gets and wait for them
 *     (iface_wait.c), with a timeout that names what is missing;
 *  2. lay out NIC positions, placeholders, MACs and pci-bridges
 *     (nic_plan.c);
 *  3. get each interface's tap fd(s) from tcwire-helper over qemu's own
 *     socketpair protocol (helper/helper_client.c);
 *  4. exec qemu with the fds inherited and named on its command line
 *     (qemu_argv.c), so qemu's exit status and signals are the container's;
 *     placeholder NICs get their link set down over QMP (qmp_links.c).
 *
 * The plan keeps every NIC's partner and fds, so a later supervising mode
 * (stay qemu's parent, mirror link state over QMP, re-wire a recreated
 * partner through the same helper protocol) can reuse all of it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/close_range.h>
#include <glib.h>

#include "config.h"
#include "helper_client.h"
#include "iface_wait.h"
#include "ifname.h"
#include "mac.h"
#include "nic_plan.h"
#include "options.h"
#include "qemu_argv.h"
#include "qmp_links.h"

#define PROG "tcwire-qemu"

/* Print one line and return @status */
static int fail(int status, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static int fail(int status, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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
#define TCWQ_PARALLEL_HELPERS	4

/* Start a helper for each of the @n NICs of @batch, then collect each */
static int get_taps_batch(struct nic_slot **batch, size_t n,
			  const struct wrapper_options *o, struct tcw_err *err)
{
	struct tcw_helper_request req[TCWQ_PARALLEL_HELPERS];
	struct tcw_helper_call call[TCWQ_PARALLEL_HELPERS];
	size_t started, i;
	int rc = 0;

	for (started = 0; started < n; started++) {
		req[started] = (struct tcw_helper_request){
			.helper = o->helper,
			.partner = batch[started]->partner,
			.use_vnet = true,	/* as qemu always asks */
			.queues = o->nic.queues,
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
 * Step 3: a tap per wired NIC from the helper, in batches of up to
 * TCWQ_PARALLEL_HELPERS running side by side (different partners never
 * contend: each has its own lock). The fds stay close-on-exec until qemu
 * is started. On failure the caller closes what was collected.
 */
static int plan_get_taps(struct nic_plan *plan, const struct wrapper_options *o,
			 struct tcw_err *err)
{
	struct nic_slot *batch[TCWQ_PARALLEL_HELPERS];
	size_t i, n = 0;
	int rc;

	for (i = 0; i < plan->n; i++) {
		if (!plan->nics[i].partner[0])
			continue;	/* placeholder */
		batch[n++] = &plan->nics[i];
		if (n < TCWQ_PARALLEL_HELPERS && i + 1 < plan->n)
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

/* Steps 1-4; returns an exit status unless qemu was executed */
static int run(struct wrapper_options *o, struct nic_plan *plan, int *qmp_fd)
{
	g_autoptr(GPtrArray) partners = NULL;
	g_autoptr(GPtrArray) qemu = NULL;
	struct iface_request req = { o->interfaces, o->prefix, o->count };
	struct tcw_err err = { "" };
	int rc;

	if (o->print_only) {
		partners = iface_assume_present(&req);
	} else {
		rc = iface_wait(&req, (int)o->wait_timeout_s * 1000, &partners,
				&err);
		if (rc)
			return fail(TCWQ_EXIT_INTERFACES, "%s", err.msg);
	}

	if (nic_plan_build(plan, (const char *const *)partners->pdata,
			   partners->len, o->slots, o->mac_seed))
		return fail(TCWQ_EXIT_USAGE, "more than %d NIC positions",
			    TCWQ_MAX_POSITION);

	if (!o->print_only && plan_get_taps(plan, o, &err))
		return fail(TCWQ_EXIT_HELPER, "%s", err.msg);

	if (!o->print_only) {
		g_auto(GStrv) gaps = qemu_placeholder_ids(plan);

		if (gaps[0] && qmp_links_down_start(gaps, qmp_fd, &err))
			return fail(TCWQ_EXIT_HELPER, "%s", err.msg);
	}
	qemu = qemu_argv_build(o->qemu_argv, plan, &o->nic, *qmp_fd,
				o->print_only);
	if (o->print_only) {
		g_autofree char *line =
			qemu_argv_shell_quote((char *const *)qemu->pdata);

		printf("%s\n", line);
		return 0;
	}

	plan_pass_fds(plan);
	execvp(qemu->pdata[0], (char *const *)qemu->pdata);
	rc = errno;
	return fail(rc == ENOENT ? 127 : 126, "%s: cannot execute: %s",
		    (char *)qemu->pdata[0], strerror(rc));
}

int main(int argc, char **argv)
{
	struct wrapper_options o;
	struct nic_plan plan;
	struct tcw_err err = { "" };
	int qmp_fd = -1;	/* not in the options: a failed parse zeroes those */
	int status;

	/* Nothing we inherited reaches qemu unless named on its command line */
	syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
	nic_plan_init(&plan);

	if (wrapper_options_parse(argc, argv, &o, &err))
		status = fail(TCWQ_EXIT_USAGE, "%s", err.msg);
	else
		status = run(&o, &plan, &qmp_fd);

	/* Only reached when qemu was not executed */
	plan_close_fds(&plan);
	if (qmp_fd >= 0)
		close(qmp_fd);
	nic_plan_free(&plan);
	wrapper_options_free(&o);
	return status;
}
