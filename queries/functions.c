/* functions.c — the scalar functions and the aggregates of the language.
 *
 * A table maps lower-case names to implementations; lookups ignore case.
 * Every scalar function returns null for a null argument unless openCypher
 * says otherwise (coalesce, the to*OrNull family). Strings are UTF-8 and
 * counted in code points (size, substring, left, right, reverse).
 * Aggregates stream (count, sum, avg, min, max) or keep their inputs
 * (collect, stDev, percentiles, and any DISTINCT aggregate).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "expr.h"
#include "ops.h"
#include "unicode.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#ifndef M_E
#define M_E 2.7182818284590452354
#endif

static tg_status arg_error(tg_exec *x, const char *fn, const tg_value *v)
{
    tg_exec_fail(x, TG_ETYPE, NULL, "InvalidArgumentType: %s() cannot take a %s", fn,
                 tg_value_kind_name((tg_vkind)v->kind));
    return TG_ETYPE;
}

static tg_status oom(tg_exec *x)
{
    tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    return TG_ENOMEM;
}

#define NULL_IN(i)                                                                       \
    do {                                                                                 \
        if (args[i].kind == TG_VAL_NULL) {                                               \
            *out = tg_value_null();                                                      \
            return TG_OK;                                                                \
        }                                                                                \
    } while (0)

/* ---- UTF-8 helpers ----------------------------------------------------------- */

static size_t utf8_len(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* Byte offset of code point k (clamped to n). */
static size_t utf8_off(const char *s, size_t n, size_t k)
{
    size_t i = 0;
    while (i < n && k > 0) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        k--;
    }
    return i;
}

/* ---- conversions -------------------------------------------------------------- */

static tg_status f_tostring(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    char buf[TG_TIME_TEXT_MAX];
    NULL_IN(0);
    switch (args[0].kind) {
    case TG_VAL_STRING: *out = args[0]; return TG_OK;
    case TG_VAL_INT: snprintf(buf, sizeof buf, "%lld", (long long)args[0].u.i); break;
    case TG_VAL_FLOAT: tg_value_format_double(args[0].u.f, buf); break;
    case TG_VAL_BOOL: snprintf(buf, sizeof buf, "%s", args[0].u.b ? "true" : "false"); break;
    default:
        if (!tg_value_is_temporal(&args[0]))
            return arg_error(x, "toString", &args[0]);
        tg_temporal_format(&args[0], buf);
        break;
    }
    *out = tg_value_cstr(x->mem, buf);
    return out->kind == TG_VAL_STRING ? TG_OK : oom(x);
}

static int parse_number(const tg_value *s, tg_value *out)
{
    char buf[128], *end;
    size_t len = s->len;
    const char *p = s->u.s;
    while (len && isspace((unsigned char)*p)) {
        p++;
        len--;
    }
    while (len && isspace((unsigned char)p[len - 1]))
        len--;
    if (len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, p, len);
    buf[len] = 0;
    errno = 0;
    long long i = strtoll(buf, &end, 10);
    if (*end == 0 && errno == 0) {
        *out = tg_value_int(i);
        return 1;
    }
    if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
        errno = 0;
        i = strtoll(buf, &end, 16);
        if (*end == 0 && errno == 0) {
            *out = tg_value_int(i);
            return 1;
        }
    }
    for (size_t k = 0; k < len; k++)
        if (!strchr("0123456789+-.eE", buf[k]))
            return 0; /* no "inf", "nan" or hex floats */
    errno = 0;
    double d = strtod(buf, &end);
    if (*end == 0) {
        *out = tg_value_float(d);
        return 1;
    }
    return 0;
}

static tg_status f_tointeger(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    tg_value v;
    NULL_IN(0);
    *out = tg_value_null();
    switch (args[0].kind) {
    case TG_VAL_INT: *out = args[0]; return TG_OK;
    case TG_VAL_FLOAT:
        if (isnan(args[0].u.f) || args[0].u.f >= 9223372036854775808.0 ||
            args[0].u.f < -9223372036854775808.0)
            return TG_OK;
        *out = tg_value_int((int64_t)trunc(args[0].u.f));
        return TG_OK;
    case TG_VAL_BOOL: *out = tg_value_int(args[0].u.b); return TG_OK;
    case TG_VAL_STRING:
        if (parse_number(&args[0], &v)) {
            if (v.kind == TG_VAL_INT)
                *out = v;
            else if (!isnan(v.u.f) && fabs(v.u.f) < 9.2e18)
                *out = tg_value_int((int64_t)trunc(v.u.f));
        }
        return TG_OK;
    default: return arg_error(x, "toInteger", &args[0]);
    }
}

static tg_status f_tofloat(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    tg_value v;
    NULL_IN(0);
    *out = tg_value_null();
    switch (args[0].kind) {
    case TG_VAL_FLOAT: *out = args[0]; return TG_OK;
    case TG_VAL_INT: *out = tg_value_float((double)args[0].u.i); return TG_OK;
    case TG_VAL_STRING:
        if (parse_number(&args[0], &v))
            *out = tg_value_float(tg_value_num(&v));
        return TG_OK;
    default: return arg_error(x, "toFloat", &args[0]);
    }
}

