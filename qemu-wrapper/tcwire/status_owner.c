/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - which process holds which tap, from /proc/PID/fdinfo
 *
 * The kernel shows, for a tun fd, the device it is attached to in
 * /proc/PID/fdinfo/FD ("iff:\ttcw0"). That names the tap but not its
 * namespace; the holder's network namespace stands in for it (qemu runs in
 * the namespace of its taps). Only fds that readlink to /dev/net/tun are
 * looked at, and only processes in the namespaces asked for.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "status_owner.h"

/* See status_owner.h */
uint64_t owner_netns_ino_of(const char *pid_dir)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/ns/net", pid_dir);
	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* g_array_sort() order of processes: by PID */
static gint proc_compare(gconstpointer a, gconstpointer b)
{
	return ((const struct status_proc *)a)->pid - ((const struct status_proc *)b)->pid;
}

/* The tap name in /proc/PID/fdinfo/FD into @ifname, "" if none */
static void fdinfo_iff(const char *pid_dir, const char *fd, char *ifname,
		       size_t len)
{
	char path[300], text[1024];
	const char *line;
	ssize_t n;
	int f;

	ifname[0] = '\0';
	snprintf(path, sizeof(path), "%s/fdinfo/%s", pid_dir, fd);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return;
	n = read(f, text, sizeof(text) - 1);	/* a few short lines */
	close(f);
	if (n <= 0)
		return;
	text[n] = '\0';
	line = strstr(text, "\niff:\t");
	if (!line)
		return;
	line += strlen("\niff:\t");
	g_strlcpy(ifname, line, MIN(len, strcspn(line, "\n") + 1));
}

/* The name of process @pid_dir into @o */
static void owner_fill(struct status_owner *o, const char *pid_dir, int pid)
{
	g_autofree char *path = g_strdup_printf("%s/comm", pid_dir);
	g_autofree char *comm = NULL;

	o->pid = pid;
	if (g_file_get_contents(path, &comm, NULL, NULL))
		g_strlcpy(o->comm, g_strchomp(comm), sizeof(o->comm));
}

/* Whether @o looks like qemu ("qemu-system-x86", "qemu-kvm") */
static bool owner_is_qemu(const struct status_owner *o)
{
	return !strncmp(o->comm, "qemu", 4);
}

/*
 * Record @o as the holder of the tap @key: a qemu process wins over any
 * other holder (a launcher script that passed the fd on keeps it too),
 * then the smallest PID.
 */
static void owner_record(GHashTable *owners, char *key,
			 const struct status_owner *o)
{
	struct status_owner *had = g_hash_table_lookup(owners, key);
	bool supervised = !strcmp(o->comm, "tcwire-qemu") ||
			  (had && had->supervised);

	if (had && (owner_is_qemu(had) || !owner_is_qemu(o))) {
		had->supervised = supervised;
		g_free(key);
		return;
	}
	had = g_new(struct status_owner, 1);
	*had = *o;
	had->supervised = supervised;
	g_hash_table_insert(owners, key, had);
}

/* Record the taps held by the process @pid_dir */
static void process_scan(GHashTable *owners, const char *pid_dir, int pid,
			 uint64_t ino)
{
	g_autofree char *fd_dir = g_strdup_printf("%s/fd", pid_dir);
	struct status_owner o = { 0, "", false };
	DIR *d = opendir(fd_dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[300], target[32], ifname[IFNAMSIZ];
		ssize_t n;

		snprintf(path, sizeof(path), "%s/%s", fd_dir, e->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, "/dev/net/tun"))
			continue;
		fdinfo_iff(pid_dir, e->d_name, ifname, sizeof(ifname));
		if (!ifname[0])
			continue;
		if (!o.pid)
			owner_fill(&o, pid_dir, pid);
		owner_record(owners, g_strdup_printf("%" G_GUINT64_FORMAT ":%s",
						     ino, ifname), &o);
	}
	closedir(d);
}

/* See status_owner.h */
GArray *owner_procs_list(void)
{
	GArray *procs = g_array_new(FALSE, FALSE, sizeof(struct status_proc));
	int dfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		struct status_proc p = { atoi(e->d_name), 0 };
		char path[64];
		struct stat st;

		if (p.pid <= 0)
			continue;
		snprintf(path, sizeof(path), "%d/ns/net", p.pid);
		if (fstatat(dfd, path, &st, 0) < 0)
			continue;
		p.netns_ino = st.st_ino;
		g_array_append_val(procs, p);
	}
	if (d)
		closedir(d);
	else if (dfd >= 0)
		close(dfd);
	g_array_sort(procs, proc_compare);
	return procs;
}

/* The inodes of the namespaces in @ns that have a wire with a tap */
static GHashTable *inos_with_taps(const struct status_netns *ns, size_t n)
{
	GHashTable *set = g_hash_table_new_full(g_int64_hash, g_int64_equal,
						g_free, NULL);
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; !ns[i].error && j < ns[i].report.n; j++) {
			gint64 *key;

			if (!ns[i].report.wires[j].tap)
				continue;
			key = g_new(gint64, 1);
			*key = (gint64)ns[i].ino;
			g_hash_table_add(set, key);
			break;
		}
	}
	return set;
}

/* See status_owner.h */
GHashTable *owner_scan(GArray *procs, const struct status_netns *ns,
			     size_t n)
{
	GHashTable *owners = g_hash_table_new_full(g_str_hash, g_str_equal,
						   g_free, g_free);
	GHashTable *want = inos_with_taps(ns, n);
	guint i;

	for (i = 0; g_hash_table_size(want) && i < procs->len; i++) {
		const struct status_proc *p = &g_array_index(procs, struct status_proc, i);
		gint64 ino = (gint64)p->netns_ino;
		char pid_dir[64];

		if (!g_hash_table_contains(want, &ino))
			continue;
		snprintf(pid_dir, sizeof(pid_dir), "/proc/%d", p->pid);
		process_scan(owners, pid_dir, p->pid, p->netns_ino);
	}
	g_hash_table_unref(want);
	return owners;
}

/* See status_owner.h */
void owner_attach(GHashTable *owners, struct status_netns *ns, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; !ns[i].error && j < ns[i].report.n; j++) {
			struct status_wire *w = &ns[i].report.wires[j];
			g_autofree char *key = NULL;
			struct status_owner *o;

			if (!w->tap)
				continue;
			key = g_strdup_printf("%" G_GUINT64_FORMAT ":%s", ns[i].ino,
					      w->tap->name);
			o = g_hash_table_lookup(owners, key);
			if (o)
				w->owner = *o;
		}
	}
}
