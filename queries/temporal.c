/* temporal.c — dates, times, date-times and durations.
 *
 * Instants are held as (days since 1970-01-01, seconds of the day, nanos,
 * offset seconds east of UTC) in the proleptic Gregorian calendar; the civil
 * conversions are Howard Hinnant's days_from_civil / civil_from_days.
 * Invariants: 0 <= seconds < 86400 and 0 <= nanos < 1e9 for instants; a
 * duration keeps months, days and seconds apart (a month has no fixed length)
 * and its nanos carry the sign of its seconds.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

#define NS 1000000000LL

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, unsigned m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

static int has_date(tg_vkind k)
{
    return k == TG_VAL_DATE || k == TG_VAL_LOCALDATETIME || k == TG_VAL_DATETIME;
}

static int has_time(tg_vkind k)
{
    return k == TG_VAL_LOCALTIME || k == TG_VAL_TIME || k == TG_VAL_LOCALDATETIME ||
           k == TG_VAL_DATETIME;
}

static int has_offset(tg_vkind k)
{
    return k == TG_VAL_TIME || k == TG_VAL_DATETIME;
}

tg_value tg_temporal_make(tg_vmem *m, tg_vkind k, const tg_vtemporal *t)
{
    tg_vtemporal *p = tg_vmem_alloc(m, sizeof *p);
    tg_value v = tg_value_null();
    if (!p)
        return v;
    *p = *t;
    v.kind = (uint8_t)k;
    v.u.tm = p;
    return v;
}

/* ---- parsing ----------------------------------------------------------------- */

typedef struct cursor {
    const char *s;
    size_t n, i;
} cursor;

static int digits(cursor *c, int min, int max, int64_t *out)
{
    int k = 0;
    int64_t v = 0;
    while (c->i < c->n && k < max && isdigit((unsigned char)c->s[c->i])) {
        v = v * 10 + (c->s[c->i] - '0');
        c->i++;
        k++;
    }
    *out = v;
    return k >= min;
}

static int lit(cursor *c, char ch)
{
    if (c->i < c->n && c->s[c->i] == ch) {
        c->i++;
        return 1;
    }
    return 0;
}

static int parse_date(cursor *c, tg_vtemporal *t)
{
    int64_t y, mo = 1, d = 1;
    int neg = lit(c, '-');
    if (!neg)
        lit(c, '+');
    if (!digits(c, 4, 9, &y))
        return 0;
    if (neg)
        y = -y;
    if (lit(c, '-')) {
        if (!digits(c, 2, 2, &mo))
            return 0;
        if (lit(c, '-') && !digits(c, 2, 2, &d))
            return 0;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, (unsigned)mo))
        return 0;
    t->days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    return 1;
}

static int parse_time(cursor *c, tg_vtemporal *t)
{
    int64_t h, mi = 0, se = 0, frac = 0;
    if (!digits(c, 2, 2, &h))
        return 0;
    if (lit(c, ':')) {
        if (!digits(c, 2, 2, &mi))
            return 0;
        if (lit(c, ':')) {
            if (!digits(c, 2, 2, &se))
                return 0;
            if (lit(c, '.') || lit(c, ',')) {
                size_t start = c->i;
                int64_t f;
                if (!digits(c, 1, 9, &f))
                    return 0;
                for (size_t k = c->i - start; k < 9; k++)
                    f *= 10;
                frac = f;
            }
        }
    }
    if (h > 23 || mi > 59 || se > 59)
        return 0;
    t->seconds = h * 3600 + mi * 60 + se;
    t->nanos = (int32_t)frac;
    return 1;
}

static int parse_offset(const char *s, size_t n, int32_t *off)
{
    cursor c = {s, n, 0};
    int64_t h, m = 0;
    int sign;
    if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        *off = 0;
        return 1;
    }
    if (lit(&c, '+'))
        sign = 1;
    else if (lit(&c, '-'))
        sign = -1;
    else
        return 0;
    if (!digits(&c, 2, 2, &h))
        return 0;
    if (lit(&c, ':') || (c.i < c.n && isdigit((unsigned char)c.s[c.i])))
        if (!digits(&c, 2, 2, &m))
            return 0;
    if (c.i != c.n || h > 18 || m > 59)
        return 0;
    *off = (int32_t)(sign * (h * 3600 + m * 60));
    return 1;
}