static tg_status f_toboolean(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    *out = tg_value_null();
    switch (args[0].kind) {
    case TG_VAL_BOOL: *out = args[0]; return TG_OK;
    case TG_VAL_INT: *out = tg_value_bool(args[0].u.i != 0); return TG_OK;
    case TG_VAL_STRING: {
        const char *s = args[0].u.s;
        size_t len = args[0].len;
        while (len && isspace((unsigned char)*s)) {
            s++;
            len--;
        }
        while (len && isspace((unsigned char)s[len - 1]))
            len--;
        if (len == 4 && strncasecmp(s, "true", 4) == 0)
            *out = tg_value_bool(1);
        else if (len == 5 && strncasecmp(s, "false", 5) == 0)
            *out = tg_value_bool(0);
        return TG_OK;
    }
    default: return arg_error(x, "toBoolean", &args[0]);
    }
}

/* the *OrNull variants never fail on a kind */
static tg_status or_null(tg_func_fn fn, tg_exec *x, const tg_value *args, size_t n,
                         tg_value *out)
{
    if (args[0].kind > TG_VAL_STRING) {
        *out = tg_value_null();
        return TG_OK;
    }
    return fn(x, args, n, out);
}
static tg_status f_tostringornull(tg_exec *x, const tg_value *a, size_t n, tg_value *o)
{
    return or_null(f_tostring, x, a, n, o);
}
static tg_status f_tointegerornull(tg_exec *x, const tg_value *a, size_t n, tg_value *o)
{
    return or_null(f_tointeger, x, a, n, o);
}
static tg_status f_tofloatornull(tg_exec *x, const tg_value *a, size_t n, tg_value *o)
{
    return or_null(f_tofloat, x, a, n, o);
}
static tg_status f_tobooleanornull(tg_exec *x, const tg_value *a, size_t n, tg_value *o)
{
    if (a[0].kind == TG_VAL_FLOAT) {
        *o = tg_value_null();
        return TG_OK;
    }
    return or_null(f_toboolean, x, a, n, o);
}

/* ---- lists and strings ---------------------------------------------------------- */

static tg_status f_size(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (args[0].kind == TG_VAL_LIST)
        *out = tg_value_int(args[0].len);
    else if (args[0].kind == TG_VAL_STRING)
        *out = tg_value_int((int64_t)utf8_len(args[0].u.s, args[0].len));
    else if (args[0].kind == TG_VAL_MAP)
        *out = tg_value_int(args[0].len);
    else
        return arg_error(x, "size", &args[0]);
    return TG_OK;
}

static tg_status f_length(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (args[0].kind == TG_VAL_PATH) {
        *out = tg_value_int(args[0].u.path->len);
        return TG_OK;
    }
    if (args[0].kind == TG_VAL_STRING || args[0].kind == TG_VAL_LIST)
        return f_size(x, args, n, out);
    return arg_error(x, "length", &args[0]);
}

static tg_status f_head(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (args[0].kind != TG_VAL_LIST)
        return arg_error(x, "head", &args[0]);
    *out = args[0].len ? args[0].u.items[0] : tg_value_null();
    return TG_OK;
}

static tg_status f_last(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (args[0].kind != TG_VAL_LIST)
        return arg_error(x, "last", &args[0]);
    *out = args[0].len ? args[0].u.items[args[0].len - 1] : tg_value_null();
    return TG_OK;
}

static tg_status f_tail(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (args[0].kind != TG_VAL_LIST)
        return arg_error(x, "tail", &args[0]);
    *out = args[0].len ? tg_value_list_ref(args[0].u.items + 1, args[0].len - 1) : args[0];
    return TG_OK;
}

static tg_status f_range(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    int64_t a, b, step = 1, count;
    tg_value *items;
    for (size_t i = 0; i < n; i++) {
        NULL_IN(i);
        if (args[i].kind != TG_VAL_INT) {
            tg_exec_fail(x, TG_EARG, NULL, "InvalidArgumentType: range() takes integers, not a %s",
                         tg_value_kind_name((tg_vkind)args[i].kind));
            return TG_EARG;
        }
    }
    a = args[0].u.i;
    b = args[1].u.i;
    if (n == 3)
        step = args[2].u.i;
    if (step == 0) {
        tg_exec_fail(x, TG_EARG, NULL, "NumberOutOfRange: range() step must not be zero");
        return TG_EARG;
    }
    if ((step > 0 && a > b) || (step < 0 && a < b))
        count = 0;
    else
        count = (int64_t)(((long double)b - a) / step) + 1;
    if (count > 100000000) {
        tg_exec_fail(x, TG_EARG, NULL, "NumberOutOfRange: range() would hold %lld items",
                     (long long)count);
        return TG_EARG;
    }
    items = tg_vmem_list_items(x->mem, (size_t)count);
    if (!items)
        return oom(x);
    for (int64_t i = 0; i < count; i++)
        items[i] = tg_value_int(a + i * step);
    *out = tg_value_list_hdr(items, (size_t)count);
    return TG_OK;
}

static tg_status f_reverse(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (args[0].kind == TG_VAL_LIST) {
        uint32_t len = args[0].len;
        tg_value *items = tg_vmem_alloc(x->mem, (len ? len : 1) * sizeof *items);
        if (!items)
            return oom(x);
        for (uint32_t i = 0; i < len; i++)
            items[i] = args[0].u.items[len - 1 - i];
        *out = tg_value_list_ref(items, len);
        return TG_OK;
    }
    if (args[0].kind == TG_VAL_STRING) {
        const char *s = args[0].u.s;
        size_t len = args[0].len, w = len;
        char *p = tg_vmem_alloc(x->mem, len + 1);
        if (!p)
            return oom(x);
        for (size_t i = 0; i < len;) {
            size_t j = i + 1;
            while (j < len && ((unsigned char)s[j] & 0xC0) == 0x80)
                j++;
            w -= j - i;
            memcpy(p + w, s + i, j - i);
            i = j;
        }
        p[len] = 0;
        *out = tg_value_str_ref(p, len);
        return TG_OK;
    }
    return arg_error(x, "reverse", &args[0]);
}

