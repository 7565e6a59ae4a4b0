/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-helper - privilege state and how it is given up
 */
#ifndef TCWIRE_PRIVILEGES_H
#define TCWIRE_PRIVILEGES_H

#include <stdbool.h>
#include <sys/types.h>

#include "client/error.h"

/**
 * enum priv_mode - How the helper came by the power to wire interfaces
 * @PRIV_CALLER_HAS_POWER:	No boundary crossed at exec: the caller is root,
 *				or root of a user namespace owning the netns.
 *				Nothing to drop, no ACL.
 * @PRIV_SETUID_ROOT:		Setuid root, started by another user.
 * @PRIV_FILE_CAPS:		Gained file capabilities (cap_net_admin+ep) or
 *				another secure-exec transition.
 */
enum priv_mode {
	PRIV_CALLER_HAS_POWER,
	PRIV_SETUID_ROOT,
	PRIV_FILE_CAPS,
};

/* Most supplementary groups of a caller that the helper keeps track of */
#define PRIV_MAX_GROUPS		256
#define PRIV_MIN_NOFILE		64	/* open files the helper may need */

/**
 * enum priv_lost - Why the power the helper was installed with did not
 *		    reach it (a container runtime's doing, mostly)
 * @PRIV_LOST_NOTHING:		Nothing lost
 * @PRIV_LOST_BOUNDING:		Setuid or file capabilities, but CAP_NET_ADMIN
 *				is not in the capability bounding set
 * @PRIV_LOST_NO_NEW_PRIVS:	The file is setuid root or has capabilities,
 *				but no_new_privs was set, so exec ignored that
 * @PRIV_LOST_NOSUID:		The same, but the file lives on a nosuid mount
 * @PRIV_NEVER_GRANTED:		The caller lacks CAP_NET_ADMIN and the file is
 *				neither setuid root nor has capabilities: it
 *				was installed without -Dhelper-permissions
 */
enum priv_lost {
	PRIV_LOST_NOTHING,
	PRIV_LOST_BOUNDING,
	PRIV_LOST_NO_NEW_PRIVS,
	PRIV_LOST_NOSUID,
	PRIV_NEVER_GRANTED,
};

/**
 * struct privileges - What this process may do, decided once at start
 * @mode:		See enum priv_mode
 * @lost:		See enum priv_lost; privileges_check_granted() refuses
 *			to go on unless PRIV_LOST_NOTHING
 * @caller_uid:		Real uid: the user who started us
 * @caller_gid:		Real gid
 * @may_setgroups:	CAP_SETGID is permitted: supplementary groups can be
 *			dropped (setuid root)
 * @may_setpcap:	CAP_SETPCAP is permitted: the bounding set can be
 *			cleared (setuid root)
 * @caller_groups:	The caller's supplementary groups, read before they
 *			are dropped: "include-group" ACL lines need them
 * @n_caller_groups:	Number of @caller_groups, -1 if there were more
 *			than PRIV_MAX_GROUPS (then group includes refuse)
 * @tun_override:	CAP_DAC_OVERRIDE is still held (file capabilities
 *			that grant it), only to open /dev/net/tun when it is
 *			0600; dropped right after
 */
struct privileges {
	enum priv_mode mode;
	enum priv_lost lost;
	uid_t caller_uid;
	gid_t caller_gid;
	bool may_setgroups;
	bool may_setpcap;
	gid_t caller_groups[PRIV_MAX_GROUPS];
	int n_caller_groups;
	bool tun_override;
};

/**
 * privileges_detect() - Find out how we were started
 * @priv:	Filled from AT_SECURE and the real and effective ids
 *
 * The kernel sets AT_SECURE when exec gave us more than our caller had
 * (setuid, setgid, file capabilities); that and only that is a boundary.
 * Also finds out which capabilities the bounding set let through and, when
 * the caller has no CAP_NET_ADMIN, whether a setuid bit or file capability
 * was ignored (no_new_privs, nosuid mount): see enum priv_lost.
 */
void privileges_detect(struct privileges *priv);

/**
 * privileges_boundary_crossed() - Whether the caller has less power than us
 * @priv:	State from privileges_detect()
 *
 * Return: true if the ACL must be enforced and the process sanitised
 */
bool privileges_boundary_crossed(const struct privileges *priv);

/**
 * privileges_sanitize_process() - Distrust what the caller handed us
 * @priv:	State from privileges_detect()
 * @keep_fd:	The --fd socket, kept open
 * @err:	Filled on failure
 *
 * Only when a boundary was crossed: raise the soft RLIMIT_NOFILE to the
 * hard one (refused below PRIV_MIN_NOFILE), clear the environment (and
 * the libnl debug level its constructors already read from it), set umask
 * 022, make sure 0/1/2 are open (else a later open() could land on fd 2
 * and receive our messages), and close every other fd but @keep_fd.
 *
 * Return: 0 or negative errno
 */
int privileges_sanitize_process(struct privileges *priv, int keep_fd,
				struct tcw_err *err);

/**
 * privileges_check_granted() - Refuse if the helper's power did not reach it
 * @priv:	State from privileges_detect()
 * @err:	Filled on failure
 *
 * The first step that needs privileges comes after this: a container
 * runtime that took the power away (see enum priv_lost) gets the cause and
 * the fix, not a bare EPERM from deep inside.
 *
 * Return: 0, or -EPERM with the cause and the fix in @err
 */
int privileges_check_granted(const struct privileges *priv,
			     struct tcw_err *err);

/**
 * privileges_tun_as_root() - Whether to open /dev/net/tun before dropping
 * @priv:	State from privileges_detect()
 *
 * Setuid root: euid 0 owns the root-owned node, so even a 0600 one opens
 * without any capability (a container's bounding set may lack
 * CAP_DAC_OVERRIDE). The path is fixed; nothing of the caller's reaches it.
 *
 * Return: true if /dev/net/tun is to be opened before privileges_drop(),
 * false if after it
 */
bool privileges_tun_as_root(const struct privileges *priv);

/**
 * privileges_drop() - Keep CAP_NET_ADMIN only and become the caller
 * @priv:	State; tun_override is set if CAP_DAC_OVERRIDE was kept
 * @err:	Filled on failure
 *
 * Setuid root (/dev/net/tun is open already, see privileges_tun_as_root()):
 * keep CAP_NET_ADMIN alone, switch to the real uid/gid, drop supplementary
 * groups, clear the bounding set. File capabilities: keep CAP_NET_ADMIN,
 * and CAP_DAC_OVERRIDE if the file grants it, for /dev/net/tun at 0600
 * (privileges_drop_tun_override() gives it up after the open). Both: set
 * no_new_privs. Caller had the power: nothing changes. A container's
 * bounding set may withhold CAP_SETGID and CAP_SETPCAP: then the caller's
 * own supplementary groups stay and the bounding set is left as it is
 * (no_new_privs and the seccomp filter stop any later gain either way).
 * Refuses as privileges_check_granted() does, should a caller skip that.
 *
 * Return: 0 or negative errno
 */
int privileges_drop(struct privileges *priv, struct tcw_err *err);

/**
 * privileges_drop_tun_override() - Give up CAP_DAC_OVERRIDE, if still held
 * @priv:	State
 * @err:	Filled on failure
 *
 * Return: 0 or negative errno
 */
int privileges_drop_tun_override(struct privileges *priv,
				 struct tcw_err *err);

#endif /* TCWIRE_PRIVILEGES_H */
