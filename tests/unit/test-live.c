/* SPDX-License-Identifier: GPL-2.0-or-later
 * Unit tests: the live links' state machine, without qemu and without root
 *
 * tcwire-qemu's policy (live/live_links.c and the re-wires it starts) runs
 * against fakes of everything outside it: a fake qemu answering QMP on a
 * socketpair (it can leave a command unanswered), fake link events (a link
 * table without a netlink socket, fed with the updates rtnetlink messages
 * make), and a fake tcwire-helper (a script that takes 0.3 s, logs its
 * call, and fails when told to). The supervisor's real reaper delivers the
 * helper's exit status. Covered: a link event while a helper runs, a QMP
 * reply that never comes, a partner deleted and created again during its
 * re-wire, an interface reported twice, and a helper that fails.
 */
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "live/link_monitor.h"
#include "live/live_links.h"
#include "nic_plan.h"
#include "options.h"
#include "supervisor.h"

#define LOWER_UP	0x10000		/* IFF_LOWER_UP */
#define OPER_UP		6

/* Everything one test runs against */
struct rig {
	char *dir;			/* the fake helper and its call log */
	struct wrapper_options o;
	struct nic_plan plan;
	struct link_monitor *links;
	struct supervisor sup;
	struct live_links lv;
	int peer;			/* the fake qemu's end of the monitor */
	GString *in;
	GPtrArray *sent;		/* "execute name-arg up-arg" per command */
	bool stall_next_set_link;
};

/* A link as the kernel reports it: up with carrier, or down */
static struct monitored_link link_of(int ifindex, const char *name, bool up)
{
	struct monitored_link l = { .ifindex = ifindex, .mtu = 1500 };

	g_strlcpy(l.name, name, sizeof(l.name));
	l.flags = up ? IFF_UP | LOWER_UP : 0;
	l.operstate = up ? OPER_UP : 2;
	return l;
}

/* The fake helper: logs each call, takes 0.3 s, fails if DIR/fail exists */
static char *write_fake_helper(const char *dir)
{
	char *path = g_build_filename(dir, "tcwire-helper", NULL);
	g_autofree char *text = g_strdup_printf(
		"#!/bin/sh\n"
		"for a; do case $a in --br=*) br=${a#--br=};; esac; done\n"
		"echo \"$br $*\" >>'%s/calls'\n"
		"sleep 0.3\n"
		"[ -e '%s/fail' ] && { echo \"tcwire-helper: $br: refused (test)\" >&2; exit 1; }\n"
		"exit 0\n", dir, dir);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_assert_cmpint(g_chmod(path, 0755), ==, 0);
	return path;
}

