/* SPDX-License-Identifier: GPL-2.0-or-later
 * Fuzz target: the ACL parser and evaluator (helper/acl.c), pure code,
 * held to oracles rather than only "no crash".
 *
 * The input is an ACL file. "include /self" includes the input again, any
 * other include gets a small fixed file; at most FUZZ_MAX_INCLUDES
 * includes are served per input, so nested self-includes stay cheap.
 *
 * Theory of operation: a second, deliberately naive reader (ref_*) follows
 * docs/tcwire-helper.conf.5 word by word: lines of at most 1023 bytes
 * without NUL, words split at blanks, a word starting with '#' ends the
 * line, exactly "allow|deny|allow-mgmt|deny-mgmt NAME", "include /PATH" or "include-user|
 * include-group WHO /PATH", NAME 1 to 15 bytes of letters, digits and
 * "-_.@+*?[]!", includes at most 8 deep, at most 4096 rules; a name is
 * allowed when no deny and at least one allow matches it (the -mgmt rules
 * are another family and never count for that). The fuzzed
 * caller is user "fuzz" in group "fuzzers": a scoped include for anybody
 * else is checked but not read. Then, for names from a fixed list, from
 * the rules and from the input itself, each padded to 16+ bytes once more:
 *  1. acl_parse() succeeds exactly when the reference does, and then with
 *     the same rules in the same order;
 *  2. acl_allows() answers as the reference does;
 *  3. a name of IFNAMSIZ (16) bytes or more is never allowed;
 *  4. a name that a deny rule matches is never allowed;
 *  5. the order of the rules does not matter (the reversed list agrees).
 * A broken oracle prints what broke and aborts, which libFuzzer and the
 * replay test both report. Both sides match globs with fnmatch(3): glibc's
 * matcher is not what is under test here.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"

#define FUZZ_MAX_INCLUDES	16	/* include lines served per input */
#define FUZZ_MAX_NAMES		80	/* candidate names per input */
#define FUZZ_NAME_LEN		24	/* longest candidate name, bytes */

static const char fixed_file[] = "allow eth*\ndeny eth0 # mgmt\n";

/* The input, and how many includes were served for it so far */
struct fuzz_input {
	const char *text;
	size_t len;
	int includes;
};

/* What the reference reader made of the input */
struct ref_acl {
	struct {
		bool deny;
		bool mgmt;
		char arg[IFNAMSIZ];
	} rules[ACL_MAX_RULES];
	size_t n;
};

static struct ref_acl ref;

/* Abort with @what and @detail (a name, a rule, a message) unless @holds */
static void oracle(bool holds, const char *what, const char *detail)
{
	if (holds)
		return;
	fprintf(stderr, "fuzz-acl: oracle broken: %s: \"%s\"\n", what,
		detail);
	abort();
}

/* Whether an include for @kind and @who applies to the fuzzed caller:
 * user "fuzz", group "fuzzers" */
static bool applies(enum acl_scope_kind kind, const char *who)
{
	return kind == ACL_FOR_ALL ||
	       (kind == ACL_FOR_USER && !strcmp(who, "fuzz")) ||
	       (kind == ACL_FOR_GROUP && !strcmp(who, "fuzzers"));
}

/* acl_include_fn for the real parser: "/self" or the fixed file, if the
 * include applies to the fuzzed caller */
static int fuzz_include(struct acl *acl, const char *path,
			const struct acl_scope *scope, int depth,
			void *ctx, struct tcw_err *err)
{
	struct fuzz_input *in = ctx;

	if (!applies(scope->kind, scope->who))
		return 0;
	if (++in->includes > FUZZ_MAX_INCLUDES)
		return tcw_err_set(err, E2BIG, "%s: too many includes", path);
	if (!strcmp(path, "/self"))
		return acl_parse(acl, in->text, in->len, path, depth,
				 fuzz_include, ctx, err);
	return acl_parse(acl, fixed_file, sizeof(fixed_file) - 1, path, depth,
			 fuzz_include, ctx, err);
}

/* Reference: a blank separates words */
static bool ref_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Reference: the words of @line before a word starting with '#'; counts
 * at most 4 (4 is too many for every directive) */
