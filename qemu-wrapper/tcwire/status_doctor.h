/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire doctor - each problem, its likely cause, and the command that fixes it
 */
#ifndef TCWIRE_STATUS_DOCTOR_H
#define TCWIRE_STATUS_DOCTOR_H

#include <glib.h>

#include "status_model.h"

/**
 * doctor_print() - Explain every finding of some namespaces
 * @out:	Appended to: two lines per finding (what is wrong and why;
 *		"  fix: " and the command), then a summary line
 * @ns:		Namespaces; one that could not be read is a finding too
 * @n:		How many
 * @all:	Name the namespace on each finding (tcwire doctor --all)
 *
 * Commands are given as they run in the namespace: prefixed with the
 * namespace's @enter command when it is not our own.
 *
 * Return: the number of findings (0: all is well)
 */
size_t doctor_print(GString *out, const struct status_netns *ns, size_t n,
		   bool all);

#endif /* TCWIRE_STATUS_DOCTOR_H */