/* How many times the fake helper ran */
static guint helper_calls(struct rig *r)
{
	g_autofree char *path = g_build_filename(r->dir, "calls", NULL);
	g_autofree char *text = NULL;
	guint n = 0;
	char *p;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	for (p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* The fake qemu: answer what the client sent (unless told to stall) */
static void fake_qemu_pump(struct rig *r)
{
	char buf[4096], *nl;
	ssize_t n = recv(r->peer, buf, sizeof(buf), MSG_DONTWAIT);

	if (n > 0)
		g_string_append_len(r->in, buf, n);
	while ((nl = memchr(r->in->str, '\n', r->in->len))) {
		g_autofree char *line = g_strndup(r->in->str, nl - r->in->str);
		g_autoptr(JsonParser) p = json_parser_new();
		g_autofree char *reply = NULL;
		JsonObject *o, *args;
		const char *cmd;

		g_string_erase(r->in, 0, nl - r->in->str + 1);
		g_assert_true(json_parser_load_from_data(p, line, -1, NULL));
		o = json_node_get_object(json_parser_get_root(p));
		cmd = json_object_get_string_member(o, "execute");
		args = json_object_has_member(o, "arguments") ?
		       json_object_get_object_member(o, "arguments") : NULL;
		g_ptr_array_add(r->sent, g_strdup_printf("%s %s %s", cmd,
			args && json_object_has_member(args, "name") ?
			json_object_get_string_member(args, "name") : "-",
			args && json_object_has_member(args, "up") ?
			(json_object_get_boolean_member(args, "up") ? "up" : "down") : "-"));
		if (!strcmp(cmd, "set_link") && r->stall_next_set_link) {
			r->stall_next_set_link = false;
			continue;	/* never answered */
		}
		reply = g_strdup_printf("{\"return\": {}, \"id\": %" G_GINT64_FORMAT "}\n",
					json_object_get_int_member(o, "id"));
		g_assert_cmpint(write(r->peer, reply, strlen(reply)), ==,
				(ssize_t)strlen(reply));
	}
}

/* Run the loop (and the fake qemu) until @cond, or fail after 5 s */
static void run_until(struct rig *r, gboolean (*cond)(struct rig *, gconstpointer),
		      gconstpointer arg)
{
	gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	while (!cond(r, arg)) {
		g_assert_cmpint(g_get_monotonic_time(), <, end);
		fake_qemu_pump(r);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

/* Condition: the fake qemu got this command ("set_link tcwnic2 up") */
static gboolean sent(struct rig *r, gconstpointer what)
{
	guint i;

	for (i = 0; i < r->sent->len; i++)
		if (!strcmp(r->sent->pdata[i], what))
			return TRUE;
	return FALSE;
}

/* How often the fake qemu got @what */
static guint count_sent(struct rig *r, const char *what)
{
	guint i, n = 0;

	for (i = 0; i < r->sent->len; i++)
		n += !strcmp(r->sent->pdata[i], what);
	return n;
}

/* Condition: NIC @arg (1-based, packed with a state) is in that state */
#define NIC_IS(k, st)	GUINT_TO_POINTER((k) * 16 + (st))
static gboolean nic_is(struct rig *r, gconstpointer arg)
{
	guint v = GPOINTER_TO_UINT(arg);

	return r->plan.nics[v / 16 - 1].state == (enum nic_state)(v % 16);
}

/* Condition: NIC 3 is wired to ifindex 14 */
static gboolean wired_to_14(struct rig *r, gconstpointer unused)
{
	return r->plan.nics[2].state == NIC_WIRED &&
	       r->plan.nics[2].partner_ifindex == 14;
}

/* A VM with eth1 wired (ifindex 11, up) and slots for eth2 and eth3 */
static void rig_setup(struct rig *r, gconstpointer unused)
{
	const char *partners[] = { "eth1", NULL, NULL };
	struct monitored_link eth1 = link_of(11, "eth1", true);
	struct tcw_err err = { "" };
	int sv[2], fd;
	unsigned int k;

	memset(r, 0, sizeof(*r));
	r->dir = g_dir_make_tmp("tcwire-live-XXXXXX", NULL);
	r->o.helper = write_fake_helper(r->dir);
	r->o.prefix = g_strdup("eth");
	r->o.nic.queues = 1;
	g_assert_cmpint(nic_plan_build(&r->plan, (const char *const *)partners, 3, 3,
				       "test"), ==, 0);
	for (k = 0; k < 3; k++) {
		struct nic_slot *s = &r->plan.nics[k];

		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		nic_slot_take_fds(s, &fd, 1);
		if (k == 0) {
			s->partner_ifindex = 11;
			continue;
		}
		g_snprintf(s->partner, sizeof(s->partner), "eth%u", k + 1);
		s->state = NIC_SLOT;
	}
	r->links = link_monitor_new_detached();
	link_monitor_apply(r->links, &eth1);
	supervisor_init(&r->sup);
	g_assert_cmpint(supervisor_catch_signals(&r->sup, &err), ==, 0);
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
	r->peer = sv[1];
	r->in = g_string_new(NULL);
	r->sent = g_ptr_array_new_with_free_func(g_free);
	live_links_start(&r->lv, &r->plan, &r->o, r->links, sv[0], &r->sup);
	qmp_set_reply_timeout_ms(r->lv.qmp, 200);
	g_assert_cmpint(write(r->peer, "{\"QMP\": {}}\n", 12), ==, 12);
	/* the slots' links go down at once; eth1's stays up */
	run_until(r, sent, "set_link tcwnic2 down");
	run_until(r, sent, "set_link tcwnic3 down");
	g_assert_false(sent(r, "set_link tcwnic1 down"));
}

static void rig_teardown(struct rig *r, gconstpointer unused)
{
	guint i;

	live_links_stop(&r->lv);
	supervisor_cleanup(&r->sup);
	for (i = 0; i < r->plan.n; i++)
		nic_slot_close_fds(&r->plan.nics[i]);
	nic_plan_free(&r->plan);
	link_monitor_free(r->links);
	close(r->peer);
	g_string_free(r->in, TRUE);
	g_ptr_array_unref(r->sent);
	g_free((char *)r->o.helper);
	g_free(r->o.prefix);
	for (i = 0; i < 3; i++) {
		const char *names[] = { "tcwire-helper", "calls", "fail" };
		g_autofree char *f = g_build_filename(r->dir, names[i], NULL);

		g_unlink(f);
	}
	g_assert_cmpint(g_rmdir(r->dir), ==, 0);
	g_free(r->dir);
}

/* A slot's interface appears: the re-wire runs, and while it does a link
 * event for another NIC is handled at once (nothing blocks) */
static void test_event_while_helper_runs(struct rig *r, gconstpointer unused)
{
	struct monitored_link eth2 = link_of(12, "eth2", true);
	struct monitored_link eth1_down = link_of(11, "eth1", false);

	link_monitor_apply(r->links, &eth2);
	run_until(r, nic_is, NIC_IS(2, NIC_REWIRING));
	link_monitor_apply(r->links, &eth1_down);
	run_until(r, sent, "set_link tcwnic1 down");
	g_assert_cmpint(r->plan.nics[1].state, ==, NIC_REWIRING);
	run_until(r, nic_is, NIC_IS(2, NIC_WIRED));
	g_assert_cmpint(r->plan.nics[1].partner_ifindex, ==, 12);
	run_until(r, sent, "set_link tcwnic2 up");
	g_assert_cmpuint(helper_calls(r), ==, 1);
}

/* The partner is deleted and created again while its re-wire runs: the
 * NIC ends wired to the new one */
static void test_recreated_during_rewire(struct rig *r, gconstpointer unused)
{
	struct monitored_link old3 = link_of(13, "eth3", true);
	struct monitored_link new3 = link_of(14, "eth3", true);

	link_monitor_apply(r->links, &old3);
	run_until(r, nic_is, NIC_IS(3, NIC_REWIRING));
	link_monitor_remove(r->links, 13);
	link_monitor_apply(r->links, &new3);
	/* wired to 13 when its helper ends, then 13 is gone: again, to 14 */
	run_until(r, wired_to_14, NULL);
	g_assert_cmpuint(helper_calls(r), ==, 2);
	run_until(r, sent, "set_link tcwnic3 up");
}

/* An interface reported again (a change while its re-wire runs) starts
 * no second helper */
static void test_reported_twice(struct rig *r, gconstpointer unused)
{
	struct monitored_link eth2 = link_of(12, "eth2", true);
	struct monitored_link eth2_mtu = link_of(12, "eth2", true);

	eth2_mtu.mtu = 9000;
	link_monitor_apply(r->links, &eth2);
	run_until(r, nic_is, NIC_IS(2, NIC_REWIRING));
	link_monitor_apply(r->links, &eth2_mtu);
	live_links_schedule(&r->lv);
	run_until(r, nic_is, NIC_IS(2, NIC_WIRED));
	g_assert_cmpuint(helper_calls(r), ==, 1);
}

/* A helper that fails: back to the slot, that ifindex not tried again,
 * a new one is */
static void test_helper_fails(struct rig *r, gconstpointer unused)
{
	g_autofree char *fail = g_build_filename(r->dir, "fail", NULL);
	struct monitored_link bad = link_of(12, "eth2", true);
	struct monitored_link bad_again = link_of(12, "eth2", false);
	struct monitored_link good = link_of(15, "eth2", true);

	g_assert_true(g_file_set_contents(fail, "", 0, NULL));
	link_monitor_apply(r->links, &bad);
	run_until(r, nic_is, NIC_IS(2, NIC_REWIRING));
	run_until(r, nic_is, NIC_IS(2, NIC_SLOT));
	g_assert_cmpint(r->plan.nics[1].failed_ifindex, ==, 12);
	link_monitor_apply(r->links, &bad_again);	/* an event, same ifindex */
	live_links_schedule(&r->lv);
	run_until(r, nic_is, NIC_IS(2, NIC_SLOT));
	g_main_context_iteration(NULL, FALSE);
	g_assert_cmpuint(helper_calls(r), ==, 1);
	g_assert_cmpint(g_unlink(fail), ==, 0);
	link_monitor_remove(r->links, 12);
	link_monitor_apply(r->links, &good);		/* created anew */
	run_until(r, nic_is, NIC_IS(2, NIC_WIRED));
	g_assert_cmpint(r->plan.nics[1].partner_ifindex, ==, 15);
	g_assert_cmpuint(helper_calls(r), ==, 2);
}

/* qemu never answers a set_link: after the timeout the NIC's link is
 * unknown, and the next pass sends it again */
static void test_qmp_timeout(struct rig *r, gconstpointer unused)
{
	struct monitored_link eth1_down = link_of(11, "eth1", false);
	gint64 end;

	r->stall_next_set_link = true;
	link_monitor_apply(r->links, &eth1_down);
	run_until(r, sent, "set_link tcwnic1 down");
	end = g_get_monotonic_time() + 400 * 1000;	/* past the 200 ms */
	while (g_get_monotonic_time() < end) {
		fake_qemu_pump(r);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	g_assert_cmpuint(count_sent(r, "set_link tcwnic1 down"), ==, 1);
	end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	while (count_sent(r, "set_link tcwnic1 down") < 2) {
		g_assert_cmpint(g_get_monotonic_time(), <, end);
		live_links_schedule(&r->lv);	/* the next pass(es) */
		fake_qemu_pump(r);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	g_assert_false(r->plan.nics[0].link_up);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add("/live/" path, struct rig, NULL, rig_setup, \
				 fn, rig_teardown)
	ADD("event-while-helper-runs", test_event_while_helper_runs);
	ADD("recreated-during-rewire", test_recreated_during_rewire);
	ADD("reported-twice", test_reported_twice);
	ADD("helper-fails", test_helper_fails);
	ADD("qmp-timeout", test_qmp_timeout);
	return g_test_run();
}
