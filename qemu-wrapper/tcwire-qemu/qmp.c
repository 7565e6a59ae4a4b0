/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - a QMP client on the socket qemu got as its monitor
 *
 * qemu gets one end of a socketpair as "-chardev socket,id=tcwqmp,fd=N
 * -mon chardev=tcwqmp,mode=control"; this is the other end. QMP is one
 * JSON object per line: qemu greets ({"QMP": ...}), we answer with
 * qmp_capabilities, then each command ({"execute", "arguments", "id"})
 * gets exactly one reply ({"return"} or {"error"}, with our "id"), and
 * events ({"event"}) may come at any time in between. Every line is parsed
 * with json-glib; nothing is matched as text.
 *
 * One command is in flight at a time: the rest wait in a queue, so replies
 * arrive in order and a sequence such as getfd, netdev_add, device_add can
 * simply be queued. Writes are blocking (a few hundred bytes to a local
 * socket that qemu's main loop drains); reads never block.
 *
 * No command waits forever: a reply that has not come QMP_REPLY_TIMEOUT_S
 * after the command was sent completes it with an error (its caller leaves
 * the NIC for the next reconcile pass to repair), and the next command
 * goes out. A reply that comes later carries the old id and is ignored.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>

#include "qmp.h"

/* A queued command: its line, the fd to send with it, who wants the reply */
struct qmp_cmd {
	char *line;
	gint64 id;
	int fd;
	qmp_reply_fn done;
	void *ctx;
};

struct qmp {
	int fd;
	guint watch;
	guint timeout;		/* the command in flight's reply timer */
	guint timeout_ms;	/* how long a reply may take */
	GString *in;		/* bytes received, not yet a whole line */
	GQueue queue;		/* struct qmp_cmd; the head is in flight */
	bool greeted;		/* qemu's greeting arrived */
	bool in_flight;		/* the head of @queue was sent */
	bool closed;
	gint64 next_id;
	qmp_event_fn on_event;
	void *ctx;
};

/* See qmp.h */
JsonObject *qmp_args(const char *first, ...)
{
	JsonObject *o = json_object_new();
	const char *name;
	va_list ap;

	va_start(ap, first);
	for (name = first; name; name = va_arg(ap, const char *)) {
		switch (va_arg(ap, int)) {
		case 's':
			json_object_set_string_member(o, name,
						      va_arg(ap, const char *));
			break;
		case 'b':
			json_object_set_boolean_member(o, name,
						       va_arg(ap, gboolean));
			break;
		case 'i':
			json_object_set_int_member(o, name, va_arg(ap, gint64));
			break;
		default:
			g_assert_not_reached();
		}
	}
	va_end(ap);
	return o;
}

/* Free a command, closing its fd */
static void cmd_free(struct qmp_cmd *c)
{
	if (c->fd >= 0)
		close(c->fd);
	g_free(c->line);
	g_free(c);
}

/* Write all of @len bytes of @buf, the first with @fd attached */
static int send_all(int sock, const char *buf, size_t len, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	while (len) {
		iov.iov_base = (void *)buf;
		iov.iov_len = len;
		msg.msg_control = NULL;
		msg.msg_controllen = 0;
		if (fd >= 0) {
			struct cmsghdr *cm;

			memset(&cbuf, 0, sizeof(cbuf));
			msg.msg_control = cbuf.buf;
			msg.msg_controllen = sizeof(cbuf.buf);
			cm = CMSG_FIRSTHDR(&msg);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &fd, sizeof(int));
		}
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		fd = -1;	/* sent with the first bytes */
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Stop the reply timer */
static void reply_timer_stop(struct qmp *q)
{
	if (q->timeout)
		g_source_remove(q->timeout);
	q->timeout = 0;
}

/* Fail every queued command and stop reading */
static void qmp_close(struct qmp *q)
{
	struct qmp_cmd *c;

	if (q->closed)
		return;
	q->closed = true;
	reply_timer_stop(q);
	if (q->watch)
		g_source_remove(q->watch);
	q->watch = 0;
	while ((c = g_queue_pop_head(&q->queue))) {
		if (c->done)
			c->done(NULL, "qemu closed the monitor", c->ctx);
		cmd_free(c);
	}
	q->in_flight = false;
}

static void send_next(struct qmp *q);

/* The command in flight got no reply in time: fail it, go on */
static gboolean on_reply_timeout(gpointer arg)
{
	struct qmp *q = arg;
	struct qmp_cmd *c = g_queue_pop_head(&q->queue);

	q->timeout = 0;
	q->in_flight = false;
	if (c && c->done) {
		g_autofree char *why = g_strdup_printf("no reply from qemu within %g s",
						       q->timeout_ms / 1000.0);

		c->done(NULL, why, c->ctx);
	}
	if (c)
		cmd_free(c);
	send_next(q);
	return G_SOURCE_REMOVE;
}

/* Send the head of the queue if nothing is in flight */
static void send_next(struct qmp *q)
{
	struct qmp_cmd *c = g_queue_peek_head(&q->queue);

	if (!c || q->in_flight || !q->greeted || q->closed)
		return;
	q->in_flight = true;
	q->timeout = g_timeout_add(q->timeout_ms, on_reply_timeout, q);
	if (send_all(q->fd, c->line, strlen(c->line), c->fd) < 0)
		qmp_close(q);
	else if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
}

/* Queue a command line; @head puts it first (capabilities) */
static void enqueue(struct qmp *q, const char *name, JsonObject *args,
		    int pass_fd, qmp_reply_fn done, void *ctx, bool head)
{
	struct qmp_cmd *c = g_new0(struct qmp_cmd, 1);
	JsonObject *o = json_object_new();
	JsonNode *node = json_node_init_object(json_node_alloc(), o);
	g_autofree char *text = NULL;

	c->id = ++q->next_id;
	json_object_set_string_member(o, "execute", name);
	if (args)
		json_object_set_object_member(o, "arguments", args);
	json_object_set_int_member(o, "id", c->id);
	text = json_to_string(node, FALSE);
	c->line = g_strconcat(text, "\n", NULL);
	json_node_unref(node);
	json_object_unref(o);
	c->fd = pass_fd >= 0 ? fcntl(pass_fd, F_DUPFD_CLOEXEC, 3) : -1;
	c->done = done;
	c->ctx = ctx;
	if (head)
		g_queue_push_head(&q->queue, c);
	else
		g_queue_push_tail(&q->queue, c);
}

/* A reply arrived: complete the command in flight if it is the one */
static void on_reply(struct qmp *q, JsonObject *o)
{
	struct qmp_cmd *c = g_queue_peek_head(&q->queue);
	JsonObject *e;

	if (!q->in_flight || !c || !json_object_has_member(o, "id") ||
	    json_object_get_int_member(o, "id") != c->id)
		return;		/* not ours: ignore */
	reply_timer_stop(q);
	g_queue_pop_head(&q->queue);
	q->in_flight = false;
	if (json_object_has_member(o, "error")) {
		e = json_object_get_object_member(o, "error");
		if (c->done)
			c->done(NULL, e && json_object_has_member(e, "desc") ?
				json_object_get_string_member(e, "desc") :
				"error without description", c->ctx);
	} else if (c->done) {
		c->done(json_object_get_member(o, "return"), NULL, c->ctx);
	}
	cmd_free(c);
}

/* One line from qemu */
static void on_line(struct qmp *q, const char *line)
{
	g_autoptr(JsonNode) node = json_from_string(line, NULL);
	JsonObject *o;

	if (!node || !JSON_NODE_HOLDS_OBJECT(node))
		return;
	o = json_node_get_object(node);
	if (json_object_has_member(o, "QMP")) {
		enqueue(q, "qmp_capabilities", NULL, -1, NULL, NULL, true);
		q->greeted = true;
	} else if (json_object_has_member(o, "event")) {
		JsonNode *data = json_object_get_member(o, "data");

		if (q->on_event)
			q->on_event(json_object_get_string_member(o, "event"),
				    data && JSON_NODE_HOLDS_OBJECT(data) ?
				    json_node_get_object(data) : NULL, q->ctx);
	} else if (json_object_has_member(o, "return") ||
		   json_object_has_member(o, "error")) {
		on_reply(q, o);
	}
}

/* The socket is readable (or closed) */
static gboolean on_readable(gint fd, GIOCondition cond, gpointer arg)
{
	struct qmp *q = arg;
	char buf[4096], *nl;
	ssize_t n;

	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	if (n <= 0) {
		q->watch = 0;
		qmp_close(q);
		return G_SOURCE_REMOVE;
	}
	g_string_append_len(q->in, buf, n);
	while ((nl = memchr(q->in->str, '\n', q->in->len))) {
		g_autofree char *line = g_strndup(q->in->str,
						  (gsize)(nl - q->in->str));

		g_string_erase(q->in, 0, nl - q->in->str + 1);
		on_line(q, line);
		if (q->closed)
			return G_SOURCE_REMOVE;
	}
	send_next(q);
	return G_SOURCE_CONTINUE;
}

/* See qmp.h */
struct qmp *qmp_new(int fd, qmp_event_fn on_event, void *ctx)
{
	struct qmp *q = g_new0(struct qmp, 1);

	q->fd = fd;
	q->timeout_ms = QMP_REPLY_TIMEOUT_S * 1000;
	q->in = g_string_new(NULL);
	g_queue_init(&q->queue);
	q->on_event = on_event;
	q->ctx = ctx;
	q->watch = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
				 on_readable, q);
	return q;
}

/* See qmp.h */
void qmp_command(struct qmp *q, const char *name, JsonObject *args,
		 int pass_fd, qmp_reply_fn done, void *ctx)
{
	if (q->closed) {
		if (args)
			json_object_unref(args);
		if (done)
			done(NULL, "qemu closed the monitor", ctx);
		return;
	}
	enqueue(q, name, args, pass_fd, done, ctx, false);
	send_next(q);
}

/* See qmp.h */
void qmp_free(struct qmp *q)
{
	if (!q)
		return;
	qmp_close(q);
	close(q->fd);
	g_string_free(q->in, TRUE);
	g_free(q);
}

/* See qmp.h */
void qmp_set_reply_timeout_ms(struct qmp *q, guint ms)
{
	q->timeout_ms = ms;
}
