/* SPDX-License-Identifier: GPL-2.0-or-later
 * Unit tests: tcwire-qemu's QMP client against a fake qemu on a socketpair
 *
 * The peer end is ours: the test writes what qemu would (greeting, replies,
 * events) and reads what the client sent, line by line. No qemu, no root.
 * Covered: the greeting and qmp_capabilities, replies matched by id, a
 * command that gets no reply (it fails after the timeout and the next one
 * goes out), a late reply to it (ignored), events in between, an fd passed
 * with a command (SCM_RIGHTS), and qemu closing the monitor (every queued
 * command fails).
 */
#include <fcntl.h>
#include <glib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client/fd_passing.h"
#include "qmp.h"

/* The fake qemu and what the client told us */
struct fake {
	int peer;		/* our end: qemu's side of the monitor */
	struct qmp *q;
	GString *in;		/* bytes from the client not yet a line */
	GPtrArray *replies;	/* "ok:<json>" or "error:<text>", in order */
	GPtrArray *events;
};

/* Reply callback: record it */
static void on_reply(JsonNode *ret, const char *error, void *ctx)
{
	struct fake *f = ctx;
	g_autofree char *json = error ? NULL : json_to_string(ret, FALSE);

	g_ptr_array_add(f->replies, error ? g_strconcat("error:", error, NULL) :
				    g_strconcat("ok:", json, NULL));
}

/* Event callback: record its name */
static void on_event(const char *event, JsonObject *data, void *ctx)
{
	struct fake *f = ctx;

	g_ptr_array_add(f->events, g_strdup(event));
}

/* Set up the pair, the client and its greeting */
static void fake_init(struct fake *f)
{
	int sv[2];

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
	f->peer = sv[1];
	f->in = g_string_new(NULL);
	f->replies = g_ptr_array_new_with_free_func(g_free);
	f->events = g_ptr_array_new_with_free_func(g_free);
	f->q = qmp_new(sv[0], on_event, f);
	qmp_set_reply_timeout_ms(f->q, 200);
}

/* Write @line (and a newline) as qemu */
static void fake_say(struct fake *f, const char *line)
{
	g_autofree char *l = g_strconcat(line, "\n", NULL);

	g_assert_cmpint(write(f->peer, l, strlen(l)), ==, (ssize_t)strlen(l));
}