static tg_status f_coalesce(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    *out = tg_value_null();
    for (size_t i = 0; i < n; i++)
        if (args[i].kind != TG_VAL_NULL) {
            *out = args[i];
            break;
        }
    return TG_OK;
}

static tg_status str_case(tg_exec *x, const tg_value *args, tg_value *out, int upper,
                          const char *name)
{
    NULL_IN(0);
    if (args[0].kind != TG_VAL_STRING)
        return arg_error(x, name, &args[0]);
    if (tg_i_unicode_case(x->mem, args[0].u.s, args[0].len, upper, out) != TG_OK)
        return oom(x);
    return TG_OK;
}

/* normalize(s [, form]): form NFC (default), NFD, NFKC or NFKD, written bare
 * (the binder turns the bare word into a string) or as a string. */
static tg_status f_normalize(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    int form = TG_NFC;
    NULL_IN(0);
    if (args[0].kind != TG_VAL_STRING)
        return arg_error(x, "normalize", &args[0]);
    if (n > 1) {
        NULL_IN(1);
        if (args[1].kind != TG_VAL_STRING ||
            (form = tg_i_unicode_form(args[1].u.s, args[1].len)) < 0) {
            tg_exec_fail(x, TG_EARG, NULL,
                         "InvalidArgumentValue: normalize() takes the form NFC, NFD, NFKC or "
                         "NFKD");
            return TG_EARG;
        }
    }
    if (tg_i_unicode_normalize(x->mem, args[0].u.s, args[0].len, (tg_unorm)form, out) != TG_OK)
        return oom(x);
    return TG_OK;
}
static tg_status f_toupper(tg_exec *x, const tg_value *a, size_t n, tg_value *o)
{
    return str_case(x, a, o, 1, "toUpper");
}
static tg_status f_tolower(tg_exec *x, const tg_value *a, size_t n, tg_value *o)
{
    return str_case(x, a, o, 0, "toLower");
}

