/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - a QMP client on the socket qemu got as its monitor
 */
#ifndef TCWIRE_QMP_H
#define TCWIRE_QMP_H

#include <stdbool.h>

#include <glib.h>
#include <json-glib/json-glib.h>

/* How long a command waits for its reply before it fails */
#define QMP_REPLY_TIMEOUT_S	10

struct qmp;

/**
 * qmp_reply_fn - Called with the outcome of one command
 * @ret:	The "return" member on success, NULL on failure
 * @error:	NULL on success; else qemu's error ("GenericError: ...") or
 *		"qemu closed the monitor"
 * @ctx:	From qmp_command()
 */
typedef void (*qmp_reply_fn)(JsonNode *ret, const char *error, void *ctx);

/**
 * qmp_event_fn - Called for every asynchronous event qemu sends
 * @event:	Event name, e.g. "DEVICE_DELETED"
 * @data:	Its "data" member, or NULL
 * @ctx:	From qmp_new()
 */
typedef void (*qmp_event_fn)(const char *event, JsonObject *data, void *ctx);

/**
 * qmp_new() - Speak QMP on @fd, from the main context's loop
 * @fd:		Our end of the monitor socket; owned (closed) by the client
 * @on_event:	Called for events, may be NULL
 * @ctx:	Passed to @on_event
 *
 * Waits for qemu's greeting and negotiates capabilities by itself;
 * commands given before that are queued. One command is in flight at a
 * time, so replies come back in the order the commands were given.
 *
 * Return: new client; free with qmp_free()
 */
struct qmp *qmp_new(int fd, qmp_event_fn on_event, void *ctx);

/**
 * qmp_command() - Queue one command
 * @q:		Client
 * @name:	Command, e.g. "set_link"
 * @args:	Its "arguments", or NULL; the reference is consumed
 * @pass_fd:	An fd to send with the command (SCM_RIGHTS, for "getfd"),
 *		or -1; the caller keeps its own copy
 * @done:	Called with the reply, may be NULL
 * @ctx:	Passed to @done
 *
 * If the monitor is already closed, @done is called before returning.
 */
void qmp_command(struct qmp *q, const char *name, JsonObject *args,
		 int pass_fd, qmp_reply_fn done, void *ctx);

/**
 * qmp_free() - Close the socket; pending commands get "closed" replies
 * @q:		Client, may be NULL
 */
void qmp_free(struct qmp *q);

/**
 * qmp_args() - Build a command's arguments: name/value pairs
 * @first:	First member name, then its type and value, and so on:
 *		's' const char *, 'b' gboolean, 'i' gint64; NULL ends the list
 *
 * Example: qmp_args("name", 's', "tcwnic1", "up", 'b', FALSE, NULL)
 *
 * Return: new object (the caller owns the reference)
 */
JsonObject *qmp_args(const char *first, ...) G_GNUC_NULL_TERMINATED;

/**
 * qmp_set_reply_timeout_ms() - How long a command waits for its reply
 * @q:		Client
 * @ms:		Milliseconds (default QMP_REPLY_TIMEOUT_S seconds)
 */
void qmp_set_reply_timeout_ms(struct qmp *q, guint ms);

#endif