/* Run the main loop until @cond holds (or 5 s pass: a failure) */
static void run_until(gboolean (*cond)(struct fake *, gconstpointer),
		      struct fake *f, gconstpointer arg)
{
	gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	while (!cond(f, arg)) {
		g_assert_cmpint(g_get_monotonic_time(), <, end);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

/* Condition: the client sent a whole line (put in the array given) */
static gboolean got_line(struct fake *f, gconstpointer arg)
{
	char buf[4096], *nl;
	ssize_t n;

	g_main_context_iteration(NULL, FALSE);
	n = recv(f->peer, buf, sizeof(buf), MSG_DONTWAIT);
	if (n > 0)
		g_string_append_len(f->in, buf, n);
	nl = memchr(f->in->str, '\n', f->in->len);
	if (!nl)
		return FALSE;
	g_ptr_array_add((GPtrArray *)arg, g_strndup(f->in->str, nl - f->in->str));
	g_string_erase(f->in, 0, nl - f->in->str + 1);
	return TRUE;
}

/* The next line the client sends, parsed; its "id" in @id */
static JsonObject *expect_command(struct fake *f, const char *name, gint64 *id)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(JsonParser) p = json_parser_new();
	JsonObject *o;

	run_until(got_line, f, lines);
	g_assert_true(json_parser_load_from_data(p, lines->pdata[0], -1, NULL));
	o = json_object_ref(json_node_get_object(json_parser_get_root(p)));
	g_assert_cmpstr(json_object_get_string_member(o, "execute"), ==, name);
	*id = json_object_get_int_member(o, "id");
	return o;
}

/* Condition: @arg replies recorded */
static gboolean has_replies(struct fake *f, gconstpointer arg)
{
	return f->replies->len >= GPOINTER_TO_UINT(arg);
}

/* Reply to command @id with "return" @ret */
static void fake_return(struct fake *f, gint64 id, const char *ret)
{
	g_autofree char *line = g_strdup_printf("{\"return\": %s, \"id\": %" G_GINT64_FORMAT "}",
						ret, id);

	fake_say(f, line);
}

/* Greeting and capabilities: the client is ready */
static void fake_handshake(struct fake *f)
{
	g_autoptr(JsonObject) caps = NULL;
	gint64 id;

	fake_say(f, "{\"QMP\": {\"version\": {}, \"capabilities\": []}}");
	caps = expect_command(f, "qmp_capabilities", &id);
	fake_return(f, id, "{}");
}

static void fake_free(struct fake *f)
{
	qmp_free(f->q);
	close(f->peer);
	g_string_free(f->in, TRUE);
	g_ptr_array_unref(f->replies);
	g_ptr_array_unref(f->events);
}

/* Commands wait for the greeting, then go out one at a time, in order */
static void test_order(void)
{
	struct fake f;
	g_autoptr(JsonObject) a = NULL, b = NULL;
	gint64 ida, idb;

	fake_init(&f);
	qmp_command(f.q, "query-status", NULL, -1, on_reply, &f);
	qmp_command(f.q, "query-version", NULL, -1, on_reply, &f);
	fake_handshake(&f);
	a = expect_command(&f, "query-status", &ida);
	fake_say(&f, "{\"event\": \"NIC_RX_FILTER_CHANGED\", \"data\": {}}");
	fake_return(&f, ida, "{\"running\": true}");
	b = expect_command(&f, "query-version", &idb);
	fake_return(&f, idb, "{}");
	run_until(has_replies, &f, GUINT_TO_POINTER(2));
	g_assert_cmpstr(f.replies->pdata[0], ==, "ok:{\"running\":true}");
	g_assert_cmpstr(f.replies->pdata[1], ==, "ok:{}");
	g_assert_cmpuint(f.events->len, ==, 1);
	g_assert_cmpstr(f.events->pdata[0], ==, "NIC_RX_FILTER_CHANGED");
	fake_free(&f);
}

/* No reply: the command fails after the timeout, the next one goes out,
 * and the late reply is ignored */
static void test_timeout(void)
{
	struct fake f;
	g_autoptr(JsonObject) a = NULL, b = NULL;
	gint64 ida, idb;

	fake_init(&f);
	fake_handshake(&f);
	qmp_command(f.q, "set_link", qmp_args("name", 's', "tcwnic1", "up", 'b',
					      FALSE, NULL), -1, on_reply, &f);
	qmp_command(f.q, "query-status", NULL, -1, on_reply, &f);
	a = expect_command(&f, "set_link", &ida);
	run_until(has_replies, &f, GUINT_TO_POINTER(1));
	g_assert_cmpstr(f.replies->pdata[0], ==, "error:no reply from qemu within 0.2 s");
	b = expect_command(&f, "query-status", &idb);
	fake_return(&f, ida, "{\"late\": true}");	/* ignored */
	fake_return(&f, idb, "{}");
	run_until(has_replies, &f, GUINT_TO_POINTER(2));
	g_assert_cmpstr(f.replies->pdata[1], ==, "ok:{}");
	g_assert_cmpuint(f.replies->len, ==, 2);
	fake_free(&f);
}

/* An error reply carries qemu's description */
static void test_error(void)
{
	struct fake f;
	g_autoptr(JsonObject) a = NULL;
	g_autofree char *line = NULL;
	gint64 id;

	fake_init(&f);
	fake_handshake(&f);
	qmp_command(f.q, "device_add", NULL, -1, on_reply, &f);
	a = expect_command(&f, "device_add", &id);
	line = g_strdup_printf("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Bus 'tcwbr1' does not support hotplugging\"}, \"id\": %" G_GINT64_FORMAT "}", id);
	fake_say(&f, line);
	run_until(has_replies, &f, GUINT_TO_POINTER(1));
	g_assert_cmpstr(f.replies->pdata[0], ==,
			"error:Bus 'tcwbr1' does not support hotplugging");
	fake_free(&f);
}

/* getfd: the fd travels with the command's bytes */
static void test_fd(void)
{
	struct fake f;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC), got = -1;
	size_t n = 0;

	fake_init(&f);
	fake_handshake(&f);
	qmp_command(f.q, "getfd", qmp_args("fdname", 's', "tcwfd3.0", NULL), fd,
		    on_reply, &f);
	close(fd);	/* the client sends a copy of its own */
	g_main_context_iteration(NULL, FALSE);
	g_assert_cmpint(tcw_fds_recv(f.peer, &got, 1, &n), ==, 0);
	g_assert_cmpuint(n, ==, 1);
	g_assert_cmpint(got, >=, 0);
	close(got);
	fake_free(&f);
}

/* qemu closes the monitor: everything queued fails at once */
static void test_closed(void)
{
	struct fake f;
	g_autoptr(JsonObject) a = NULL;
	gint64 id;

	fake_init(&f);
	fake_handshake(&f);
	qmp_command(f.q, "query-status", NULL, -1, on_reply, &f);
	qmp_command(f.q, "query-version", NULL, -1, on_reply, &f);
	a = expect_command(&f, "query-status", &id);
	shutdown(f.peer, SHUT_RDWR);
	run_until(has_replies, &f, GUINT_TO_POINTER(2));
	g_assert_cmpstr(f.replies->pdata[0], ==, "error:qemu closed the monitor");
	g_assert_cmpstr(f.replies->pdata[1], ==, "error:qemu closed the monitor");
	qmp_command(f.q, "query-status", NULL, -1, on_reply, &f);
	g_assert_cmpstr(f.replies->pdata[2], ==, "error:qemu closed the monitor");
	fake_free(&f);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/qmp/order", test_order);
	g_test_add_func("/qmp/timeout", test_timeout);
	g_test_add_func("/qmp/error", test_error);
	g_test_add_func("/qmp/fd", test_fd);
	g_test_add_func("/qmp/closed", test_closed);
	return g_test_run();
}
