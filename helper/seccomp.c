/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - seccomp allow-list for the wiring phase
 *
 * When the helper runs with privileges its caller does not have, it
 * confines itself (as passt does) once the untrusted input has been
 * parsed and checked: from then on it only talks rtnetlink, creates one
 * tap through the already open /dev/net/tun fds, takes the wire lock
 * (an abstract unix socket, with short sleeps), sends the fds over the
 * caller's socket, writes one line to stderr and exits. The allow-list is
 * exactly that, plus what the C library's allocator needs:
 *
 *   netlink/lock:  socket bind getsockname setsockopt sendmsg sendto
 *                  recvmsg recvfrom close
 *   tap:           ioctl (TUNGETFEATURES, TUNSETIFF)
 *   lock wait:     nanosleep clock_nanosleep
 *   output, exit:  write writev exit exit_group
 *   memory:        brk mmap munmap mremap madvise
 *   libc/libnl:    getpid gettid futex rt_sigprocmask clock_gettime
 *
 * No open(), no execve(), no file system access, no new privileges.
 * Other architectures than the one the helper was built for are refused.
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

/* See seccomp.h */
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
		ALLOW(__NR_socket), ALLOW(__NR_bind), ALLOW(__NR_getsockname),
		ALLOW(__NR_setsockopt), ALLOW(__NR_sendmsg),
		ALLOW(__NR_sendto), ALLOW(__NR_recvmsg), ALLOW(__NR_recvfrom),
		ALLOW(__NR_close), ALLOW(__NR_ioctl),
#ifdef __NR_nanosleep
		ALLOW(__NR_nanosleep),
#endif
		ALLOW(__NR_clock_nanosleep),
		ALLOW(__NR_write), ALLOW(__NR_writev),
		ALLOW(__NR_exit), ALLOW(__NR_exit_group),
		ALLOW(__NR_brk), ALLOW(__NR_mmap), ALLOW(__NR_munmap),
		ALLOW(__NR_mremap), ALLOW(__NR_madvise),
		ALLOW(__NR_getpid), ALLOW(__NR_gettid), ALLOW(__NR_futex),
		ALLOW(__NR_rt_sigprocmask), ALLOW(__NR_clock_gettime),
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