int tg_temporal_parse(tg_vmem *m, const char *s, size_t len, tg_vkind want, tg_value *out)
{
    cursor c = {s, len, 0};
    tg_vtemporal t;
    tg_vkind k;
    memset(&t, 0, sizeof t);
    if (want == TG_VAL_DURATION)
        return 0; /* ISO durations are not read from text */
    /* a time alone is HH:MM...; a date starts with 4+ digits then '-' or ends */
    if (len >= 3 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && s[2] == ':') {
        if (!parse_time(&c, &t))
            return 0;
        k = TG_VAL_LOCALTIME;
    } else {
        if (!parse_date(&c, &t))
            return 0;
        k = TG_VAL_DATE;
        if (lit(&c, 'T') || lit(&c, 't')) {
            if (!parse_time(&c, &t))
                return 0;
            k = TG_VAL_LOCALDATETIME;
        }
    }
    if (c.i < c.n) {
        const char *zone = s + c.i;
        size_t zl = c.n - c.i, br = 0;
        /* an optional [Region/Name] after the offset is ignored */
        while (br < zl && zone[br] != '[')
            br++;
        if (k == TG_VAL_DATE || !parse_offset(zone, br, &t.offset))
            return 0;
        k = k == TG_VAL_LOCALTIME ? TG_VAL_TIME : TG_VAL_DATETIME;
    }
    if (want != TG_VAL_NULL && want != k) {
        tg_value tmp = tg_temporal_make(m, k, &t);
        if (tmp.kind == TG_VAL_NULL)
            return 0;
        /* a local value asked for with an offset kind gets UTC */
        if ((want == TG_VAL_TIME && k == TG_VAL_LOCALTIME) ||
            (want == TG_VAL_DATETIME && (k == TG_VAL_LOCALDATETIME || k == TG_VAL_DATE))) {
            t.offset = 0;
            *out = tg_temporal_make(m, want, &t);
            return out->kind == want;
        }
        return tg_temporal_convert(m, &tmp, want, out);
    }
    *out = tg_temporal_make(m, k, &t);
    return out->kind == k;
}

/* ---- from maps --------------------------------------------------------------- */

static int field(const tg_value *map, const char *key, int64_t *out, int *present, char *msg)
{
    const tg_value *v = tg_value_map_get(map, key, strlen(key));
    *present = 0;
    if (!v || v->kind == TG_VAL_NULL)
        return 0;
    if (v->kind != TG_VAL_INT) {
        snprintf(msg, 128, "InvalidArgumentType: the field '%s' must be an integer", key);
        return -1;
    }
    *out = v->u.i;
    *present = 1;
    return 0;
}

int tg_temporal_from_map(tg_vmem *m, tg_vkind k, const tg_value *map, tg_value *out, char *msg)
{
    tg_vtemporal t;
    int p;
    int64_t v;
    memset(&t, 0, sizeof t);
    if (k == TG_VAL_DURATION) {
        static const struct {
            const char *key;
            int64_t months, days, seconds, nanos;
        } parts[] = {
            {"years", 12, 0, 0, 0},          {"months", 1, 0, 0, 0},
            {"weeks", 0, 7, 0, 0},           {"days", 0, 1, 0, 0},
            {"hours", 0, 0, 3600, 0},        {"minutes", 0, 0, 60, 0},
            {"seconds", 0, 0, 1, 0},         {"milliseconds", 0, 0, 0, 1000000},
            {"microseconds", 0, 0, 0, 1000}, {"nanoseconds", 0, 0, 0, 1},
        };
        int64_t nanos = 0;
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
            if (field(map, parts[i].key, &v, &p, msg))
                return -1;
            if (!p)
                continue;
            t.months += v * parts[i].months;
            t.days += v * parts[i].days;
            t.seconds += v * parts[i].seconds;
            nanos += v * parts[i].nanos;
        }
        t.seconds += nanos / NS;
        nanos %= NS;
        if (nanos < 0 && t.seconds > 0) {
            t.seconds--;
            nanos += NS;
        } else if (nanos > 0 && t.seconds < 0) {
            t.seconds++;
            nanos -= NS;
        }
        t.nanos = (int32_t)nanos;
        *out = tg_temporal_make(m, k, &t);
        return 0;
    }
    if (has_date(k)) {
        int64_t y = 0, mo = 1, d = 1;
        if (field(map, "year", &y, &p, msg))
            return -1;
        if (!p) {
            snprintf(msg, 128, "InvalidArgumentValue: a date needs a year");
            return -1;
        }
        if (field(map, "month", &mo, &p, msg) || field(map, "day", &d, &p, msg))
            return -1;
        if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, (unsigned)mo)) {
            snprintf(msg, 128, "InvalidArgumentValue: no such date");
            return -1;
        }
        t.days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    }
    if (has_time(k)) {
        int64_t h = 0, mi = 0, se = 0, ms = 0, us = 0, ns = 0;
        if (field(map, "hour", &h, &p, msg) || field(map, "minute", &mi, &p, msg) ||
            field(map, "second", &se, &p, msg) || field(map, "millisecond", &ms, &p, msg) ||
            field(map, "microsecond", &us, &p, msg) || field(map, "nanosecond", &ns, &p, msg))
            return -1;
        if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59 || ms < 0 || us < 0 ||
            ns < 0 || ms * 1000000 + us * 1000 + ns >= NS) {
            snprintf(msg, 128, "InvalidArgumentValue: no such time of day");
            return -1;
        }
        t.seconds = h * 3600 + mi * 60 + se;
        t.nanos = (int32_t)(ms * 1000000 + us * 1000 + ns);
    }
    if (has_offset(k)) {
        const tg_value *tz = tg_value_map_get(map, "timezone", 8);
        if (tz && tz->kind == TG_VAL_STRING && !parse_offset(tz->u.s, tz->len, &t.offset)) {
            snprintf(msg, 128, "InvalidArgumentValue: timezone must be an offset like "
                               "'+01:00' or 'Z'");
            return -1;
        }
    }
    *out = tg_temporal_make(m, k, &t);
    return 0;
}

