/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - the network namespaces to read, and reading them
 *
 * Theory of operation
 *
 * An rtnetlink socket belongs to the network namespace it was created in.
 * So reading another namespace is: setns() into it, open the socket,
 * setns() back at once, then dump through the socket. Nothing else runs
 * while we are away (no threads: GLib without GIO starts none).
 *
 * The namespaces of a lab host are the named ones (/run/netns, made by ip
 * netns) and those of running processes (/proc/PID/ns/net: containers).
 * They are told apart by the inode of their nsfs file, so that a
 * namespace is read once however many names and processes it has: named
 * first, then by the smallest PID in it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include <netlink/socket.h>

#include "wire/netlink.h"
#include "status_classify.h"
#include "status_escape.h"
#include "status_netns.h"
#include "status_owner.h"

/* A namespace found, not read yet */
struct ns_found {
	char *label;
	char *enter;
	uint64_t ino;
	int fd;
};

/* Free the contents of a struct status_netns (GArray clear function) */
static void netns_clear(gpointer p)
{
	struct status_netns *ns = p;

	classify_report_free(&ns->report);
	snapshot_free(&ns->snap);
	g_clear_pointer(&ns->label, g_free);
	g_clear_pointer(&ns->enter, g_free);
	g_clear_pointer(&ns->error_msg, g_free);
}

/* See status_netns.h */
GArray *netns_array_new(void)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct status_netns));

	g_array_set_clear_func(a, netns_clear);
	return a;
}

/*
 * Receive buffer for dumps: one recvmsg() per batch of answers. libnl
 * would otherwise peek at each message to size its buffer, which doubles
 * the system calls of the hundreds of small dumps of --all.
 */
#define NL_DUMP_BUF	(64 * 1024)

/* Snapshot and classify through @nl (open in @ns's namespace) */
static int netns_read(struct tcw_nl *nl, struct status_netns *ns,
		      struct snapshot_cost *cost)
{
	struct tcw_err err = { "" };
	int rc;

	nl_socket_disable_msg_peek(nl->sk);
	nl_socket_set_msg_buf_size(nl->sk, NL_DUMP_BUF);
	rc = snapshot_take(nl, &ns->snap, cost, &err);

	if (rc < 0) {
		ns->error = rc;
		ns->error_msg = g_strdup(err.msg);
		return rc;
	}
	classify_wires(&ns->snap, &ns->report);
	return 0;
}

/**
 * netns_read_here() - Read the network namespace we run in
 * @ns:		Result (label and enter prefix NULL); on failure @ns->error
 *		and @ns->error_msg say why
 * @cost:	If not NULL, the requests it took
 *
 * Return: 0 or negative errno
 */
static int netns_read_here(struct status_netns *ns, struct snapshot_cost *cost)
{
	struct tcw_err err = { "" };
	struct tcw_nl nl;
	int rc;

	ns->ino = owner_netns_ino_of("/proc/self");
	rc = tcw_nl_open(&nl, &err);
	if (rc < 0) {
		ns->error = rc;
		ns->error_msg = g_strdup(err.msg);
		return rc;
	}
	rc = netns_read(&nl, ns, cost);
	tcw_nl_close(&nl);
	return rc;
}

/* Whether @ino is among @found already */
static bool found_has(GArray *found, uint64_t ino)
{
	guint i;

	for (i = 0; i < found->len; i++)
		if (g_array_index(found, struct ns_found, i).ino == ino)
			return true;
	return false;
}

/* Add the namespace file @path unless its namespace is known */
static void found_add(GArray *found, const char *path, char *label,
		      char *enter)
{
	struct ns_found f = { label, enter, 0, -1 };
	struct statfs fs;
	struct stat st;

	f.fd = open(path, O_RDONLY | O_CLOEXEC);
	/* A /run/netns entry whose bind mount is not (or no longer) there */
	if (f.fd < 0 || fstatfs(f.fd, &fs) < 0 || fs.f_type != NSFS_MAGIC ||
	    fstat(f.fd, &st) < 0 || found_has(found, st.st_ino)) {
		if (f.fd >= 0)
			close(f.fd);
		g_free(label);
		g_free(enter);
		return;
	}
	f.ino = st.st_ino;
	g_array_append_val(found, f);
}