static int ref_words(const char *line, char words[4][ACL_MAX_LINE])
{
	int n = 0;
	size_t k;

	for (;;) {
		while (ref_blank(*line))
			line++;
		if (!*line || *line == '#' || n == 4)
			return n;
		for (k = 0; *line && !ref_blank(*line); k++)
			words[n][k] = *line++;
		words[n++][k] = '\0';
	}
}

/* Reference: append an allow or deny rule (of the -mgmt family if @mgmt)
 * if @arg is a valid NAME */
static bool ref_add(bool deny, bool mgmt, const char *arg)
{
	const char *c;

	if (ref.n >= ACL_MAX_RULES || strlen(arg) >= IFNAMSIZ)
		return false;
	for (c = arg; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("-_.@+*?[]!", *c)))
			return false;
	ref.rules[ref.n].deny = deny;
	ref.rules[ref.n].mgmt = mgmt;
	strcpy(ref.rules[ref.n++].arg, arg);
	return true;
}

static bool ref_text(struct fuzz_input *in, const char *text, size_t len,
		     int depth);

/* Reference: an include of @path at @depth, read only if @for_us */
static bool ref_include(struct fuzz_input *in, const char *path, int depth,
			bool for_us)
{
	if (path[0] != '/' || depth + 1 > ACL_MAX_DEPTH)
		return false;
	if (!for_us)
		return true;
	if (++in->includes > FUZZ_MAX_INCLUDES)
		return false;
	if (!strcmp(path, "/self"))
		return ref_text(in, in->text, in->len, depth + 1);
	return ref_text(in, fixed_file, sizeof(fixed_file) - 1, depth + 1);
}

/* Reference: one line, NUL-terminated; false if the file is invalid */
static bool ref_line(struct fuzz_input *in, const char *line, int depth)
{
	char w[4][ACL_MAX_LINE];
	int n = ref_words(line, w);

	if (n == 0)
		return true;
	if (n == 2 && (!strcmp(w[0], "allow") || !strcmp(w[0], "deny")))
		return ref_add(w[0][0] == 'd', false, w[1]);
	if (n == 2 && (!strcmp(w[0], "allow-mgmt") || !strcmp(w[0], "deny-mgmt")))
		return ref_add(w[0][0] == 'd', true, w[1]);
	if (n == 2 && !strcmp(w[0], "include"))
		return ref_include(in, w[1], depth, true);
	if (n == 3 && !strcmp(w[0], "include-user"))
		return ref_include(in, w[2], depth, !strcmp(w[1], "fuzz"));
	if (n == 3 && !strcmp(w[0], "include-group"))
		return ref_include(in, w[2], depth, !strcmp(w[1], "fuzzers"));
	return false;
}

/* Reference: a whole file at @depth */
static bool ref_text(struct fuzz_input *in, const char *text, size_t len,
		     int depth)
{
	const char *end = text + len, *eol;
	char line[ACL_MAX_LINE];

	for (; text < end; text = eol + 1) {
		eol = memchr(text, '\n', (size_t)(end - text));
		if (!eol)
			eol = end;
		if (eol - text >= ACL_MAX_LINE || memchr(text, '\0', eol - text))
			return false;
		memcpy(line, text, (size_t)(eol - text));
		line[eol - text] = '\0';
		if (!ref_line(in, line, depth))
			return false;
	}
	return true;
}

/* Reference: the decision for @name */
static bool ref_allows(const char *name)
{
	bool allow = false;
	size_t i;

	if (strlen(name) >= IFNAMSIZ)
		return false;
	for (i = 0; i < ref.n; i++) {
		const char *arg = ref.rules[i].arg;

		if (ref.rules[i].mgmt)
			continue;
		if (strcmp(arg, "all") && fnmatch(arg, name, 0))
			continue;
		if (ref.rules[i].deny)
			return false;
		allow = true;
	}
	return allow;
}

/* Oracle 1: the parser kept exactly the reference's rules */
static void check_same_rules(const struct acl *acl)
{
	size_t i;

	oracle(acl->n_rules == ref.n, "rule count differs from the reference",
	       "");
	for (i = 0; i < ref.n; i++) {
		const struct acl_rule *r = &acl->rules[i];

		enum acl_kind kind = ref.rules[i].mgmt ?
			(ref.rules[i].deny ? ACL_DENY_MGMT : ACL_ALLOW_MGMT) :
			(ref.rules[i].deny ? ACL_DENY : ACL_ALLOW);

		oracle(r->kind == kind &&
		       !strcmp(r->pattern, ref.rules[i].arg) &&
		       r->all == !strcmp(ref.rules[i].arg, "all"),
		       "a rule differs from the reference", ref.rules[i].arg);
	}
}