static tg_status trim_impl(tg_exec *x, const tg_value *args, tg_value *out, int left,
                           int right, const char *name)
{
    const char *s;
    size_t len;
    NULL_IN(0);
    if (args[0].kind != TG_VAL_STRING)
        return arg_error(x, name, &args[0]);
    s = args[0].u.s;
    len = args[0].len;
    while (left && len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (right && len && isspace((unsigned char)s[len - 1]))
        len--;
    *out = tg_value_str_ref(s, len);
    return TG_OK;
}
static tg_status f_trim(tg_exec *x, const tg_value *a, size_t n, tg_value *o)
{
    return trim_impl(x, a, o, 1, 1, "trim");
}
static tg_status f_ltrim(tg_exec *x, const tg_value *a, size_t n, tg_value *o)
{
    return trim_impl(x, a, o, 1, 0, "lTrim");
}
static tg_status f_rtrim(tg_exec *x, const tg_value *a, size_t n, tg_value *o)
{
    return trim_impl(x, a, o, 0, 1, "rTrim");
}

static tg_status f_replace(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    tg_buf b;
    const tg_value *s = &args[0], *f = &args[1], *r = &args[2];
    for (size_t i = 0; i < 3; i++) {
        NULL_IN(i);
        if (args[i].kind != TG_VAL_STRING)
            return arg_error(x, "replace", &args[i]);
    }
    tg_buf_init(&b);
    for (size_t i = 0; i < s->len;) {
        if (f->len && i + f->len <= s->len && memcmp(s->u.s + i, f->u.s, f->len) == 0) {
            tg_buf_add(&b, r->u.s, r->len);
            i += f->len;
        } else {
            tg_buf_add(&b, s->u.s + i, 1);
            i++;
        }
    }
    *out = tg_value_str_copy(x->mem, b.data ? b.data : "", b.len);
    tg_buf_destroy(&b);
    return out->kind == TG_VAL_STRING ? TG_OK : oom(x);
}

static tg_status f_substring(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    size_t total, a, b;
    int64_t start, len;
    NULL_IN(0);
    if (args[0].kind != TG_VAL_STRING)
        return arg_error(x, "substring", &args[0]);
    for (size_t i = 1; i < n; i++) {
        NULL_IN(i);
        if (args[i].kind != TG_VAL_INT)
            return arg_error(x, "substring", &args[i]);
    }
    start = args[1].u.i;
    if (start < 0 || (n == 3 && args[2].u.i < 0)) {
        tg_exec_fail(x, TG_EARG, NULL, "NumberOutOfRange: substring() takes non-negative "
                                       "start and length");
        return TG_EARG;
    }
    total = utf8_len(args[0].u.s, args[0].len);
    len = n == 3 ? args[2].u.i : (int64_t)total;
    a = utf8_off(args[0].u.s, args[0].len, (size_t)start);
    b = (size_t)start + (size_t)len > total || len > (int64_t)total
            ? args[0].len
            : utf8_off(args[0].u.s, args[0].len, (size_t)(start + len));
    if (b < a)
        b = a;
    *out = tg_value_str_ref(args[0].u.s + a, b - a);
    return TG_OK;
}

static tg_status f_left(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (args[0].kind != TG_VAL_STRING)
        return arg_error(x, "left", &args[0]);
    if (args[1].kind != TG_VAL_INT)
        return arg_error(x, "left", &args[1]);
    if (args[1].u.i < 0) {
        tg_exec_fail(x, TG_EARG, NULL, "NumberOutOfRange: left() takes a non-negative length");
        return TG_EARG;
    }
    *out = tg_value_str_ref(args[0].u.s, utf8_off(args[0].u.s, args[0].len, (size_t)args[1].u.i));
    return TG_OK;
}

static tg_status f_right(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    size_t total, k;
    NULL_IN(0);
    if (args[0].kind != TG_VAL_STRING)
        return arg_error(x, "right", &args[0]);
    if (args[1].kind != TG_VAL_INT)
        return arg_error(x, "right", &args[1]);
    if (args[1].u.i < 0) {
        tg_exec_fail(x, TG_EARG, NULL, "NumberOutOfRange: right() takes a non-negative length");
        return TG_EARG;
    }
    total = utf8_len(args[0].u.s, args[0].len);
    k = (size_t)args[1].u.i >= total ? 0 : total - (size_t)args[1].u.i;
    k = utf8_off(args[0].u.s, args[0].len, k);
    *out = tg_value_str_ref(args[0].u.s + k, args[0].len - k);
    return TG_OK;
}

static tg_status f_split(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    const tg_value *s = &args[0], *d = &args[1];
    size_t cap = 8, cnt = 0, start = 0;
    tg_value *items;
    NULL_IN(0);
    NULL_IN(1);
    if (s->kind != TG_VAL_STRING || d->kind != TG_VAL_STRING)
        return arg_error(x, "split", s->kind != TG_VAL_STRING ? s : d);
    cap = s->len + 2;
    items = tg_vmem_alloc(x->mem, cap * sizeof *items);
    if (!items)
        return oom(x);
    if (d->len == 0) {
        for (size_t i = 0; i < s->len;) {
            size_t j = i + 1;
            while (j < s->len && ((unsigned char)s->u.s[j] & 0xC0) == 0x80)
                j++;
            items[cnt++] = tg_value_str_ref(s->u.s + i, j - i);
            i = j;
        }
    } else {
        for (size_t i = 0; i + d->len <= s->len;) {
            if (memcmp(s->u.s + i, d->u.s, d->len) == 0) {
                items[cnt++] = tg_value_str_ref(s->u.s + start, i - start);
                i += d->len;
                start = i;
            } else
                i++;
        }
        items[cnt++] = tg_value_str_ref(s->u.s + start, s->len - start);
    }
    *out = tg_value_list_ref(items, cnt);
    return TG_OK;
}

/* ---- graph ----------------------------------------------------------------------- */

static tg_status f_id(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (args[0].kind == TG_VAL_NODE)
        *out = tg_value_int(args[0].u.node);
    else if (args[0].kind == TG_VAL_REL)
        *out = tg_value_int(args[0].u.rel);
    else
        return arg_error(x, "id", &args[0]);
    return TG_OK;
}

/* elementId(x): a node's id (given by the data or generated), which stays
 * the same across imports and queries; a relationship's "~" and its index,
 * which is stable while the relationship lives (a "~" never starts a
 * generated id). */
static tg_status f_elementid(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    char buf[32];
    NULL_IN(0);
    if (args[0].kind == TG_VAL_NODE) {
        size_t len;
        const char *s = tg_graph_str(x->g, tg_graph_entity_id(x->g, args[0].u.node), &len);
        *out = tg_value_str_ref(s, len);
        return TG_OK;
    }
    if (args[0].kind != TG_VAL_REL)
        return arg_error(x, "elementId", &args[0]);
    snprintf(buf, sizeof buf, "~%u", (unsigned)args[0].u.rel);
    *out = tg_value_cstr(x->mem, buf);
    return out->kind == TG_VAL_STRING ? TG_OK : oom(x);
}

static tg_status f_labels(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    const tg_sym *syms;
    size_t cnt;
    tg_value *items;
    NULL_IN(0);
    if (args[0].kind != TG_VAL_NODE) {
        tg_exec_fail(x, TG_ETYPE, NULL, "InvalidArgumentValue: labels() takes a node, not a %s",
                     tg_value_kind_name((tg_vkind)args[0].kind));
        return TG_ETYPE;
    }
    if (tg_i_check_live(x, &args[0], NULL))
        return x->err->status;
    cnt = tg_graph_labels(x->g, args[0].u.node, &syms);
    items = tg_vmem_alloc(x->mem, (cnt ? cnt : 1) * sizeof *items);
    if (!items)
        return oom(x);
    for (size_t i = 0; i < cnt; i++) {
        size_t len;
        const char *s = tg_graph_str(x->g, syms[i], &len);
        items[i] = tg_value_str_ref(s, len);
    }
    /* by name, not by symbol */
    for (size_t i = 1; i < cnt; i++)
        for (size_t j = i; j > 0 && tg_value_order(&items[j], &items[j - 1]) < 0; j--) {
            tg_value t = items[j];
            items[j] = items[j - 1];
            items[j - 1] = t;
        }
    *out = tg_value_list_ref(items, cnt);
    return TG_OK;
}

static tg_status f_type(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    size_t len;
    const char *s;
    NULL_IN(0);
    if (args[0].kind != TG_VAL_REL) {
        tg_exec_fail(x, TG_ETYPE, NULL,
                     "InvalidArgumentValue: type() takes a relationship, not a %s",
                     tg_value_kind_name((tg_vkind)args[0].kind));
        return TG_ETYPE;
    }
    s = tg_graph_str(x->g, tg_graph_rel_type(x->g, args[0].u.rel), &len);
    *out = tg_value_str_ref(s, len);
    return TG_OK;
}

typedef struct prop_acc {
    tg_exec *x;
    tg_vmap_entry *ents;
    size_t n, cap;
    int failed;
} prop_acc;

static int prop_visit(void *ctx, tg_sym key, const tg_pval *v)
{
    prop_acc *a = ctx;
    size_t len;
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 16;
        tg_vmap_entry *ne = tg_vmem_alloc(a->x->mem, nc * sizeof *ne);
        if (!ne) {
            a->failed = 1;
            return 1;
        }
        if (a->n)
            memcpy(ne, a->ents, a->n * sizeof *ne);
        a->ents = ne;
        a->cap = nc;
    }
    a->ents[a->n].key = tg_graph_str(a->x->g, key, &len);
    a->ents[a->n].klen = (uint32_t)len;
    a->ents[a->n].value = tg_value_from_pval(a->x->g, a->x->mem, v);
    a->n++;
    return 0;
}

