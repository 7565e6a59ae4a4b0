/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - waiting for the container's data interfaces
 *
 * Lab tools attach a container's data links after the container started,
 * seconds or minutes later. vrnetlab polls /sys every 5 s with no timeout
 * and hangs forever when a name never appears (vrnetlab#442). We read the
 * link table of link_monitor.c, which is fed by rtnetlink notifications,
 * and look again after every batch of them: nothing is polled, nothing is
 * missed, and the wait ends at a deadline naming what is missing.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "client/ifname.h"
#include "iface_wait.h"

/* See iface_wait.h */
unsigned int iface_suffix(const char *name, const char *prefix)
{
	const char *digits;
	guint64 k;

	if (!g_str_has_prefix(name, prefix))
		return 0;
	digits = name + strlen(prefix);
	if (*digits == '0' ||	/* eth01 is not eth1, eth0 is management */
	    !g_ascii_string_to_unsigned(digits, 10, 1, 65535, &k, NULL))
		return 0;
	return (unsigned int)k;
}

/* Set position @k (1-based) of @partners to @name, growing it */
static void partners_set(GPtrArray *partners, unsigned int k, const char *name)
{
	while (partners->len < k)
		g_ptr_array_add(partners, NULL);
	g_free(partners->pdata[k - 1]);
	partners->pdata[k - 1] = g_strdup(name);
}

/* What partners_from_table() collects in prefix mode */
struct prefix_scan {
	const struct iface_request *req;
	GPtrArray *partners;
	unsigned int found;
};

/* link_monitor_foreach() callback: note PREFIX<K> at position K */
static void prefix_scan_one(const struct monitored_link *l, enum link_change what,
			    void *arg)
{
	struct prefix_scan *scan = arg;
	unsigned int pos = iface_suffix(l->name, scan->req->prefix);

	if (pos) {
		partners_set(scan->partners, pos, l->name);
		scan->found++;
	}
}

/* The partners by position as the table stands; sets *@found */
static GPtrArray *partners_from_table(const struct iface_request *req,
				      struct link_monitor *m,
				      unsigned int *found)
{
	struct prefix_scan scan = {
		req, g_ptr_array_new_with_free_func(g_free), 0
	};
	size_t i;

	if (req->names) {
		for (i = 0; req->names[i]; i++) {
			bool have = link_monitor_find(m, req->names[i]);

			g_ptr_array_add(scan.partners,
					have ? g_strdup(req->names[i]) : NULL);
			scan.found += have;
		}
	} else {
		link_monitor_foreach(m, prefix_scan_one, &scan);
	}
	*found = scan.found;
	return scan.partners;
}

/* Whether everything asked for is there */
static bool request_satisfied(const struct iface_request *req,
			      unsigned int found)
{
	if (req->names)
		return found == g_strv_length(req->names);
	return found >= req->count;
}

/* Message listing what is missing, for the timeout error */
static void report_missing(const struct iface_request *req,
			   struct link_monitor *m, unsigned int found,
			   int timeout_ms, struct tcw_err *err)
{
	g_autoptr(GString) missing = g_string_new(NULL);
	unsigned int i, want;

	want = req->names ? g_strv_length(req->names) : req->count;
	for (i = 0; i < want; i++) {
		g_autofree char *name = req->names ? g_strdup(req->names[i]) :
					g_strdup_printf("%s%u", req->prefix, i + 1);

		if (!link_monitor_find(m, name))
			g_string_append_printf(missing, "%s%s",
					       missing->len ? ", " : "", name);
	}
	tcw_err_set(err, ETIMEDOUT,
		    "timed out after %d s waiting for data interfaces: %s missing (%u of %u present)",
		    timeout_ms / 1000, missing->str, found, want);
}

/* Milliseconds on the monotonic clock */
static gint64 now_ms(void)
{
	return g_get_monotonic_time() / 1000;
}

/* See iface_wait.h */
int iface_wait(struct link_monitor *m, const struct iface_request *req,
	       int timeout_ms, GPtrArray **partners, struct tcw_err *err)
{
	gint64 deadline = now_ms() + timeout_ms;
	unsigned int found = 0;
	int rc;

	*partners = NULL;
	for (;;) {
		struct pollfd pfd = { link_monitor_fd(m), POLLIN, 0 };
		gint64 left;

		rc = link_monitor_receive(m);
		if (rc)
			return tcw_err_set(err, -rc, "cannot read rtnetlink link events");
		if (link_monitor_synced(m)) {
			if (*partners)
				g_ptr_array_unref(*partners);
			*partners = partners_from_table(req, m, &found);
			if (request_satisfied(req, found))
				return 0;
		}
		left = deadline - now_ms();
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0)
			break;
	}
	report_missing(req, m, found, timeout_ms, err);
	if (*partners)
		g_ptr_array_unref(*partners);
	*partners = NULL;
	return -ETIMEDOUT;
}

/* Put the names a real run waits for into the gaps of @partners, noting
 * each in @assumed: every listed name, or the lowest free positions until
 * @req->count interfaces are there */
static void partners_complete(const struct iface_request *req,
			      GPtrArray *partners, unsigned int found,
			      GPtrArray *assumed)
{
	unsigned int k;

	if (req->names) {
		for (k = 0; req->names[k]; k++) {
			if (partners->pdata[k])
				continue;
			partners->pdata[k] = g_strdup(req->names[k]);
			g_ptr_array_add(assumed, g_strdup(req->names[k]));
		}
		return;
	}
	for (k = 1; found < req->count; k++) {
		g_autofree char *name = NULL;

		if (k <= partners->len && partners->pdata[k - 1])
			continue;
		name = g_strdup_printf("%s%u", req->prefix, k);
		partners_set(partners, k, name);
		g_ptr_array_add(assumed, g_steal_pointer(&name));
		found++;
	}
}

/* See iface_wait.h */
int iface_plan_now(struct link_monitor *m, const struct iface_request *req,
		   GPtrArray **partners, GPtrArray **assumed,
		   struct tcw_err *err)
{
	const struct iface_request now = { NULL, req->prefix, 0 };
	g_autoptr(GPtrArray) table = NULL;
	unsigned int found;
	int rc;

	/* a request for nothing returns once the first dump is in */
	rc = iface_wait(m, &now, IFACE_DUMP_TIMEOUT_MS, &table, err);
	if (rc)
		return rc;
	*partners = partners_from_table(req, m, &found);
	*assumed = g_ptr_array_new_with_free_func(g_free);
	partners_complete(req, *partners, found, *assumed);
	return 0;
}