int tg_temporal_convert(tg_vmem *m, const tg_value *v, tg_vkind k, tg_value *out)
{
    tg_vtemporal t = *v->u.tm;
    tg_vkind from = (tg_vkind)v->kind;
    if (from == k) {
        *out = *v;
        return 1;
    }
    if (from == TG_VAL_DURATION || k == TG_VAL_DURATION)
        return 0;
    if (has_date(k) && !has_date(from))
        return 0;
    if (!has_time(k)) {
        t.seconds = 0;
        t.nanos = 0;
    }
    if (!has_date(k))
        t.days = 0;
    if (!has_offset(k))
        t.offset = 0;
    *out = tg_temporal_make(m, k, &t);
    return out->kind == k;
}

/* ---- arithmetic -------------------------------------------------------------- */

int tg_temporal_add(tg_vmem *m, const tg_value *a, const tg_value *d, int sign, tg_value *out)
{
    tg_vtemporal t = *a->u.tm;
    const tg_vtemporal *du = d->u.tm;
    tg_vkind k = (tg_vkind)a->kind;
    if (d->kind != TG_VAL_DURATION)
        return 0;
    if (k == TG_VAL_DURATION) {
        int64_t nanos = (int64_t)t.nanos + sign * (int64_t)du->nanos;
        t.months += sign * du->months;
        t.days += sign * du->days;
        t.seconds += sign * du->seconds + nanos / NS;
        t.nanos = (int32_t)(nanos % NS);
        *out = tg_temporal_make(m, k, &t);
        return 1;
    }
    if (has_date(k)) {
        int64_t y, months;
        unsigned mo, dd;
        civil_from_days(t.days, &y, &mo, &dd);
        months = y * 12 + (mo - 1) + sign * du->months;
        y = months >= 0 ? months / 12 : (months - 11) / 12;
        mo = (unsigned)(months - y * 12 + 1);
        if ((int)dd > days_in_month(y, mo))
            dd = (unsigned)days_in_month(y, mo);
        t.days = days_from_civil(y, mo, dd) + sign * du->days;
    }
    if (has_time(k) || k == TG_VAL_DATE) {
        int64_t ns = t.nanos + sign * (int64_t)du->nanos;
        int64_t secs = t.seconds + sign * du->seconds + (ns >= 0 ? ns / NS : (ns - NS + 1) / NS);
        int64_t carry;
        ns -= (ns >= 0 ? ns / NS : (ns - NS + 1) / NS) * NS;
        carry = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
        secs -= carry * 86400;
        if (has_date(k))
            t.days += carry;
        if (k == TG_VAL_DATE) {
            secs = 0;
            ns = 0;
        }
        t.seconds = secs;
        t.nanos = (int32_t)ns;
    }
    *out = tg_temporal_make(m, k, &t);
    return out->kind == k;
}

/* ---- comparison --------------------------------------------------------------- */

static void instant(const tg_value *v, int64_t *sec, int64_t *ns)
{
    const tg_vtemporal *t = v->u.tm;
    *sec = t->days * 86400 + t->seconds - (has_offset((tg_vkind)v->kind) ? t->offset : 0);
    *ns = t->nanos;
}