/* The stored properties of a node or relationship, plus a node's id under
 * "id" when it is data (a generated id is not a property). */
static tg_status entity_props(tg_exec *x, const tg_value *v, tg_value *out)
{
    prop_acc a = {x, NULL, 0, 0, 0};
    int is_node = v->kind == TG_VAL_NODE;
    const char *id;
    size_t idlen;
    tg_graph_each_prop(x->g, is_node ? TG_ENTITY : TG_RELATION,
                       is_node ? v->u.node : v->u.rel, prop_visit, &a);
    if (a.failed)
        return oom(x);
    /* a node's id reads as the property `id` (n.id), so it is one of its
       properties too, unless a stored `id` property shadows it */
    if (is_node && tg_value_entity_data_id(x->g, v->u.node, &id, &idlen)) {
        int shadowed = 0;
        for (size_t i = 0; i < a.n; i++)
            if (a.ents[i].klen == 2 && memcmp(a.ents[i].key, "id", 2) == 0)
                shadowed = 1;
        if (!shadowed) {
            tg_vmap_entry *ne = tg_vmem_alloc(x->mem, (a.n + 1) * sizeof *ne);
            if (!ne)
                return oom(x);
            if (a.n)
                memcpy(ne, a.ents, a.n * sizeof *ne);
            ne[a.n].key = "id";
            ne[a.n].klen = 2;
            ne[a.n].value = tg_value_str_ref(id, idlen);
            a.ents = ne;
            a.n++;
        }
    }
    *out = tg_value_map(x->mem, a.ents, a.n);
    return out->kind == TG_VAL_MAP ? TG_OK : oom(x);
}

tg_status tg_i_func_properties(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (args[0].kind == TG_VAL_MAP) {
        *out = args[0];
        return TG_OK;
    }
    if (args[0].kind != TG_VAL_NODE && args[0].kind != TG_VAL_REL)
        return arg_error(x, "properties", &args[0]);
    if (tg_i_check_live(x, &args[0], NULL))
        return x->err->status;
    return entity_props(x, &args[0], out);
}

static tg_status f_keys(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    tg_value m;
    tg_status st;
    tg_value *items;
    NULL_IN(0);
    if (args[0].kind != TG_VAL_MAP && args[0].kind != TG_VAL_NODE && args[0].kind != TG_VAL_REL)
        return arg_error(x, "keys", &args[0]);
    if ((st = tg_i_func_properties(x, args, 1, &m)) != TG_OK)
        return st;
    items = tg_vmem_alloc(x->mem, (m.len ? m.len : 1) * sizeof *items);
    if (!items)
        return oom(x);
    for (uint32_t i = 0; i < m.len; i++)
        items[i] = tg_value_str_ref(m.u.map[i].key, m.u.map[i].klen);
    *out = tg_value_list_ref(items, m.len);
    return TG_OK;
}

static tg_status f_nodes(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    tg_value *items;
    const tg_vpath *p;
    NULL_IN(0);
    if (args[0].kind != TG_VAL_PATH)
        return arg_error(x, "nodes", &args[0]);
    p = args[0].u.path;
    items = tg_vmem_alloc(x->mem, (p->len + 1) * sizeof *items);
    if (!items)
        return oom(x);
    for (uint32_t i = 0; i <= p->len; i++)
        items[i] = tg_value_node(p->nodes[i]);
    *out = tg_value_list_ref(items, p->len + 1);
    return TG_OK;
}

static tg_status f_relationships(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    tg_value *items;
    const tg_vpath *p;
    NULL_IN(0);
    if (args[0].kind != TG_VAL_PATH)
        return arg_error(x, "relationships", &args[0]);
    p = args[0].u.path;
    items = tg_vmem_alloc(x->mem, (p->len ? p->len : 1) * sizeof *items);
    if (!items)
        return oom(x);
    for (uint32_t i = 0; i < p->len; i++)
        items[i] = tg_value_rel(p->rels[i]);
    *out = tg_value_list_ref(items, p->len);
    return TG_OK;
}

static tg_status f_startnode(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (args[0].kind != TG_VAL_REL)
        return arg_error(x, "startNode", &args[0]);
    *out = tg_value_node(tg_graph_rel_from(x->g, args[0].u.rel));
    return TG_OK;
}

static tg_status f_endnode(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (args[0].kind != TG_VAL_REL)
        return arg_error(x, "endNode", &args[0]);
    *out = tg_value_node(tg_graph_rel_to(x->g, args[0].u.rel));
    return TG_OK;
}

static tg_status f_exists(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    *out = tg_value_bool(args[0].kind != TG_VAL_NULL);
    return TG_OK;
}

