/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status - every kind of finding, one record each
 */
#ifndef TCWIRE_STATUS_FINDINGS_H
#define TCWIRE_STATUS_FINDINGS_H

#include <glib.h>

#include "status_model.h"

/**
 * struct finding_advice - What tcwire doctor prints for one finding
 * @what:	The diagnosis
 * @fix:	The command or step that fixes it
 * @enter:	Prefix of commands for another namespace ("ip netns exec r1 ")
 *		or ""
 * @quoted:	Shell-quoted names made for @fix (finding_advice_word())
 * @cmd:	Room for one tc command (wire/tc_filter.h)
 */
struct finding_advice {
	GString *what;
	GString *fix;
	const char *enter;
	GPtrArray *quoted;
	char cmd[512];
};

/**
 * struct finding_kind - Everything tcwire knows about one kind of
 *			      finding: adding one is a row here plus its
 *			      classifier (status_classify.c)
 * @code:	Stable code, for JSON ("tap-gone")
 * @state:	The state it gives its wire; a wire takes the first state in
 *		enum order among its findings' (STATUS_OK: none of its own)
 * @note:	Its short note for the table and JSON, when fixed
 * @note_fn:	Writes its note when it names devices (else NULL)
 * @advise:	Writes doctor's diagnosis and fix
 */
struct finding_kind {
	const char *code;
	enum status_state state;
	const char *note;
	void (*note_fn)(const struct status_wire *w, GString *out);
	void (*advise)(const struct status_wire *w, struct finding_advice *a);
};

/**
 * finding_kind() - The record of a kind of finding
 * @f:		Finding
 *
 * Return: its record (never NULL: an unknown @f gets a record with code "?")
 */
const struct finding_kind *finding_kind(enum status_finding f);

/**
 * finding_note() - The short note of one finding: "redirect to a
 *			 deleted device", "MTU 9000 on eth1, 1500 on tcw0"
 * @w:		Wire
 * @f:		One of its findings
 * @out:	Appended to
 */
void finding_note(const struct status_wire *w, enum status_finding f,
		       GString *out);

/**
 * finding_advice_init() - Empty advice
 * @a:		Advice
 * @enter:	As struct finding_advice
 */
void finding_advice_init(struct finding_advice *a, const char *enter);

/**
 * finding_advice_clear() - Free what @a holds
 * @a:		Advice
 */
void finding_advice_clear(struct finding_advice *a);

#endif /* TCWIRE_STATUS_FINDINGS_H */
