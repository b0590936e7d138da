/* regex.c — =~ through PCRE2 (see regex.h for the dialect and the limits).
 *
 * Each compiled pattern owns its match data and a match context holding the
 * limits; JIT compilation is used when the library has it (it honours the
 * same match limit). Whole-string matching is PCRE2_ANCHORED |
 * PCRE2_ENDANCHORED, as Java's Matcher.matches().
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

struct tg_regex {
    pcre2_code *code;
    pcre2_match_data *md;
    pcre2_match_context *mc;
};

void tg_regex_free(tg_regex *re)
{
    if (!re)
        return;
    pcre2_match_data_free(re->md);
    pcre2_match_context_free(re->mc);
    pcre2_code_free(re->code);
    free(re);
}

tg_regex *tg_regex_compile(const char *pattern, size_t len, char *msg, size_t size)
{
    tg_regex *re = calloc(1, sizeof *re);
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    int code = 0;
    PCRE2_SIZE at = 0;
    if (!re || !cc) {
        snprintf(msg, size, "out of memory");
        goto fail;
    }
    if (len > TG_REGEX_MAX_LENGTH) {
        snprintf(msg, size, "the pattern is longer than %u bytes", TG_REGEX_MAX_LENGTH);
        goto fail;
    }
    pcre2_set_parens_nest_limit(cc, TG_REGEX_NEST_LIMIT);
    re->code = pcre2_compile((PCRE2_SPTR)pattern, len,
                             PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED, &code, &at, cc);
    if (!re->code) {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(code, buf, sizeof buf);
        snprintf(msg, size, "%s at offset %zu", (const char *)buf, (size_t)at);
        goto fail;
    }
    (void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE); /* interpreted when it fails */
    re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
    re->mc = pcre2_match_context_create(NULL);
    if (!re->md || !re->mc) {
        snprintf(msg, size, "out of memory");
        goto fail;
    }
    pcre2_set_match_limit(re->mc, TG_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(re->mc, TG_REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(re->mc, TG_REGEX_HEAP_LIMIT);
    pcre2_compile_context_free(cc);
    return re;
fail:
    pcre2_compile_context_free(cc);
    tg_regex_free(re);
    return NULL;
}

int tg_regex_match(tg_regex *re, const char *s, size_t len, char *msg, size_t size)
{
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, re->mc);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
        snprintf(msg, size,
                 "the regular expression took more than PCRE2's limit of %u steps on one "
                 "string (a pattern such as (a+)+ backtracks without end); simplify it",
                 TG_REGEX_MATCH_LIMIT);
    else {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(rc, buf, sizeof buf);
        snprintf(msg, size, "%s", (const char *)buf);
    }
    return -1;
}

const char *tg_regex_version(void)
{
    static char buf[64];
    if (!buf[0])
        pcre2_config(PCRE2_CONFIG_VERSION, buf);
    return buf;
}