int tg_temporal_compare(const tg_value *a, const tg_value *b, int *cmp)
{
    int64_t s1, n1, s2, n2;
    *cmp = 0;
    if (a->kind != b->kind || a->kind == TG_VAL_DURATION)
        return 0;
    instant(a, &s1, &n1);
    instant(b, &s2, &n2);
    *cmp = s1 < s2 ? -1 : s1 > s2 ? 1 : n1 < n2 ? -1 : n1 > n2;
    return 1;
}

int tg_temporal_order(const tg_value *a, const tg_value *b)
{
    int c;
    if (a->kind == TG_VAL_DURATION) {
        const tg_vtemporal *x = a->u.tm, *y = b->u.tm;
        if (x->months != y->months)
            return x->months < y->months ? -1 : 1;
        if (x->days != y->days)
            return x->days < y->days ? -1 : 1;
        if (x->seconds != y->seconds)
            return x->seconds < y->seconds ? -1 : 1;
        return x->nanos < y->nanos ? -1 : x->nanos > y->nanos;
    }
    tg_temporal_compare(a, b, &c);
    if (c == 0 && has_offset((tg_vkind)a->kind))
        c = a->u.tm->offset < b->u.tm->offset ? -1 : a->u.tm->offset > b->u.tm->offset;
    return c;
}

uint64_t tg_temporal_hash(const tg_value *v)
{
    const tg_vtemporal *t = v->u.tm;
    uint64_t h = 0x7e3779b97f4a7c15ull * (uint64_t)(v->kind + 1);
    int64_t parts[4];
    if (v->kind == TG_VAL_DURATION) {
        parts[0] = t->months;
        parts[1] = t->days;
        parts[2] = t->seconds;
        parts[3] = t->nanos;
    } else {
        instant(v, &parts[0], &parts[1]);
        parts[2] = parts[3] = 0;
    }
    for (int i = 0; i < 4; i++) {
        h ^= (uint64_t)parts[i] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
        h *= 0xff51afd7ed558ccdull;
    }
    return h;
}

/* ---- components ---------------------------------------------------------------- */

tg_value tg_temporal_field(tg_vmem *m, const tg_value *v, const char *key, size_t klen)
{
    const tg_vtemporal *t = v->u.tm;
    tg_vkind k = (tg_vkind)v->kind;
    char name[32];
    if (klen >= sizeof name)
        return tg_value_null();
    memcpy(name, key, klen);
    name[klen] = 0;
    if (k == TG_VAL_DURATION) {
        if (!strcmp(name, "years"))
            return tg_value_int(t->months / 12);
        if (!strcmp(name, "months"))
            return tg_value_int(t->months);
        if (!strcmp(name, "days"))
            return tg_value_int(t->days);
        if (!strcmp(name, "hours"))
            return tg_value_int(t->seconds / 3600);
        if (!strcmp(name, "minutes"))
            return tg_value_int(t->seconds / 60);
        if (!strcmp(name, "seconds"))
            return tg_value_int(t->seconds);
        if (!strcmp(name, "nanoseconds"))
            return tg_value_int(t->seconds * NS + t->nanos);
        return tg_value_null();
    }
    if (has_date(k)) {
        int64_t y;
        unsigned mo, d;
        civil_from_days(t->days, &y, &mo, &d);
        if (!strcmp(name, "year"))
            return tg_value_int(y);
        if (!strcmp(name, "month"))
            return tg_value_int(mo);
        if (!strcmp(name, "day"))
            return tg_value_int(d);
        if (!strcmp(name, "quarter"))
            return tg_value_int((mo - 1) / 3 + 1);
        if (!strcmp(name, "dayOfWeek"))
            return tg_value_int(((t->days % 7 + 7 + 3) % 7) + 1); /* 1970-01-01 was a Thursday */
        if (!strcmp(name, "ordinalDay"))
            return tg_value_int(t->days - days_from_civil(y, 1, 1) + 1);
    }
    if (has_time(k)) {
        if (!strcmp(name, "hour"))
            return tg_value_int(t->seconds / 3600);
        if (!strcmp(name, "minute"))
            return tg_value_int(t->seconds / 60 % 60);
        if (!strcmp(name, "second"))
            return tg_value_int(t->seconds % 60);
        if (!strcmp(name, "millisecond"))
            return tg_value_int(t->nanos / 1000000);
        if (!strcmp(name, "microsecond"))
            return tg_value_int(t->nanos / 1000);
        if (!strcmp(name, "nanosecond"))
            return tg_value_int(t->nanos);
    }
    if (has_offset(k)) {
        if (!strcmp(name, "offsetSeconds"))
            return tg_value_int(t->offset);
        if (!strcmp(name, "offset") || !strcmp(name, "timezone")) {
            char buf[16];
            int off = t->offset < 0 ? -t->offset : t->offset;
            if (t->offset == 0)
                return tg_value_cstr(m, "Z");
            snprintf(buf, sizeof buf, "%c%02d:%02d", t->offset < 0 ? '-' : '+', off / 3600,
                     off / 60 % 60);
            return tg_value_cstr(m, buf);
        }
    }
    if (k == TG_VAL_DATETIME || k == TG_VAL_LOCALDATETIME) {
        int64_t sec = t->days * 86400 + t->seconds - t->offset;
        if (!strcmp(name, "epochSeconds"))
            return tg_value_int(sec);
        if (!strcmp(name, "epochMillis"))
            return tg_value_int(sec * 1000 + t->nanos / 1000000);
    }
    return tg_value_null();
}

