/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - privilege state and how it is given up
 *
 * Theory of operation
 *
 * The helper is started by an unprivileged qemu or libvirt and must do one
 * thing that needs CAP_NET_ADMIN: create a tap and wire it. Three setups
 * give it that power, and struct privileges says which one we are in, once,
 * at start; nothing later re-derives it from getuid()/geteuid() (that is
 * how bubblewrap's CVE-2020-5291 happened).
 *
 * 1. Setuid root, started by a user: AT_SECURE is set, euid is 0. While
 *    euid is still 0 we open /dev/net/tun: root owns the node, so it opens
 *    even at 0600 (some systems ship it so, and qemu-bridge-helper, which
 *    drops first, fails there) and without any capability, also where a
 *    container's bounding set left out CAP_DAC_OVERRIDE. That open is of a
 *    fixed path, read-write, no O_CREAT; by then argv is validated, the
 *    environment and every fd but the checked --fd socket are gone, so
 *    nothing of the caller's reaches it. Then we keep CAP_NET_ADMIN alone,
 *    switch every uid and gid to the caller's, drop supplementary groups,
 *    clear the bounding set and set no_new_privs. The ACL is read as the
 *    caller.
 *
 * 2. File capabilities (cap_net_admin+ep): AT_SECURE is set, uids are the
 *    caller's already, so /dev/net/tun is opened as the caller: it must be
 *    0666, unless the file grants CAP_DAC_OVERRIDE too, which we keep only
 *    until that open. We keep CAP_NET_ADMIN and set no_new_privs. The
 *    bounding set stays: clearing it needs CAP_SETPCAP, and no_new_privs
 *    already stops any further gain.
 *
 * 3. The caller already holds CAP_NET_ADMIN over its network namespace
 *    (root, a root qemu, or root of a rootless container's user namespace):
 *    no AT_SECURE, no boundary. We change nothing and need no ACL; the
 *    caller could do all of this with ip(8) and tc(8) itself.
 *
 * In cases 1 and 2 the environment, umask and inherited fds come from the
 * untrusted caller: privileges_sanitize_process() disposes of them before
 * anything else happens.
 *
 * Containers take power away where the helper cannot see it coming: a
 * capability bounding set without CAP_NET_ADMIN (setuid then gains
 * nothing), no_new_privs set by the runtime, or a nosuid mount (the kernel
 * then ignores the setuid bit or file capability: case 3 without the
 * power). privileges_detect() records which (enum priv_lost) and
 * privileges_check_granted() refuses with the cause and the fix, before
 * the first privileged step and its bare EPERM. A bounding set without
 * CAP_DAC_OVERRIDE, CAP_SETGID or CAP_SETPCAP (--cap-drop=ALL
 * --cap-add=NET_ADMIN) is not an error: the setuid case opens
 * /dev/net/tun as its owner anyway, keeps the caller's own supplementary
 * groups and leaves the bounding set as it is. setresuid()/setresgid() to
 * the real ids need no capability.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <linux/capability.h>
#include <cap-ng.h>
#include <netlink/netlink.h>

#include "client/close_fds.h"
#include "privileges.h"

/*
 * Runs before every shared library's constructor (an ELF .preinit_array
 * entry, honoured in the main executable only). libnl's constructors read
 * NLDBG and NLCB from the environment and act on them (debug output,
 * callback kinds) before main() starts, so a caller-controlled environment
 * has to be gone by then when a boundary was crossed.
 */
static void preinit_drop_env_if_secure(int argc, char **argv, char **envp)
{
	/*
	 * Empty the array itself: libc's own initializer, which runs after
	 * this, points environ back at it, so clearenv() alone would be
	 * undone before libnl's constructors look.
	 */
	if (getauxval(AT_SECURE) && envp)
		envp[0] = NULL;
}
__attribute__((section(".preinit_array"), used))
static void (*const preinit_hook)(int, char **, char **) =
	preinit_drop_env_if_secure;

/*
 * Why a caller without CAP_NET_ADMIN got no power from this file: it is
 * setuid root or carries file capabilities and exec ignored that, or it
 * has neither
 */
static enum priv_lost grant_ignored_at_exec(void)
{
	struct statvfs vfs;
	struct stat st;
	bool granted;

	if (stat("/proc/self/exe", &st))
		return PRIV_LOST_NOTHING;
	granted = ((st.st_mode & S_ISUID) && st.st_uid == 0) ||
		  getxattr("/proc/self/exe", "security.capability", NULL, 0) > 0;
	if (!granted)
		return PRIV_NEVER_GRANTED;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		return PRIV_LOST_NO_NEW_PRIVS;
	if (statvfs("/proc/self/exe", &vfs) == 0 && (vfs.f_flag & ST_NOSUID))
		return PRIV_LOST_NOSUID;
	return PRIV_LOST_NOTHING;
}

/* See privileges.h */
void privileges_detect(struct privileges *priv)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;

	getresuid(&ruid, &euid, &suid);
	getresgid(&rgid, &egid, &sgid);
	priv->caller_uid = ruid;
	priv->caller_gid = rgid;
	priv->n_caller_groups = getgroups(PRIV_MAX_GROUPS, priv->caller_groups);
	priv->tun_override = false;
	priv->lost = PRIV_LOST_NOTHING;

	if (!getauxval(AT_SECURE))
		priv->mode = PRIV_CALLER_HAS_POWER;
	else if (euid == 0 && ruid != 0)
		priv->mode = PRIV_SETUID_ROOT;
	else
		priv->mode = PRIV_FILE_CAPS;

	capng_get_caps_process();
	priv->may_setgroups = capng_have_capability(CAPNG_PERMITTED,
						    CAP_SETGID) == 1;
	priv->may_setpcap = capng_have_capability(CAPNG_PERMITTED,
						  CAP_SETPCAP) == 1;
	if (priv->mode != PRIV_CALLER_HAS_POWER) {
		if (capng_have_capability(CAPNG_PERMITTED, CAP_NET_ADMIN) != 1)
			priv->lost = PRIV_LOST_BOUNDING;
	} else if (capng_have_capability(CAPNG_EFFECTIVE, CAP_NET_ADMIN) != 1) {
		priv->lost = grant_ignored_at_exec();
	}
}

/* See privileges.h */
bool privileges_boundary_crossed(const struct privileges *priv)
{
	return priv->mode != PRIV_CALLER_HAS_POWER;
}

/*
 * The caller sets our RLIMIT_NOFILE. A limit so low that opening a file
 * fails midway would make every later step fail in its own way (and once
 * made a name lookup skip per-user deny rules, see acl_file.c): raise the
 * soft limit to the hard one, and refuse outright below PRIV_MIN_NOFILE,
 * with the fix. The caller may still lower it while we run (prlimit(2)
 * works on a process of its own uid once we have switched to it); every
 * step fails closed on EMFILE, so that gains it nothing.
 * #syscalls prlimit64 getrlimit? setrlimit?
 */
static int raise_nofile_limit(struct tcw_err *err)
{
	struct rlimit lim;

	if (getrlimit(RLIMIT_NOFILE, &lim))
		return tcw_err_set(err, errno, "cannot read RLIMIT_NOFILE: %s",
				   strerror(errno));
	if (lim.rlim_max < PRIV_MIN_NOFILE)
		return tcw_err_set(err, EMFILE,
				   "RLIMIT_NOFILE is %llu, below the %d open files the helper needs: raise it (ulimit -n)",
				   (unsigned long long)lim.rlim_max,
				   PRIV_MIN_NOFILE);
	lim.rlim_cur = lim.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &lim))
		return tcw_err_set(err, errno, "cannot raise RLIMIT_NOFILE: %s",
				   strerror(errno));
	return 0;
}