/* ---- numbers ----------------------------------------------------------------------- */

static tg_status num_arg(tg_exec *x, const char *name, const tg_value *v)
{
    if (!tg_value_is_number(v))
        return arg_error(x, name, v);
    return TG_OK;
}

static tg_status f_abs(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (num_arg(x, "abs", &args[0]))
        return TG_ETYPE;
    if (args[0].kind == TG_VAL_INT) {
        if (args[0].u.i == INT64_MIN) {
            tg_exec_fail(x, TG_EARG, NULL, "NumberOutOfRange: integer overflow in abs()");
            return TG_EARG;
        }
        *out = tg_value_int(args[0].u.i < 0 ? -args[0].u.i : args[0].u.i);
    } else
        *out = tg_value_float(fabs(args[0].u.f));
    return TG_OK;
}

static tg_status f_sign(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    double d;
    NULL_IN(0);
    if (num_arg(x, "sign", &args[0]))
        return TG_ETYPE;
    d = tg_value_num(&args[0]);
    *out = tg_value_int(d > 0 ? 1 : d < 0 ? -1 : 0);
    return TG_OK;
}

typedef double (*dfn)(double);

static tg_status math1(tg_exec *x, const tg_value *args, tg_value *out, dfn f, const char *name)
{
    NULL_IN(0);
    if (num_arg(x, name, &args[0]))
        return TG_ETYPE;
    *out = tg_value_float(f(tg_value_num(&args[0])));
    return TG_OK;
}

static double round_half_up(double d)
{
    if (isnan(d) || isinf(d))
        return d;
    return floor(d + 0.5);
}
static double degrees(double d) { return d * 180.0 / M_PI; }
static double radians(double d) { return d * M_PI / 180.0; }
static double cot(double d) { return 1.0 / tan(d); }
static double haversin(double d) { return (1.0 - cos(d)) / 2.0; }

#define MATH1(cname, f, name)                                                            \
    static tg_status cname(tg_exec *x, const tg_value *a, size_t n, tg_value *o)         \
    {                                                                                    \
        return math1(x, a, o, f, name);                                                  \
    }
MATH1(f_ceil, ceil, "ceil")
MATH1(f_floor, floor, "floor")
MATH1(f_sqrt, sqrt, "sqrt")
MATH1(f_exp, exp, "exp")
MATH1(f_log, log, "log")
MATH1(f_log10, log10, "log10")
MATH1(f_sin, sin, "sin")
MATH1(f_cos, cos, "cos")
MATH1(f_tan, tan, "tan")
MATH1(f_asin, asin, "asin")
MATH1(f_acos, acos, "acos")
MATH1(f_atan, atan, "atan")
MATH1(f_cot, cot, "cot")
MATH1(f_degrees, degrees, "degrees")
MATH1(f_radians, radians, "radians")
MATH1(f_haversin, haversin, "haversin")

static tg_status f_round(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    if (num_arg(x, "round", &args[0]))
        return TG_ETYPE;
    if (n >= 2) {
        double p, d = tg_value_num(&args[0]);
        NULL_IN(1);
        if (args[1].kind != TG_VAL_INT)
            return arg_error(x, "round", &args[1]);
        p = pow(10.0, (double)args[1].u.i);
        *out = tg_value_float(round_half_up(d * p) / p);
        return TG_OK;
    }
    *out = tg_value_float(round_half_up(tg_value_num(&args[0])));
    return TG_OK;
}

static tg_status f_atan2(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    NULL_IN(0);
    NULL_IN(1);
    if (num_arg(x, "atan2", &args[0]) || num_arg(x, "atan2", &args[1]))
        return TG_ETYPE;
    *out = tg_value_float(atan2(tg_value_num(&args[0]), tg_value_num(&args[1])));
    return TG_OK;
}

static tg_status f_pi(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    *out = tg_value_float(M_PI);
    return TG_OK;
}

static tg_status f_e(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    *out = tg_value_float(M_E);
    return TG_OK;
}

static tg_status f_rand(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    /* xorshift seeded from the expansion counter and an address: no global state */
    static _Thread_local uint64_t s = 0x9E3779B97F4A7C15ull;
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    *out = tg_value_float((double)(s >> 11) / 9007199254740992.0);
    return TG_OK;
}

/* ---- aggregates ------------------------------------------------------------------------ */

enum { AGG_COUNT = 1, AGG_SUM, AGG_AVG, AGG_MIN, AGG_MAX, AGG_COLLECT, AGG_STDEV, AGG_STDEVP,
       AGG_PCONT, AGG_PDISC };

static const tg_agg_def agg_count = {AGG_COUNT}, agg_sum = {AGG_SUM}, agg_avg = {AGG_AVG},
                        agg_min = {AGG_MIN}, agg_max = {AGG_MAX}, agg_collect = {AGG_COLLECT},
                        agg_stdev = {AGG_STDEV}, agg_stdevp = {AGG_STDEVP},
                        agg_pcont = {AGG_PCONT}, agg_pdisc = {AGG_PDISC};

static int push_val(tg_agg_state *s, const tg_value *v)
{
    if (s->nvals == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        tg_value *nv = realloc(s->vals, nc * sizeof *nv);
        if (!nv)
            return -1;
        s->vals = nv;
        s->cap = nc;
    }
    s->vals[s->nvals++] = *v;
    return 0;
}

void tg_agg_state_destroy(tg_agg_state *s)
{
    if (!s)
        return;
    free(s->vals);
    s->vals = NULL;
    s->nvals = s->cap = 0;
}

