/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire doctor - each problem, its likely cause, and the command that fixes it
 *
 * Every finding of status_classify.c becomes two lines, from its record in
 * status_findings.c:
 *
 *	eth2: the VM that used eth2 is gone; its redirect points to a deleted device
 *	  fix: the next wiring replaces it, or remove it: tc filter del dev eth2 ingress pref 29795
 *
 * The commands are the ones a user types in that namespace; for another
 * namespace (--all) they start with its enter prefix ("ip netns exec r1").
 */
#include "status_classify.h"
#include "status_doctor.h"
#include "status_findings.h"

/* Print every finding of @w; returns how many */
static size_t doctor_wire(GString *out, const struct status_netns *ns,
			  const struct status_wire *w, bool all)
{
	g_autofree char *enter = ns->enter ? g_strdup_printf("%s ", ns->enter) :
					     g_strdup("");
	struct finding_advice a;
	size_t count = 0;
	int f;

	finding_advice_init(&a, enter);
	for (f = 0; f < STATUS_N_FINDINGS; f++) {
		const struct finding_kind *k =
			finding_kind((enum status_finding)f);

		if (!status_has(w, (enum status_finding)f) || !k->advise)
			continue;
		g_string_truncate(a.fix, 0);
		k->advise(w, &a);
		if (all)
			g_string_append_printf(out, "%s: ", ns->label ? ns->label : "-");
		g_string_append_printf(out, "%s\n  fix: %s\n", a.what->str, a.fix->str);
		count++;
	}
	finding_advice_clear(&a);
	return count;
}

/* See status_doctor.h */
size_t doctor_print(GString *out, const struct status_netns *ns, size_t n,
		   bool all)
{
	size_t i, j, wires = 0, bad_wires = 0, findings = 0;

	for (i = 0; i < n; i++) {
		if (ns[i].error) {
			g_string_append_printf(out, "%s: cannot be inspected: %s\n  fix: run tcwire doctor inside it\n",
					       ns[i].label ? ns[i].label : "this namespace",
					       ns[i].error_msg ? ns[i].error_msg : "");
			findings++;
			continue;
		}
		for (j = 0; j < ns[i].report.n; j++, wires++) {
			size_t k = doctor_wire(out, &ns[i], &ns[i].report.wires[j], all);

			findings += k;
			bad_wires += k > 0;
		}
	}
	if (!findings)
		g_string_append_printf(out, "all is well: %zu wire%s, no problem found\n",
				       wires, wires == 1 ? "" : "s");
	else
		g_string_append_printf(out, "%zu problem%s on %zu of %zu wire%s\n",
				       findings, findings == 1 ? "" : "s",
				       bad_wires, wires, wires == 1 ? "" : "s");
	return findings;
}