/* ---- text ------------------------------------------------------------------------ */

static size_t fmt_time(const tg_vtemporal *t, char *buf)
{
    size_t n = (size_t)sprintf(buf, "%02d:%02d", (int)(t->seconds / 3600),
                               (int)(t->seconds / 60 % 60));
    if (t->seconds % 60 || t->nanos) {
        n += (size_t)sprintf(buf + n, ":%02d", (int)(t->seconds % 60));
        if (t->nanos) {
            char frac[16];
            int len = sprintf(frac, "%09d", (int)t->nanos);
            while (len > 0 && frac[len - 1] == '0')
                frac[--len] = 0;
            n += (size_t)sprintf(buf + n, ".%s", frac);
        }
    }
    return n;
}

static size_t fmt_offset(int32_t off, char *buf)
{
    int a = off < 0 ? -off : off;
    if (off == 0)
        return (size_t)sprintf(buf, "Z");
    return (size_t)sprintf(buf, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

size_t tg_temporal_format(const tg_value *v, char *buf)
{
    const tg_vtemporal *t = v->u.tm;
    tg_vkind k = (tg_vkind)v->kind;
    size_t n = 0;
    if (k == TG_VAL_DURATION) {
        int64_t s = t->seconds;
        n = (size_t)sprintf(buf, "P");
        if (t->months / 12)
            n += (size_t)sprintf(buf + n, "%lldY", (long long)(t->months / 12));
        if (t->months % 12)
            n += (size_t)sprintf(buf + n, "%lldM", (long long)(t->months % 12));
        if (t->days)
            n += (size_t)sprintf(buf + n, "%lldD", (long long)t->days);
        if (s || t->nanos) {
            n += (size_t)sprintf(buf + n, "T");
            if (s / 3600)
                n += (size_t)sprintf(buf + n, "%lldH", (long long)(s / 3600));
            if (s / 60 % 60)
                n += (size_t)sprintf(buf + n, "%lldM", (long long)(s / 60 % 60));
            if (s % 60 || t->nanos) {
                if (t->nanos) {
                    char frac[16];
                    int nn = t->nanos < 0 ? -t->nanos : t->nanos;
                    int len = sprintf(frac, "%09d", nn);
                    while (len > 0 && frac[len - 1] == '0')
                        frac[--len] = 0;
                    n += (size_t)sprintf(buf + n, "%s%lld.%sS",
                                         (s % 60 == 0 && t->nanos < 0) ? "-" : "",
                                         (long long)(s % 60), frac);
                } else
                    n += (size_t)sprintf(buf + n, "%lldS", (long long)(s % 60));
            }
        }
        if (n == 1)
            n += (size_t)sprintf(buf + n, "T0S");
        return n;
    }
    if (has_date(k)) {
        int64_t y;
        unsigned mo, d;
        civil_from_days(t->days, &y, &mo, &d);
        if (y >= 0 && y <= 9999)
            n = (size_t)sprintf(buf, "%04lld-%02u-%02u", (long long)y, mo, d);
        else
            n = (size_t)sprintf(buf, "%+lld-%02u-%02u", (long long)y, mo, d);
        if (has_time(k))
            buf[n++] = 'T';
    }
    if (has_time(k))
        n += fmt_time(t, buf + n);
    if (has_offset(k))
        n += fmt_offset(t->offset, buf + n);
    buf[n] = 0;
    return n;
}
