/* regex.h — regular expressions of =~ (internal to queries/), through PCRE2.
 *
 * Cypher's regular expressions are Java's (java.util.regex), matched against
 * the whole string. PCRE2 reads Java's syntax: the inline flags (?i) (?s)
 * (?m) (?x), Unicode properties \p{L} \p{Lu} \p{IsLatin}, lookaround,
 * possessive quantifiers, \Q...\E, named groups. Two differences from Java,
 * both kinder to names in many scripts: (?i) folds the case of every letter
 * (Java needs (?iu) for more than ASCII), and Java's \p{InBlock} block names
 * are not known (use the script: \p{Greek}).
 *
 * A match is bounded: PCRE2's match limit stops a catastrophic pattern such
 * as (a+)+b after TG_REGEX_MATCH_LIMIT steps with an error, so that a query
 * never hangs inside one match; the statement's time limit is checked
 * between rows. Patterns nested deeper than TG_REGEX_NEST_LIMIT parentheses
 * or longer than TG_REGEX_MAX_LENGTH bytes are refused when compiled.
 */
#ifndef TG_REGEX_H
#define TG_REGEX_H

#include <stddef.h>

#define TG_REGEX_MATCH_LIMIT 5000000u /* backtracking steps of one match */
#define TG_REGEX_DEPTH_LIMIT 100000u  /* nested backtracking frames of one match */
#define TG_REGEX_HEAP_LIMIT 65536u    /* KiB of backtracking memory of one match */
#define TG_REGEX_NEST_LIMIT 250u      /* parentheses nested in a pattern */
#define TG_REGEX_MAX_LENGTH 65536u    /* bytes of a pattern */

typedef struct tg_regex tg_regex;

/* Compiles pattern[0..len) (UTF-8) for whole-string matching. On success
 * returns it (owned: tg_regex_free); on failure NULL and, in msg (size
 * bytes), PCRE2's reason and the offset where it stopped. */
tg_regex *tg_regex_compile(const char *pattern, size_t len, char *msg, size_t size);

/* Whether s[0..len) matches re entirely: 1, 0, or -1 when a limit stopped
 * the match (msg says which). */
int tg_regex_match(tg_regex *re, const char *s, size_t len, char *msg, size_t size);

void tg_regex_free(tg_regex *re);

/* PCRE2's version, for documentation and --version. */
const char *tg_regex_version(void);

#endif