/* See privileges.h */
int privileges_sanitize_process(struct privileges *priv, int keep_fd,
				struct tcw_err *err)
{
	int fd;

	if (!privileges_boundary_crossed(priv))
		return 0;
	if (raise_nofile_limit(err))
		return -EMFILE;	/* @err says why */

	/* Already done before library constructors ran; make sure */
	if (clearenv())
		return tcw_err_set(err, ENOMEM, "cannot clear the environment");
	nl_debug = 0;
	umask(022);

	/* Keep 0/1/2 occupied: a closed stderr would make fd 2 our tap */
	for (fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		if (open("/dev/null", O_RDWR) != fd)
			return tcw_err_set(err, EBADF,
					   "cannot open /dev/null for fd %d", fd);
	}
	if (tcw_close_fds(3, (unsigned int)keep_fd - 1, false) ||
	    tcw_close_fds((unsigned int)keep_fd + 1, ~0U, false))
		return tcw_err_set(err, EBADF,
				   "cannot close the file descriptors inherited");
	return 0;
}

/* Keep CAP_NET_ADMIN and CAP_DAC_OVERRIDE in the prepared libcap-ng state */
static void caps_keep_wiring_set(bool have_admin, bool have_override)
{
	capng_clear(CAPNG_SELECT_BOTH);
	if (have_admin)
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
			     CAP_NET_ADMIN);
	if (have_override)
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
			     CAP_DAC_OVERRIDE);
}

