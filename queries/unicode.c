/* unicode.c — case mapping and normalisation through utf8proc.
 *
 * utf8proc (Debian libutf8proc-dev) holds the Unicode tables; nothing here
 * is a table of characters. Case mapping follows Java's String.toUpperCase /
 * toLowerCase with the root locale, which is what Neo4j users see:
 * - upper: a lowercase letter whose full case folding has several code
 *   points (ß -> ss, ﬁ -> fi, ŉ, ΐ, ᾀ) maps to the uppercase of each of them
 *   ('straße' -> 'STRASSE'), as SpecialCasing.txt's unconditional mappings
 *   do; every other code point takes utf8proc's simple uppercase;
 * - lower: simple lowercase, and the two rules of SpecialCasing.txt that
 *   apply without a locale: capital sigma at the end of a word becomes final
 *   sigma (ς), and İ (U+0130) becomes i followed by U+0307, its full case
 *   folding.
 */
#include "unicode.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "utf8.h"

typedef struct sbuf {
    tg_vmem *m;
    char *p;
    size_t n, cap;
} sbuf;

/* Room for k more bytes (and the terminator). 0 when out of memory. */
static int reserve(sbuf *b, size_t k)
{
    if (b->n + k > b->cap) {
        size_t nc = b->cap * 2 + 16;
        char *np = tg_vmem_alloc(b->m, nc + 1);
        if (!np)
            return 0;
        memcpy(np, b->p, b->n);
        b->p = np;
        b->cap = nc;
    }
    return 1;
}

static int put(sbuf *b, int32_t cp)
{
    if (!reserve(b, 4))
        return 0;
    b->n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)b->p + b->n);
    return 1;
}

static int is_letter(int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

/* The code point at s[i..n) and its length (the input is valid UTF-8). */
static size_t next_cp(const char *s, size_t n, size_t i, uint32_t *cp)
{
    size_t k = tg_utf8_decode((const unsigned char *)s + i, n - i, cp);
    if (k == 0) { /* not reached for checked input: pass the byte through */
        *cp = (unsigned char)s[i];
        k = 1;
    }
    return k;
}

tg_status tg_i_unicode_case(tg_vmem *m, const char *s, size_t n, int upper, tg_value *out)
{
    sbuf b = {m, NULL, 0, 0};
    uint32_t prev = 0;
    if (!(b.p = tg_vmem_alloc(m, n + 1)))
        return TG_ENOMEM;
    b.cap = n;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t k = next_cp(s, n, i, &c);
        int ok = 1;
        if (c < 0x80) {
            /* ASCII, most of any name: no table needed */
            if (upper && c >= 'a' && c <= 'z')
                c -= 'a' - 'A';
            else if (!upper && c >= 'A' && c <= 'Z')
                c += 'a' - 'A';
            if ((ok = reserve(&b, 1)))
                b.p[b.n++] = (char)c;
        } else if (upper) {
            utf8proc_int32_t fold[8];
            int bound = 0;
            utf8proc_ssize_t nf =
                utf8proc_islower((utf8proc_int32_t)c)
                    ? utf8proc_decompose_char((utf8proc_int32_t)c, fold, 8, UTF8PROC_CASEFOLD,
                                              &bound)
                    : 0;
            if (nf > 1 && nf <= 8) {
                for (utf8proc_ssize_t j = 0; j < nf && ok; j++)
                    ok = put(&b, utf8proc_toupper(fold[j]));
            } else
                ok = put(&b, utf8proc_toupper((utf8proc_int32_t)c));
        } else if (c == 0x130) {
            ok = put(&b, 'i') && put(&b, 0x307);
        } else if (c == 0x3A3) {
            uint32_t after = 0;
            if (i + k < n)
                next_cp(s, n, i + k, &after);
            ok = put(&b, prev && is_letter((int32_t)prev) && !(after && is_letter((int32_t)after))
                             ? 0x3C2
                             : 0x3C3);
        } else
            ok = put(&b, utf8proc_tolower((utf8proc_int32_t)c));
        if (!ok)
            return TG_ENOMEM;
        prev = c;
        i += k;
    }
    b.p[b.n] = 0;
    *out = tg_value_str_ref(b.p, b.n);
    return TG_OK;
}

tg_status tg_i_unicode_normalize(tg_vmem *m, const char *s, size_t n, tg_unorm f, tg_value *out)
{
    static const utf8proc_option_t opts[] = {
        UTF8PROC_STABLE | UTF8PROC_COMPOSE,
        UTF8PROC_STABLE | UTF8PROC_DECOMPOSE,
        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT,
        UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT,
    };
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &dst,
                                        opts[f]);
    if (len < 0) {
        free(dst);
        /* only an allocation can fail on valid input; otherwise keep s */
        if (len == UTF8PROC_ERROR_NOMEM)
            return TG_ENOMEM;
        *out = tg_value_str_ref(s, n);
        return TG_OK;
    }
    *out = tg_value_str_copy(m, (const char *)dst, (size_t)len);
    free(dst);
    return out->kind == TG_VAL_STRING ? TG_OK : TG_ENOMEM;
}

int tg_i_unicode_form(const char *name, size_t len)
{
    static const char *const names[] = {"NFC", "NFD", "NFKC", "NFKD"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == len && strncasecmp(names[i], name, len) == 0)
            return (int)i;
    return -1;
}

const char *tg_i_unicode_version(void)
{
    return utf8proc_unicode_version();
}