static int stores_values(int kind)
{
    return kind == AGG_COLLECT || kind == AGG_STDEV || kind == AGG_STDEVP || kind == AGG_PCONT ||
           kind == AGG_PDISC;
}

tg_status tg_agg_step(tg_exec *x, const tg_func *f, int distinct, tg_agg_state *s,
                      const tg_value *args, size_t n)
{
    int kind = f->agg->kind;
    const tg_value *v;
    if (n == 0) { /* count(*) */
        s->count++;
        return TG_OK;
    }
    v = &args[0];
    if ((kind == AGG_PCONT || kind == AGG_PDISC) && n > 1 && !s->has_value) {
        if (!tg_value_is_number(&args[1])) {
            tg_exec_fail(x, TG_EARG, NULL,
                         "InvalidArgumentType: the percentile must be a number");
            return TG_EARG;
        }
        if (tg_value_num(&args[1]) < 0 || tg_value_num(&args[1]) > 1) {
            tg_exec_fail(x, TG_EARG, NULL,
                         "NumberOutOfRange: the percentile must lie between 0.0 and 1.0");
            return TG_EARG;
        }
        s->param = args[1];
        s->has_value = 1;
    }
    if (v->kind == TG_VAL_NULL)
        return TG_OK;
    if (distinct || stores_values(kind)) {
        if ((kind == AGG_STDEV || kind == AGG_STDEVP || kind == AGG_PCONT || kind == AGG_PDISC ||
             kind == AGG_SUM || kind == AGG_AVG) &&
            !tg_value_is_number(v))
            return arg_error(x, f->name, v);
        return push_val(s, v) ? oom(x) : TG_OK;
    }
    switch (kind) {
    case AGG_COUNT: s->count++; return TG_OK;
    case AGG_SUM:
    case AGG_AVG:
        if (!tg_value_is_number(v))
            return arg_error(x, f->name, v);
        s->count++;
        if (v->kind == TG_VAL_FLOAT || s->has_float) {
            if (!s->has_float) {
                s->fsum = (double)s->isum;
                s->has_float = 1;
            }
            s->fsum += tg_value_num(v);
        } else if (__builtin_add_overflow(s->isum, v->u.i, &s->isum)) {
            if (kind == AGG_AVG) {
                s->fsum = (double)s->isum + (double)v->u.i;
                s->has_float = 1;
            } else {
                tg_exec_fail(x, TG_EARG, NULL, "NumberOutOfRange: integer overflow in sum()");
                return TG_EARG;
            }
        }
        return TG_OK;
    case AGG_MIN:
    case AGG_MAX:
        if (!s->count || (kind == AGG_MIN ? tg_value_order(v, &s->best) < 0
                                          : tg_value_order(v, &s->best) > 0))
            s->best = *v;
        s->count++;
        return TG_OK;
    }
    return TG_OK;
}

static int cmp_num(const void *a, const void *b)
{
    double x = tg_value_num(a), y = tg_value_num(b);
    return x < y ? -1 : x > y;
}

tg_status tg_agg_final(tg_exec *x, const tg_func *f, int distinct, tg_agg_state *s,
                       tg_value *out)
{
    int kind = f->agg->kind;
    *out = tg_value_null();
    if (distinct) {
        tg_rowset set;
        tg_agg_state t;
        tg_status st = TG_OK;
        memset(&t, 0, sizeof t);
        t.param = s->param;
        t.has_value = s->has_value;
        tg_rowset_init(&set, 1);
        for (size_t i = 0; i < s->nvals && st == TG_OK; i++) {
            size_t idx;
            int added;
            if (tg_rowset_put(&set, &s->vals[i], &idx, &added) != TG_OK)
                st = oom(x);
            else if (added)
                st = tg_agg_step(x, f, 0, &t, &s->vals[i], 1);
        }
        tg_rowset_destroy(&set);
        if (st == TG_OK)
            st = tg_agg_final(x, f, 0, &t, out);
        tg_agg_state_destroy(&t);
        return st;
    }
    switch (kind) {
    case AGG_COUNT: *out = tg_value_int(s->count); break;
    case AGG_SUM:
        *out = s->has_float ? tg_value_float(s->fsum) : tg_value_int(s->isum);
        break;
    case AGG_AVG:
        if (s->count)
            *out = tg_value_float((s->has_float ? s->fsum : (double)s->isum) / (double)s->count);
        break;
    case AGG_MIN:
    case AGG_MAX:
        if (s->count)
            *out = s->best;
        break;
    case AGG_COLLECT:
        *out = tg_value_list(x->mem, s->vals, s->nvals);
        if (out->kind != TG_VAL_LIST)
            return oom(x);
        if (out->depth > TG_VALUE_MAX_DEPTH) {
            tg_exec_fail(x, TG_EARG, NULL,
                         "NestingTooDeep: a list or map nested more than %d levels deep",
                         TG_VALUE_MAX_DEPTH);
            return TG_EARG;
        }
        break;
    case AGG_STDEV:
    case AGG_STDEVP: {
        double mean = 0, ss = 0;
        size_t k = s->nvals;
        if (k < 2) {
            *out = tg_value_float(0.0);
            break;
        }
        for (size_t i = 0; i < k; i++)
            mean += tg_value_num(&s->vals[i]);
        mean /= (double)k;
        for (size_t i = 0; i < k; i++) {
            double d = tg_value_num(&s->vals[i]) - mean;
            ss += d * d;
        }
        *out = tg_value_float(sqrt(ss / (double)(kind == AGG_STDEV ? k - 1 : k)));
        break;
    }
    case AGG_PCONT:
    case AGG_PDISC: {
        double p = tg_value_num(&s->param);
        size_t k = s->nvals;
        if (!k)
            break;
        qsort(s->vals, k, sizeof *s->vals, cmp_num);
        if (kind == AGG_PDISC) {
            size_t idx = p <= 0 ? 0 : (size_t)ceil(p * (double)k) - 1;
            if (idx >= k)
                idx = k - 1;
            *out = s->vals[idx];
        } else {
            double pos = p * (double)(k - 1);
            size_t lo = (size_t)floor(pos), hi = (size_t)ceil(pos);
            double a = tg_value_num(&s->vals[lo]), b = tg_value_num(&s->vals[hi]);
            *out = tg_value_float(a + (b - a) * (pos - (double)lo));
        }
        break;
    }
    }
    return TG_OK;
}