/* g_ptr_array_sort() order of strings */
static gint str_ptr_compare(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Named namespaces, in name order */
static void find_named(GArray *found)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	DIR *d = opendir("/run/netns");
	struct dirent *e;
	guint i;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			g_ptr_array_add(names, g_strdup(e->d_name));
	if (d)
		closedir(d);
	g_ptr_array_sort(names, str_ptr_compare);
	for (i = 0; i < names->len; i++) {
		const char *name = g_ptr_array_index(names, i);
		g_autofree char *path = g_strdup_printf("/run/netns/%s", name);

		g_autofree char *quoted = escape_shell_word(name);

		found_add(found, path, g_strdup(name),
			  g_strdup_printf("ip netns exec %s", quoted));
	}
	g_ptr_array_unref(names);
}

/* The host name of process @pid's UTS namespace, if it has its own */
static char *uts_name_of(int pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/ns/uts", pid);
	char name[256] = "";
	struct stat mine, theirs;
	int fd, self;

	if (stat("/proc/self/ns/uts", &mine) < 0 || stat(path, &theirs) < 0 ||
	    mine.st_ino == theirs.st_ino)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	self = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && self >= 0 && setns(fd, CLONE_NEWUTS) == 0) {
		if (gethostname(name, sizeof(name) - 1) < 0)
			name[0] = '\0';
		if (setns(self, CLONE_NEWUTS) < 0)
			abort();	/* we would report the wrong host name */
	}
	if (fd >= 0)
		close(fd);
	if (self >= 0)
		close(self);
	return name[0] ? g_strdup(name) : NULL;
}

/* The label of the namespace of process @pid */
static char *process_label(int pid)
{
	g_autofree char *host = NULL;
	g_autofree char *path = NULL;
	g_autofree char *comm = NULL;

	if (pid == 1)
		return g_strdup("host");
	host = uts_name_of(pid);
	if (host)
		return g_strdup_printf("container:%s", host);
	path = g_strdup_printf("/proc/%d/comm", pid);
	if (!g_file_get_contents(path, &comm, NULL, NULL))
		return g_strdup_printf("pid:%d", pid);
	return g_strdup_printf("pid:%d:%s", pid, g_strchomp(comm));
}

/* Namespaces of processes (@procs by PID), each by its smallest PID */
static void find_processes(GArray *found, GArray *procs)
{
	guint i;

	for (i = 0; i < procs->len; i++) {
		const struct status_proc *p = &g_array_index(procs, struct status_proc, i);
		char path[64];

		if (found_has(found, p->netns_ino))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/net", p->pid);
		found_add(found, path, process_label(p->pid),
			  g_strdup_printf("nsenter -t %d -n", p->pid));
	}
}

/* Open an rtnetlink socket in the namespace @fd; back home via @self */
static int nl_open_in(struct tcw_nl *nl, int fd, int self, struct tcw_err *err,
		      bool *lost)
{
	int rc;

	if (setns(fd, CLONE_NEWNET) < 0)
		return tcw_err_set(err, errno, "cannot enter it: %s",
				   strerror(errno));
	rc = tcw_nl_open(nl, err);
	if (setns(self, CLONE_NEWNET) < 0) {
		*lost = true;
		if (rc == 0)
			tcw_nl_close(nl);
		return tcw_err_set(err, errno,
				   "cannot return to our own network namespace: %s",
				   strerror(errno));
	}
	return rc;
}