/* See privileges.h */
int privileges_check_granted(const struct privileges *priv,
			     struct tcw_err *err)
{
	switch (priv->lost) {
	case PRIV_LOST_BOUNDING:
		return tcw_err_set(err, EPERM,
				   "CAP_NET_ADMIN is not in the capability bounding set, so the %s gains nothing: add it (--cap-add=NET_ADMIN; Kubernetes: capabilities.add: [NET_ADMIN])",
				   priv->mode == PRIV_SETUID_ROOT ?
				   "setuid helper" : "file capability");
	case PRIV_LOST_NO_NEW_PRIVS:
		return tcw_err_set(err, EPERM,
				   "no_new_privs is set, so the kernel ignored the helper's setuid bit or file capability: run without it (no --security-opt no-new-privileges; Kubernetes: allowPrivilegeEscalation: true)");
	case PRIV_LOST_NOSUID:
		return tcw_err_set(err, EPERM,
				   "the helper is on a nosuid mount, so the kernel ignored its setuid bit or file capability: install it on a file system mounted without nosuid");
	case PRIV_NEVER_GRANTED:
		return tcw_err_set(err, EPERM,
				   "uid %u has no CAP_NET_ADMIN, and this helper is neither setuid root nor has file capabilities: build with meson setup -Dhelper-permissions=setuid (or =capabilities) and run meson install as root",
				   (unsigned int)priv->caller_uid);
	case PRIV_LOST_NOTHING:
		break;
	}
	return 0;
}

/* See privileges.h */
bool privileges_tun_as_root(const struct privileges *priv)
{
	return priv->mode == PRIV_SETUID_ROOT;
}

/*
 * Setuid root: become the caller, keeping CAP_NET_ADMIN alone (/dev/net/tun
 * is open already, see privileges_tun_as_root()). setresuid() and
 * setresgid() to the real ids need no capability; setgroups() needs
 * CAP_SETGID and clearing the bounding set CAP_SETPCAP, which a container
 * may have withheld (see the theory of operation).
 */
static int setuid_become_caller(struct privileges *priv, struct tcw_err *err)
{
	uid_t uid = priv->caller_uid;
	gid_t gid = priv->caller_gid;

	caps_keep_wiring_set(true, false);
	if (priv->may_setpcap && capng_apply(CAPNG_SELECT_BOUNDS))
		return tcw_err_set(err, EPERM, "cannot clear the bounding set");
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
	    (priv->may_setgroups && setgroups(0, NULL)) ||
	    setresgid(gid, gid, gid) || setresuid(uid, uid, uid) ||
	    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0))
		return tcw_err_set(err, errno, "cannot switch to uid %u: %s",
				   (unsigned int)uid, strerror(errno));
	if (capng_apply(CAPNG_SELECT_CAPS))
		return tcw_err_set(err, EPERM, "cannot drop capabilities");
	return 0;
}

/* See privileges.h */
int privileges_drop(struct privileges *priv, struct tcw_err *err)
{
	bool have_admin, have_override;
	int rc;

	rc = privileges_check_granted(priv, err);
	if (rc)
		return rc;
	switch (priv->mode) {
	case PRIV_CALLER_HAS_POWER:
		return 0;
	case PRIV_SETUID_ROOT:
		rc = setuid_become_caller(priv, err);
		if (rc)
			return rc;
		break;
	case PRIV_FILE_CAPS:
		capng_get_caps_process();
		have_admin = capng_have_capability(CAPNG_PERMITTED,
						   CAP_NET_ADMIN);
		have_override = capng_have_capability(CAPNG_PERMITTED,
						      CAP_DAC_OVERRIDE);
		caps_keep_wiring_set(have_admin, have_override);
		if (capng_apply(CAPNG_SELECT_CAPS))
			return tcw_err_set(err, EPERM,
					   "cannot drop capabilities");
		priv->tun_override = have_override;
		break;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return tcw_err_set(err, errno, "cannot set no_new_privs: %s",
				   strerror(errno));
	return 0;
}

/* See privileges.h */
int privileges_drop_tun_override(struct privileges *priv,
				 struct tcw_err *err)
{
	if (!priv->tun_override)
		return 0;
	capng_get_caps_process();
	capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
		     CAP_DAC_OVERRIDE);
	if (capng_apply(CAPNG_SELECT_CAPS))
		return tcw_err_set(err, EPERM, "cannot drop CAP_DAC_OVERRIDE");
	priv->tun_override = false;
	return 0;
}
