/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - seccomp allow-list for the wiring phase
 *
 * When the helper runs with privileges its caller does not have, it
 * confines itself (as passt does) once the untrusted input has been
 * parsed and checked: from then on it only talks rtnetlink, creates one
 * tap through the already open /dev/net/tun fds, takes the wire lock
 * (an abstract unix socket, with short sleeps), sends the fds over the
 * caller's socket, writes one line to stderr and exits.
 *
 * Theory of operation
 *
 * The allow-list is not written here. Each function of the wiring phase
 * that makes system calls (itself, or through libnl's socket I/O) names
 * them in its header comment with a "#syscalls" line; functions that only
 * call other tcwire functions name nothing. At build time
 * seccomp_allow.sh collects those lines from the helper's sources into
 * seccomp_allow.h, included below: a change to a function shows its effect
 * on the filter in the same diff. What the C library needs anywhere (the
 * allocator, locks, signal masks around abort(), the clock, stderr,
 * exiting) is annotated on seccomp_confine() itself.
 *
 * The filter: a foreign architecture (or x32 ABI) kills the process, an
 * allowed number returns ALLOW, anything else fails with ENOSYS (the
 * helper then reports an error and rolls back, it never crashes). No
 * open(), no execve(), no file system access, no new privileges. A build
 * for an architecture this file does not know is an error: it would
 * otherwise run unconfined.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "seccomp.h"

#if defined(__x86_64__)
#define SECCOMP_AUDIT_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_AUDIT_ARCH	AUDIT_ARCH_AARCH64
#else
#error "seccomp.c: no AUDIT_ARCH for this architecture: add it, never run unconfined"
#endif

#define ALLOW(nr) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

/*
 * See seccomp.h
 *
 * The C library, whatever the function: allocator and its locks, the
 * signal mask abort() sets, the clock (vDSO fallback), stderr, exiting.
 * #syscalls brk mmap munmap mremap madvise futex getpid gettid
 * #syscalls rt_sigprocmask clock_gettime write writev exit exit_group
 */
int seccomp_confine(struct tcw_err *err)
{
	static const struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
#ifdef __x86_64__
		/* x32 system calls share the numbers with a high bit set */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
#endif
#include "seccomp_allow.h"
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	const struct sock_fprog prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = (struct sock_filter *)filter,
	};

	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0))
		return tcw_err_set(err, errno, "cannot install seccomp filter: %s",
				   strerror(errno));
	return 0;
}