/* Read the namespace @f into a new element of @out */
static int read_found(GArray *out, struct ns_found *f, int self,
		      uint64_t self_ino, struct snapshot_cost *cost)
{
	struct status_netns ns = { .label = f->label, .ino = f->ino };
	struct snapshot_cost c = { 0, 0, 0 };
	struct tcw_err err = { "" };
	struct tcw_nl nl;
	bool lost = false;
	int rc;

	ns.enter = f->ino == self_ino ? NULL : f->enter;
	if (f->ino == self_ino)
		g_free(f->enter);
	f->label = f->enter = NULL;
	rc = nl_open_in(&nl, f->fd, self, &err, &lost);
	if (rc < 0) {
		ns.error = rc;
		ns.error_msg = g_strdup(err.msg);
	} else {
		netns_read(&nl, &ns, &c);
		tcw_nl_close(&nl);
	}
	if (cost) {
		cost->link_dumps += c.link_dumps;
		cost->qdisc_dumps += c.qdisc_dumps;
		cost->hook_scans += c.hook_scans;
	}
	g_array_append_val(out, ns);
	return lost ? rc : 0;
}

/**
 * netns_read_all() - Read every network namespace of the host
 * @out:	Array of struct status_netns, appended to: named namespaces
 *		(/run/netns) by name, then the others found through
 *		/proc/PID/ns/net, one per namespace: "host" (that of PID 1),
 *		"container:HOSTNAME" for a process with its own UTS namespace,
 *		"pid:PID:COMM" otherwise. A namespace that cannot be read is
 *		in the array with its error.
 * @procs:	The processes (owner_procs_list())
 * @cost:	If not NULL, the requests it took, summed
 * @err:	Filled on failure
 *
 * Needs CAP_SYS_ADMIN (to enter namespaces) and CAP_SYS_PTRACE (to see
 * other users' processes): the caller checks that first. Enters each
 * namespace only to open an rtnetlink socket there and returns at once.
 *
 * Return: 0, or negative errno if our own namespace cannot be returned to
 *	   (then the process must exit)
 */
static int netns_read_all(GArray *out, GArray *procs,
			struct snapshot_cost *cost, struct tcw_err *err)
{
	GArray *found = g_array_new(FALSE, FALSE, sizeof(struct ns_found));
	uint64_t self_ino = owner_netns_ino_of("/proc/self");
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int rc = 0;
	guint i;

	if (self < 0) {
		g_array_free(found, TRUE);
		return tcw_err_set(err, errno, "/proc/self/ns/net: %s",
				   strerror(errno));
	}
	find_named(found);
	find_processes(found, procs);
	for (i = 0; i < found->len; i++) {
		struct ns_found *f = &g_array_index(found, struct ns_found, i);

		if (rc == 0)
			rc = read_found(out, f, self, self_ino, cost);
		if (rc < 0 && !err->msg[0]) {
			struct status_netns *last = &g_array_index(out, struct status_netns,
								 out->len - 1);

			tcw_err_set(err, -rc, "%s", last->error_msg);
		}
		g_free(f->label);
		g_free(f->enter);
		close(f->fd);
	}
	close(self);
	g_array_free(found, TRUE);
	return rc;
}

/* See status_netns.h */
int netns_collect(bool all, GArray *out, struct snapshot_cost *cost,
		       struct tcw_err *err)
{
	GArray *procs = owner_procs_list();
	struct status_netns here = { 0 };
	GHashTable *owners;
	guint i;
	int rc;

	if (all) {
		rc = netns_read_all(out, procs, cost, err);
	} else {
		rc = netns_read_here(&here, cost);
		if (rc < 0)
			tcw_err_set(err, -rc, "%s", here.error_msg);
		g_array_append_val(out, here);
	}
	if (rc == 0) {
		struct status_netns *ns = (struct status_netns *)(void *)out->data;

		owners = owner_scan(procs, ns, out->len);
		owner_attach(owners, ns, out->len);
		g_hash_table_unref(owners);
		for (i = 0; i < out->len; i++)
			classify_supervised(&ns[i].report);
	}
	g_array_unref(procs);
	return rc;
}