/* ---- the table ---------------------------------------------------------------------- */

static const tg_func funcs[] = {
    {"tostring", 1, 1, f_tostring, NULL},
    {"tostringornull", 1, 1, f_tostringornull, NULL},
    {"tointeger", 1, 1, f_tointeger, NULL},
    {"tointegerornull", 1, 1, f_tointegerornull, NULL},
    {"tofloat", 1, 1, f_tofloat, NULL},
    {"tofloatornull", 1, 1, f_tofloatornull, NULL},
    {"toboolean", 1, 1, f_toboolean, NULL},
    {"tobooleanornull", 1, 1, f_tobooleanornull, NULL},
    {"size", 1, 1, f_size, NULL},
    {"length", 1, 1, f_length, NULL},
    {"head", 1, 1, f_head, NULL},
    {"last", 1, 1, f_last, NULL},
    {"tail", 1, 1, f_tail, NULL},
    {"range", 2, 3, f_range, NULL},
    {"reverse", 1, 1, f_reverse, NULL},
    {"coalesce", 1, 64, f_coalesce, NULL},
    {"toupper", 1, 1, f_toupper, NULL},
    {"tolower", 1, 1, f_tolower, NULL},
    {"normalize", 1, 2, f_normalize, NULL},
    {"trim", 1, 1, f_trim, NULL},
    {"ltrim", 1, 1, f_ltrim, NULL},
    {"rtrim", 1, 1, f_rtrim, NULL},
    {"replace", 3, 3, f_replace, NULL},
    {"substring", 2, 3, f_substring, NULL},
    {"left", 2, 2, f_left, NULL},
    {"right", 2, 2, f_right, NULL},
    {"split", 2, 2, f_split, NULL},
    {"id", 1, 1, f_id, NULL},
    {"elementid", 1, 1, f_elementid, NULL},
    {"labels", 1, 1, f_labels, NULL},
    {"type", 1, 1, f_type, NULL},
    {"properties", 1, 1, tg_i_func_properties, NULL},
    {"keys", 1, 1, f_keys, NULL},
    {"nodes", 1, 1, f_nodes, NULL},
    {"relationships", 1, 1, f_relationships, NULL},
    {"startnode", 1, 1, f_startnode, NULL},
    {"endnode", 1, 1, f_endnode, NULL},
    {"exists", 1, 1, f_exists, NULL},
    {"abs", 1, 1, f_abs, NULL},
    {"sign", 1, 1, f_sign, NULL},
    {"ceil", 1, 1, f_ceil, NULL},
    {"floor", 1, 1, f_floor, NULL},
    {"round", 1, 2, f_round, NULL},
    {"sqrt", 1, 1, f_sqrt, NULL},
    {"exp", 1, 1, f_exp, NULL},
    {"log", 1, 1, f_log, NULL},
    {"log10", 1, 1, f_log10, NULL},
    {"sin", 1, 1, f_sin, NULL},
    {"cos", 1, 1, f_cos, NULL},
    {"tan", 1, 1, f_tan, NULL},
    {"asin", 1, 1, f_asin, NULL},
    {"acos", 1, 1, f_acos, NULL},
    {"atan", 1, 1, f_atan, NULL},
    {"atan2", 2, 2, f_atan2, NULL},
    {"cot", 1, 1, f_cot, NULL},
    {"degrees", 1, 1, f_degrees, NULL},
    {"radians", 1, 1, f_radians, NULL},
    {"haversin", 1, 1, f_haversin, NULL},
    {"pi", 0, 0, f_pi, NULL},
    {"e", 0, 0, f_e, NULL},
    {"rand", 0, 0, f_rand, NULL},
    {"count", 0, 1, NULL, &agg_count},
    {"sum", 1, 1, NULL, &agg_sum},
    {"avg", 1, 1, NULL, &agg_avg},
    {"min", 1, 1, NULL, &agg_min},
    {"max", 1, 1, NULL, &agg_max},
    {"collect", 1, 1, NULL, &agg_collect},
    {"stdev", 1, 1, NULL, &agg_stdev},
    {"stdevp", 1, 1, NULL, &agg_stdevp},
    {"percentilecont", 2, 2, NULL, &agg_pcont},
    {"percentiledisc", 2, 2, NULL, &agg_pdisc},
};

const char *tg_func_name(size_t i)
{
    const size_t n = sizeof funcs / sizeof funcs[0];
    return i < n ? funcs[i].name : tg_i_temporal_func_name(i - n);
}

const tg_func *tg_func_find(const char *name)
{
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
        if (strcasecmp(funcs[i].name, name) == 0)
            return &funcs[i];
    return tg_i_temporal_func_find(name);
}