/* Add @len bytes of @s (stopping at NUL) to @names, and once more padded
 * to 16 or more bytes */
static void add_name(char names[][FUZZ_NAME_LEN + 1], size_t *n,
		     const char *s, size_t len)
{
	static const char pad[] = "0123456789abcdefghijklmnop";
	size_t l;

	if (*n + 2 > FUZZ_MAX_NAMES)
		return;
	l = strnlen(s, len < FUZZ_NAME_LEN ? len : FUZZ_NAME_LEN);
	memcpy(names[*n], s, l);
	names[(*n)++][l] = '\0';
	if (l >= IFNAMSIZ)
		return;
	memcpy(names[*n], s, l);
	memcpy(names[*n] + l, pad, IFNAMSIZ + l % 4 - l);
	names[(*n)++][IFNAMSIZ + l % 4] = '\0';
}

/* Candidate names: fixed ones, the rules' patterns, the input's words */
static size_t candidate_names(char names[][FUZZ_NAME_LEN + 1],
			      const uint8_t *data, size_t size)
{
	static const char *fixed[] = { "eth0", "eth1", "all", "vx12", "a",
				       "123456789012345", "eth[", "*", "tcw0" };
	size_t n = 0, i, start;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		add_name(names, &n, fixed[i], strlen(fixed[i]));
	for (i = 0; i < ref.n && i < 16; i++)
		add_name(names, &n, ref.rules[i].arg, IFNAMSIZ);
	for (start = i = 0; i <= size; i++) {
		if (i < size && data[i] > ' ' && data[i] != '#')
			continue;
		if (i > start)
			add_name(names, &n, (const char *)data + start,
				 i - start);
		start = i + 1;
	}
	return n;
}

/* Oracles 2 to 5 for one name; @rev holds the rules in reverse order */
static void check_name(const struct acl *acl, const struct acl *rev,
		       const char *name)
{
	bool allowed = acl_allows(acl, name);
	size_t i;

	oracle(allowed == ref_allows(name),
	       "acl_allows() and the reference disagree", name);
	if (strlen(name) >= IFNAMSIZ)
		oracle(!allowed, "a name of 16+ bytes was allowed", name);
	for (i = 0; allowed && i < acl->n_rules; i++) {
		const struct acl_rule *r = &acl->rules[i];

		if (r->kind == ACL_DENY &&
		    (r->all || !fnmatch(r->pattern, name, 0)))
			oracle(false, "a matching deny did not refuse", name);
	}
	oracle(acl_allows(rev, name) == allowed,
	       "the order of the rules changed the answer", name);
}

/* Oracles 2 to 5 over every candidate name */
static void check_names(const struct acl *acl, const uint8_t *data,
			size_t size)
{
	char names[FUZZ_MAX_NAMES][FUZZ_NAME_LEN + 1];
	struct acl rev = { 0 };
	size_t n, i;

	rev.rules = malloc((acl->n_rules + 1) * sizeof(*rev.rules));
	if (!rev.rules)
		return;
	rev.n_rules = rev.cap = acl->n_rules;
	for (i = 0; i < acl->n_rules; i++)
		rev.rules[i] = acl->rules[acl->n_rules - 1 - i];
	n = candidate_names(names, data, size);
	for (i = 0; i < n; i++)
		check_name(acl, &rev, names[i]);
	acl_free(&rev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { (const char *)data, size, 0 };
	struct acl acl = { 0 };
	struct tcw_err err = { "" };
	bool parsed, ref_parsed;

	parsed = acl_parse(&acl, in.text, size, "fuzz.conf", 0, fuzz_include,
			   &in, &err) == 0;
	in.includes = 0;
	ref.n = 0;
	ref_parsed = ref_text(&in, in.text, size, 0);
	oracle(parsed == ref_parsed, parsed ?
	       "acl_parse() accepted what the reference refuses" :
	       "acl_parse() refused what the reference accepts", err.msg);
	if (parsed) {
		check_same_rules(&acl);
		check_names(&acl, data, size);
	}
	acl_free(&acl);
	return 0;
}
