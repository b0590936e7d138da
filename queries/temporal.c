/* temporal.c — the query language's dates, times and durations.
 *
 * The values themselves, their text and their order are the engine's
 * (engine/temporal.h); this file gives them openCypher's semantics, as the
 * TCK (expressions/temporal) and Neo4j define them:
 * - construction from a string, from a map of fields, from another temporal
 *   (selecting and overriding parts: {date: d, time: t, day: 28}), and from
 *   the statement's clock (date(), datetime.statement(), ...);
 * - accessors (d.year, d.week, dur.minutesOfHour, ...);
 * - truncation (date.truncate('month', d, {day: 2}));
 * - arithmetic: instant +/- duration, duration +/- duration, duration * and /
 *   numbers (fractions are approximated as openCypher does);
 * - durations between two temporals (duration.between, inMonths, inDays,
 *   inSeconds), aligning a date with a time the way java.time's until() does.
 * The temporal functions live in their own table (tg_i_temporal_func_find),
 * which functions.c consults after its own.
 *
 * Overflow of a 64-bit part raises the integer-overflow error of the language
 * ("NumberOutOfRange: integer overflow in ..."); a date past the years
 * -999999999..999999999 is an InvalidArgumentValue.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ast.h"
#include "expr.h"
#include "ops.h"

#define NS TG_TIME_NS
#define DAY 86400LL

__extension__ typedef __int128 i128; /* GCC and Clang: exact duration * integer */

static int vt(int k) /* value kind -> engine kind */
{
    return k - TG_VAL_DATE + TG_V_DATE;
}

static tg_vkind vk(int t) /* engine kind -> value kind */
{
    return (tg_vkind)(t - TG_V_DATE + TG_VAL_DATE);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

static tg_status fail(tg_exec *x, tg_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static tg_status fail(tg_exec *x, tg_status st, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tg_exec_fail(x, st, NULL, "%s", msg);
    return st;
}

static tg_status overflow(tg_exec *x, const char *what)
{
    return fail(x, TG_EARG, "NumberOutOfRange: integer overflow in %s", what);
}

static tg_status out_of_range(tg_exec *x, const char *fn)
{
    return fail(x, TG_EARG,
                "InvalidArgumentValue: %s gives a date past the supported years "
                "(-999999999 to 999999999)",
                fn);
}

static tg_status oom(tg_exec *x)
{
    return fail(x, TG_ENOMEM, "out of memory");
}

/* ---- values ------------------------------------------------------------------------- */

tg_value tg_temporal_make(tg_vmem *m, tg_vkind k, const tg_temporal *t)
{
    tg_temporal *p = tg_vmem_alloc(m, sizeof *p);
    tg_value v = tg_value_null();
    if (!p)
        return v;
    *p = *t;
    p->kind = (uint8_t)vt(k);
    v.kind = (uint8_t)k;
    v.u.tm = p;
    return v;
}

tg_value tg_temporal_value(tg_vmem *m, const tg_temporal *t)
{
    return tg_temporal_make(m, vk(t->kind), t);
}

tg_value tg_temporal_from_pval(const tg_graph *g, tg_vmem *m, const tg_pval *p)
{
    tg_temporal t = {0};
    if (!tg_graph_temporal(g, p, &t))
        return tg_value_null();
    return tg_temporal_value(m, &t);
}

size_t tg_temporal_format(const tg_value *v, char *buf)
{
    return tg_time_format(v->u.tm, buf);
}

int tg_temporal_compare(const tg_value *a, const tg_value *b, int *cmp)
{
    *cmp = 0;
    if (a->kind != b->kind || a->kind == TG_VAL_DURATION)
        return 0;
    *cmp = tg_time_cmp(a->u.tm, b->u.tm);
    return 1;
}

int tg_temporal_order(const tg_value *a, const tg_value *b)
{
    return tg_time_cmp(a->u.tm, b->u.tm);
}

uint64_t tg_temporal_hash(const tg_value *v)
{
    return tg_time_hash(v->u.tm);
}

/* ---- accessors ------------------------------------------------------------------------ */

static tg_value offset_text(tg_vmem *m, int32_t off)
{
    char buf[16];
    size_t n = tg_time_format_offset(off, buf);
    return tg_value_str_copy(m, buf, n);
}

static tg_value duration_field(const tg_temporal *t, const char *k)
{
    int64_t r;
    if (!strcmp(k, "years"))
        return tg_value_int(t->months / 12);
    if (!strcmp(k, "quarters"))
        return tg_value_int(t->months / 3);
    if (!strcmp(k, "months"))
        return tg_value_int(t->months);
    if (!strcmp(k, "weeks"))
        return tg_value_int(t->days / 7);
    if (!strcmp(k, "days"))
        return tg_value_int(t->days);
    if (!strcmp(k, "hours"))
        return tg_value_int(t->seconds / 3600);
    if (!strcmp(k, "minutes"))
        return tg_value_int(t->seconds / 60);
    if (!strcmp(k, "seconds"))
        return tg_value_int(t->seconds);
    if (!strcmp(k, "milliseconds"))
        return __builtin_mul_overflow(t->seconds, 1000, &r) ||
                       __builtin_add_overflow(r, t->nanos / 1000000, &r)
                   ? tg_value_null()
                   : tg_value_int(r);
    if (!strcmp(k, "microseconds"))
        return __builtin_mul_overflow(t->seconds, 1000000, &r) ||
                       __builtin_add_overflow(r, t->nanos / 1000, &r)
                   ? tg_value_null()
                   : tg_value_int(r);
    if (!strcmp(k, "nanoseconds"))
        return __builtin_mul_overflow(t->seconds, NS, &r) || __builtin_add_overflow(r, t->nanos, &r)
                   ? tg_value_null()
                   : tg_value_int(r);
    if (!strcmp(k, "quartersOfYear"))
        return tg_value_int(t->months / 3 % 4);
    if (!strcmp(k, "monthsOfQuarter"))
        return tg_value_int(t->months % 3);
    if (!strcmp(k, "monthsOfYear"))
        return tg_value_int(t->months % 12);
    if (!strcmp(k, "daysOfWeek"))
        return tg_value_int(t->days % 7);
    if (!strcmp(k, "minutesOfHour"))
        return tg_value_int(t->seconds / 60 % 60);
    if (!strcmp(k, "secondsOfMinute"))
        return tg_value_int(t->seconds % 60);
    if (!strcmp(k, "millisecondsOfSecond"))
        return tg_value_int(t->nanos / 1000000);
    if (!strcmp(k, "microsecondsOfSecond"))
        return tg_value_int(t->nanos / 1000);
    if (!strcmp(k, "nanosecondsOfSecond"))
        return tg_value_int(t->nanos);
    return tg_value_null();
}

tg_value tg_temporal_field(tg_vmem *m, const tg_value *v, const char *key, size_t klen)
{
    const tg_temporal *t = v->u.tm;
    int k = t->kind;
    char name[32];
    if (klen >= sizeof name)
        return tg_value_null();
    memcpy(name, key, klen);
    name[klen] = 0;
    if (k == TG_V_DURATION)
        return duration_field(t, name);
    if (tg_time_has_date(k)) {
        int64_t y, wy;
        int mo, d, w;
        tg_time_civil_from_days(t->days, &y, &mo, &d);
        if (!strcmp(name, "year"))
            return tg_value_int(y);
        if (!strcmp(name, "quarter"))
            return tg_value_int((mo - 1) / 3 + 1);
        if (!strcmp(name, "month"))
            return tg_value_int(mo);
        if (!strcmp(name, "day"))
            return tg_value_int(d);
        if (!strcmp(name, "week") || !strcmp(name, "weekYear")) {
            tg_time_iso_week(t->days, &wy, &w);
            return tg_value_int(name[4] ? wy : w);
        }
        if (!strcmp(name, "dayOfWeek") || !strcmp(name, "weekDay"))
            return tg_value_int(tg_time_weekday(t->days));
        if (!strcmp(name, "ordinalDay"))
            return tg_value_int(t->days - tg_time_days_from_civil(y, 1, 1) + 1);
        if (!strcmp(name, "dayOfQuarter"))
            return tg_value_int(t->days - tg_time_days_from_civil(y, (mo - 1) / 3 * 3 + 1, 1) + 1);
    }
    if (tg_time_has_time(k)) {
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
    if (tg_time_has_offset(k)) {
        if (!strcmp(name, "timezone"))
            return t->zone ? tg_value_cstr(m, tg_tz_name(t->zone)) : offset_text(m, t->offset);
        if (!strcmp(name, "offset"))
            return offset_text(m, t->offset);
        if (!strcmp(name, "offsetMinutes"))
            return tg_value_int(t->offset / 60);
        if (!strcmp(name, "offsetSeconds"))
            return tg_value_int(t->offset);
    }
    if (k == TG_V_DATETIME) {
        int64_t sec;
        int32_t ns;
        tg_time_instant(t, &sec, &ns);
        if (!strcmp(name, "epochSeconds"))
            return tg_value_int(sec);
        if (!strcmp(name, "epochMillis"))
            return tg_value_int(sec * 1000 + ns / 1000000);
    }
    return tg_value_null();
}

/* ---- the clock ------------------------------------------------------------------------ */

/* The statement's clock as a UTC datetime: fixed by tg_query_options.now when
 * given, else read once per statement from the system clock. */
static tg_status clock_now(tg_exec *x, tg_temporal *now)
{
    if (!x->now_ready) {
        tg_temporal t;
        if (x->now_text) {
            tg_error e;
            if (tg_time_parse(x->now_text, strlen(x->now_text), TG_V_DATETIME, &t, &e) != TG_OK)
                return fail(x, TG_EARG, "InvalidArgumentValue: the clock (--now): %s", e.message);
            tg_time_instant(&t, &x->now_sec, &x->now_ns);
        } else {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            x->now_sec = (int64_t)ts.tv_sec;
            x->now_ns = (int32_t)ts.tv_nsec;
        }
        x->now_ready = 1;
    }
    memset(now, 0, sizeof *now);
    now->kind = TG_V_DATETIME;
    now->days = floor_div(x->now_sec, DAY);
    now->seconds = floor_mod(x->now_sec, DAY);
    now->nanos = x->now_ns;
    return TG_OK;
}

/* ---- construction ------------------------------------------------------------------------ */

enum {
    F_YEAR,
    F_MONTH,
    F_DAY,
    F_WEEK,
    F_DOW,
    F_ORD,
    F_QUARTER,
    F_DOQ,
    F_HOUR,
    F_MINUTE,
    F_SECOND,
    F_MS,
    F_US,
    F_NS,
    F_ESEC,
    F_EMS,
    NF
};
static const char *const fnames[NF] = {"year",        "month",      "day",          "week",
                                       "dayOfWeek",   "ordinalDay", "quarter",      "dayOfQuarter",
                                       "hour",        "minute",     "second",       "millisecond",
                                       "microsecond", "nanosecond", "epochSeconds", "epochMillis"};

typedef struct tfields {
    int has[NF];
    int64_t v[NF];
} tfields;

/* What a construction starts from: the parts of other temporals. */
typedef struct tbase {
    int has_date;
    int64_t days;
    int has_time;
    int64_t secs;
    int32_t nanos;
    int zoned; /* the time came with an offset or zone */
    uint32_t zone;
    int32_t offset;
} tbase;

static void base_date(tbase *b, const tg_temporal *t)
{
    b->has_date = 1;
    b->days = t->days;
}

static void base_time(tbase *b, const tg_temporal *t)
{
    b->has_time = 1;
    b->secs = t->seconds;
    b->nanos = t->nanos;
    if (tg_time_has_offset(t->kind)) {
        b->zoned = 1;
        b->zone = t->zone;
        b->offset = t->offset;
    }
}

/* The offset of a named zone for a time value (which has no date): the
 * offset in force at the statement's clock. */
static tg_status zone_offset_now(tg_exec *x, uint32_t zone, int32_t *off)
{
    tg_temporal now = {0};
    int64_t sec;
    int32_t ns;
    tg_status st = clock_now(x, &now);
    if (st != TG_OK)
        return st;
    tg_time_instant(&now, &sec, &ns);
    *off = tg_tz_offset_at(zone, sec, 0);
    return TG_OK;
}

static tg_status read_zone(tg_exec *x, const char *fn, const tg_value *tz, uint32_t *zone,
                           int32_t *off)
{
    tg_error e;
    if (tz->kind != TG_VAL_STRING)
        return fail(x, TG_ETYPE,
                    "InvalidArgumentType: %s(): the timezone must be a string, not a %s", fn,
                    tg_value_kind_name((tg_vkind)tz->kind));
    if (tg_time_parse_zone(tz->u.s, tz->len, zone, off, &e) != TG_OK)
        return fail(x, e.status == TG_ENOMEM ? TG_ENOMEM : TG_EARG,
                    "InvalidArgumentValue: %s(): %s", fn, e.message);
    return TG_OK;
}

static int any_of(const tfields *f, int from, int to)
{
    for (int i = from; i <= to; i++)
        if (f->has[i])
            return 1;
    return 0;
}

static tg_status range(tg_exec *x, const char *fn, const char *field, int64_t v, int64_t lo,
                       int64_t hi)
{
    if (v < lo || v > hi)
        return fail(x, TG_EARG,
                    "InvalidArgumentValue: %s(): %s must be between %lld and %lld, not %lld", fn,
                    field, (long long)lo, (long long)hi, (long long)v);
    return TG_OK;
}

#define TRY(e)                                                                                     \
    do {                                                                                           \
        tg_status st_ = (e);                                                                       \
        if (st_ != TG_OK)                                                                          \
            return st_;                                                                            \
    } while (0)

static tg_status build_date(tg_exec *x, const char *fn, const tfields *f, const tbase *b,
                            int64_t *days)
{
    int civil = f->has[F_MONTH] || f->has[F_DAY], week = f->has[F_WEEK] || f->has[F_DOW];
    int ord = f->has[F_ORD], quarter = f->has[F_QUARTER] || f->has[F_DOQ];
    int64_t y = f->v[F_YEAR], by = 0;
    int bm = 1, bd = 1;
    if (civil + week + ord + quarter > 1)
        return fail(x, TG_EARG,
                    "InvalidArgumentValue: %s(): a date is given by month and day, by week "
                    "and dayOfWeek, by ordinalDay, or by quarter and dayOfQuarter, not by a mix",
                    fn);
    if (!f->has[F_YEAR] && !b->has_date)
        return fail(x, TG_EARG, "InvalidArgumentValue: %s(): the year is missing", fn);
    if (b->has_date)
        tg_time_civil_from_days(b->days, &by, &bm, &bd);
    if (f->has[F_YEAR])
        TRY(range(x, fn, "year", y, TG_TIME_MIN_YEAR, TG_TIME_MAX_YEAR));
    if (week) {
        int64_t wy = y;
        int bw = 1, w, dow = 1;
        if (b->has_date) {
            int64_t bwy;
            tg_time_iso_week(b->days, &bwy, &bw);
            if (!f->has[F_YEAR])
                wy = bwy;
            dow = tg_time_weekday(b->days);
        } else if (!f->has[F_WEEK])
            return fail(x, TG_EARG, "InvalidArgumentValue: %s(): dayOfWeek needs a week", fn);
        w = f->has[F_WEEK] ? (int)f->v[F_WEEK] : bw;
        if (f->has[F_WEEK])
            TRY(range(x, fn, "week", f->v[F_WEEK], 1, tg_time_weeks_in_year(wy)));
        if (f->has[F_DOW]) {
            TRY(range(x, fn, "dayOfWeek", f->v[F_DOW], 1, 7));
            dow = (int)f->v[F_DOW];
        }
        if (w > tg_time_weeks_in_year(wy))
            w = tg_time_weeks_in_year(wy);
        *days = tg_time_days_from_week(wy, w, dow);
    } else {
        if (!f->has[F_YEAR])
            y = by;
        if (ord) {
            TRY(range(x, fn, "ordinalDay", f->v[F_ORD], 1, tg_time_is_leap(y) ? 366 : 365));
            *days = tg_time_days_from_civil(y, 1, 1) + f->v[F_ORD] - 1;
        } else if (quarter) {
            int64_t q, doq, first, next;
            if (!f->has[F_QUARTER] && !b->has_date)
                return fail(x, TG_EARG, "InvalidArgumentValue: %s(): dayOfQuarter needs a quarter",
                            fn);
            q = f->has[F_QUARTER] ? f->v[F_QUARTER] : (bm - 1) / 3 + 1;
            TRY(range(x, fn, "quarter", q, 1, 4));
            doq = b->has_date ? b->days - tg_time_days_from_civil(by, (bm - 1) / 3 * 3 + 1, 1) + 1
                              : 1;
            first = tg_time_days_from_civil(y, (int)(q - 1) * 3 + 1, 1);
            next = q == 4 ? tg_time_days_from_civil(y + 1, 1, 1)
                          : tg_time_days_from_civil(y, (int)q * 3 + 1, 1);
            if (f->has[F_DOQ]) {
                TRY(range(x, fn, "dayOfQuarter", f->v[F_DOQ], 1, next - first));
                doq = f->v[F_DOQ];
            } else if (doq > next - first)
                doq = next - first;
            *days = first + doq - 1;
        } else {
            int64_t m = f->has[F_MONTH] ? f->v[F_MONTH] : (b->has_date ? bm : 1);
            int64_t d = f->has[F_DAY] ? f->v[F_DAY] : (b->has_date ? bd : 1);
            if (f->has[F_DAY] && !f->has[F_MONTH] && !b->has_date)
                return fail(x, TG_EARG, "InvalidArgumentValue: %s(): day needs a month", fn);
            TRY(range(x, fn, "month", m, 1, 12));
            if (!f->has[F_DAY] && d > tg_time_days_in_month(y, (int)m))
                d = tg_time_days_in_month(y, (int)m); /* 29 February in another year */
            TRY(range(x, fn, "day", d, 1, tg_time_days_in_month(y, (int)m)));
            *days = tg_time_days_from_civil(y, (int)m, (int)d);
        }
    }
    if (!tg_time_days_in_range(*days))
        return out_of_range(x, fn);
    return TG_OK;
}

static tg_status build_time(tg_exec *x, const char *fn, const tfields *f, const tbase *b,
                            int64_t *secs, int32_t *nanos)
{
    int64_t h = b->has_time ? b->secs / 3600 : 0, mi = b->has_time ? b->secs / 60 % 60 : 0;
    int64_t s = b->has_time ? b->secs % 60 : 0, ns = b->has_time ? b->nanos : 0;
    if (!b->has_time) {
        if (!f->has[F_HOUR] && any_of(f, F_MINUTE, F_NS))
            return fail(x, TG_EARG, "InvalidArgumentValue: %s(): the hour is missing", fn);
        if (!f->has[F_MINUTE] && any_of(f, F_SECOND, F_NS))
            return fail(x, TG_EARG, "InvalidArgumentValue: %s(): the minute is missing", fn);
    }
    if (f->has[F_HOUR])
        TRY(range(x, fn, "hour", h = f->v[F_HOUR], 0, 23));
    if (f->has[F_MINUTE])
        TRY(range(x, fn, "minute", mi = f->v[F_MINUTE], 0, 59));
    if (f->has[F_SECOND])
        TRY(range(x, fn, "second", s = f->v[F_SECOND], 0, 59));
    if (any_of(f, F_MS, F_NS)) {
        int64_t ms = f->has[F_MS] ? f->v[F_MS] : 0, us = f->has[F_US] ? f->v[F_US] : 0;
        int64_t n = f->has[F_NS] ? f->v[F_NS] : 0;
        TRY(range(x, fn, "millisecond", ms, 0, 999));
        TRY(range(x, fn, "microsecond", us, 0, f->has[F_MS] ? 999 : 999999));
        TRY(range(x, fn, "nanosecond", n, 0, f->has[F_MS] || f->has[F_US] ? 999 : 999999999));
        ns = ms * 1000000 + us * 1000 + n;
    }
    *secs = h * 3600 + mi * 60 + s;
    *nanos = (int32_t)ns;
    return TG_OK;
}

/* Builds a temporal of engine kind K from fields over a base; tz (may be
 * NULL) is the map's timezone. A base with a zone keeps it and the result
 * then moves to tz (the same instant); a base without one takes tz (the same
 * local time). */
static tg_status build(tg_exec *x, const char *fn, int K, const tfields *f, const tbase *b,
                       const tg_value *tz, tg_temporal *out)
{
    tg_temporal t = {0};
    uint32_t zone = 0;
    int32_t off = 0;
    memset(&t, 0, sizeof t);
    t.kind = (uint8_t)K;
    if (!tg_time_has_date(K) && any_of(f, F_YEAR, F_DOQ))
        return fail(x, TG_EARG, "InvalidArgumentValue: %s(): a %s has no date", fn,
                    tg_time_kind_name(K));
    if (!tg_time_has_time(K) && any_of(f, F_HOUR, F_NS))
        return fail(x, TG_EARG, "InvalidArgumentValue: %s(): a %s has no time of day", fn,
                    tg_time_kind_name(K));
    if (!tg_time_has_offset(K) && tz)
        return fail(x, TG_EARG, "InvalidArgumentValue: %s(): a %s has no time zone", fn,
                    tg_time_kind_name(K));
    if (tz)
        TRY(read_zone(x, fn, tz, &zone, &off));
    if (f->has[F_ESEC] || f->has[F_EMS]) {
        int64_t sec, ns = f->has[F_NS] ? f->v[F_NS] : 0;
        if (K != TG_V_DATETIME || any_of(f, F_YEAR, F_MS) || (f->has[F_ESEC] && f->has[F_EMS]) ||
            (f->has[F_EMS] && f->has[F_NS]) || b->has_date || b->has_time)
            return fail(x, TG_EARG,
                        "InvalidArgumentValue: %s(): epochSeconds (with nanosecond) or "
                        "epochMillis stand alone, with a timezone at most",
                        fn);
        TRY(range(x, fn, "nanosecond", ns, 0, 999999999));
        sec = f->has[F_ESEC] ? f->v[F_ESEC] : floor_div(f->v[F_EMS], 1000);
        if (f->has[F_EMS])
            ns = floor_mod(f->v[F_EMS], 1000) * 1000000;
        t.days = floor_div(sec, DAY);
        t.seconds = floor_mod(sec, DAY);
        t.nanos = (int32_t)ns;
        if (!tg_time_days_in_range(t.days))
            return out_of_range(x, fn);
        tg_time_to_zone(&t, zone, off);
        *out = t;
        return TG_OK;
    }
    if (tg_time_has_date(K))
        TRY(build_date(x, fn, f, b, &t.days));
    if (tg_time_has_time(K))
        TRY(build_time(x, fn, f, b, &t.seconds, &t.nanos));
    if (tg_time_has_offset(K)) {
        if (b->zoned) {
            if (K == TG_V_DATETIME) {
                t.zone = b->zone;
                t.offset = b->offset;
                tg_time_resolve_local(&t, b->offset);
                if (tz)
                    tg_time_to_zone(&t, zone, off);
            } else {
                t.offset = b->offset;
                if (tz) {
                    if (zone)
                        TRY(zone_offset_now(x, zone, &off));
                    t.seconds = floor_mod(t.seconds - t.offset + off, DAY);
                    t.offset = off;
                }
            }
        } else if (K == TG_V_DATETIME) {
            t.zone = zone;
            t.offset = off;
            tg_time_resolve_local(&t, INT32_MIN);
        } else {
            if (zone)
                TRY(zone_offset_now(x, zone, &off));
            t.offset = off;
        }
        if (K == TG_V_DATETIME && !tg_time_days_in_range(t.days))
            return out_of_range(x, fn);
    }
    *out = t;
    return TG_OK;
}

/* Reads a map argument into fields, base and timezone. */
static tg_status read_map(tg_exec *x, const char *fn, const tg_value *map, tfields *f, tbase *b,
                          const tg_value **tz, int *only_tz)
{
    const tg_value *date = NULL, *time = NULL, *dt = NULL;
    memset(f, 0, sizeof *f);
    memset(b, 0, sizeof *b);
    *tz = NULL;
    *only_tz = 0;
    for (uint32_t i = 0; i < map->len; i++) {
        const tg_vmap_entry *e = &map->u.map[i];
        const tg_value *v = &e->value;
        int k;
        if (v->kind == TG_VAL_NULL)
            continue;
        if (e->klen == 8 && !memcmp(e->key, "timezone", 8)) {
            *tz = v;
            continue;
        }
        if (e->klen == 4 && !memcmp(e->key, "date", 4)) {
            date = v;
            continue;
        }
        if (e->klen == 4 && !memcmp(e->key, "time", 4)) {
            time = v;
            continue;
        }
        if (e->klen == 8 && !memcmp(e->key, "datetime", 8)) {
            dt = v;
            continue;
        }
        for (k = 0; k < NF; k++)
            if (strlen(fnames[k]) == e->klen && !memcmp(fnames[k], e->key, e->klen))
                break;
        if (k == NF)
            return fail(x, TG_EARG, "InvalidArgumentValue: %s(): no field named '%.*s'", fn,
                        (int)(e->klen > 40 ? 40 : e->klen), e->key);
        if (v->kind != TG_VAL_INT)
            return fail(x, TG_ETYPE,
                        "InvalidArgumentType: %s(): the field '%s' must be an integer, not a %s",
                        fn, fnames[k], tg_value_kind_name((tg_vkind)v->kind));
        f->has[k] = 1;
        f->v[k] = v->u.i;
    }
    if (dt && (date || time))
        return fail(x, TG_EARG,
                    "InvalidArgumentValue: %s(): datetime cannot be combined with date or time",
                    fn);
    if (dt)
        date = time = dt;
    if (date) {
        if (!tg_value_is_temporal(date) || !tg_time_has_date(date->u.tm->kind))
            return fail(x, TG_ETYPE,
                        "InvalidArgumentType: %s(): %s must be a value with a date, not a %s", fn,
                        dt ? "datetime" : "date", tg_value_kind_name((tg_vkind)date->kind));
        base_date(b, date->u.tm);
    }
    if (time) {
        if (!tg_value_is_temporal(time) || (!tg_time_has_time(time->u.tm->kind) && !dt))
            return fail(
                x, TG_ETYPE,
                "InvalidArgumentType: %s(): time must be a value with a time of day, not a %s", fn,
                tg_value_kind_name((tg_vkind)time->kind));
        if (tg_time_has_time(time->u.tm->kind))
            base_time(b, time->u.tm);
    }
    *only_tz = *tz && !date && !time && !any_of(f, 0, NF - 1);
    return TG_OK;
}

/* Converts temporal v to engine kind K (date(datetime), datetime(localdatetime)...). */
static tg_status select_from(tg_exec *x, const char *fn, int K, const tg_temporal *v,
                             tg_temporal *out)
{
    tfields f;
    tbase b;
    memset(&f, 0, sizeof f);
    memset(&b, 0, sizeof b);
    if (v->kind == TG_V_DURATION || (tg_time_has_date(K) && !tg_time_has_date(v->kind)) ||
        (!tg_time_has_date(K) && !tg_time_has_time(v->kind)))
        return fail(x, TG_ETYPE, "InvalidArgumentType: %s() cannot take a %s", fn,
                    tg_time_kind_name(v->kind));
    if (tg_time_has_date(v->kind))
        base_date(&b, v);
    if (tg_time_has_time(v->kind))
        base_time(&b, v);
    return build(x, fn, K, &f, &b, NULL, out);
}

/* The statement's clock as kind K in zone tz (NULL: UTC). */
static tg_status current(tg_exec *x, const char *fn, int K, const tg_value *tz, tg_temporal *out)
{
    tg_temporal now = {0};
    uint32_t zone = 0;
    int32_t off = 0;
    TRY(clock_now(x, &now));
    if (tz) {
        TRY(read_zone(x, fn, tz, &zone, &off));
        tg_time_to_zone(&now, zone, off);
    }
    if (K == TG_V_DATETIME) {
        *out = now;
        return TG_OK;
    }
    return select_from(x, fn, K, &now, out);
}

/* A duration from a map: integers exactly (overflow is an error), any
 * fraction as openCypher approximates it. */
static tg_status duration_from_map(tg_exec *x, const tg_value *map, tg_temporal *out)
{
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
    int64_t im = 0, id = 0, is = 0, ins = 0;
    long double lm = 0, ld = 0, ls = 0, lns = 0;
    int approx = 0, ovf = 0;
    for (uint32_t i = 0; i < map->len; i++) {
        const tg_vmap_entry *e = &map->u.map[i];
        const tg_value *v = &e->value;
        size_t k;
        for (k = 0; k < sizeof parts / sizeof parts[0]; k++)
            if (strlen(parts[k].key) == e->klen && !memcmp(parts[k].key, e->key, e->klen))
                break;
        if (k == sizeof parts / sizeof parts[0])
            return fail(x, TG_EARG, "InvalidArgumentValue: duration(): no field named '%.*s'",
                        (int)(e->klen > 40 ? 40 : e->klen), e->key);
        if (v->kind == TG_VAL_NULL)
            continue;
        if (!tg_value_is_number(v))
            return fail(
                x, TG_ETYPE,
                "InvalidArgumentType: duration(): the field '%s' must be a number, not a %s",
                parts[k].key, tg_value_kind_name((tg_vkind)v->kind));
        if (v->kind == TG_VAL_FLOAT) {
            if (!isfinite(v->u.f))
                return overflow(x, "duration()");
            approx = 1;
        }
        {
            long double a = v->kind == TG_VAL_INT ? (long double)v->u.i : (long double)v->u.f;
            lm += a * parts[k].months;
            ld += a * parts[k].days;
            ls += a * parts[k].seconds;
            lns += a * parts[k].nanos;
        }
        if (v->kind == TG_VAL_INT) {
            int64_t p;
            ovf |= __builtin_mul_overflow(v->u.i, parts[k].months, &p) ||
                   __builtin_add_overflow(im, p, &im);
            ovf |= __builtin_mul_overflow(v->u.i, parts[k].days, &p) ||
                   __builtin_add_overflow(id, p, &id);
            ovf |= __builtin_mul_overflow(v->u.i, parts[k].seconds, &p) ||
                   __builtin_add_overflow(is, p, &is);
            ovf |= __builtin_mul_overflow(v->u.i, parts[k].nanos, &p) ||
                   __builtin_add_overflow(ins, p, &ins);
        }
    }
    if (approx) {
        if (tg_time_duration_approx(lm, ld, ls, lns, out) != TG_OK)
            return overflow(x, "duration()");
        return TG_OK;
    }
    if (ovf || tg_time_duration_exact(im, id, is, ins, out) != TG_OK)
        return overflow(x, "duration()");
    return TG_OK;
}

/* ---- arithmetic ------------------------------------------------------------------------ */

/* Adds months to a local date, keeping the day when the month has it (else
 * the month's last day). */
static int add_months(int64_t *days, int64_t months)
{
    int64_t y, total;
    int m, d, dim;
    tg_time_civil_from_days(*days, &y, &m, &d);
    if (__builtin_add_overflow(y * 12 + (m - 1), months, &total) ||
        total / 12 > TG_TIME_MAX_YEAR + 1 || total / 12 < TG_TIME_MIN_YEAR - 1)
        return 0;
    y = floor_div(total, 12);
    m = (int)(total - y * 12) + 1;
    dim = tg_time_days_in_month(y, m);
    *days = tg_time_days_from_civil(y, m, d > dim ? dim : d);
    return tg_time_days_in_range(*days);
}

/* t + sign * d for an instant t and a duration d. */
static tg_status add_duration(tg_exec *x, tg_temporal t, const tg_temporal *d, int sign,
                              tg_temporal *out)
{
    int k = t.kind;
    int64_t dsec = d->seconds, dns = d->nanos, months, days;
    if (sign < 0) {
        /* -(s + n/1e9) = (-s - 1) + (1e9 - n)/1e9 */
        if (__builtin_mul_overflow(d->months, -1, &months) ||
            __builtin_mul_overflow(d->days, -1, &days) || __builtin_mul_overflow(dsec, -1, &dsec))
            return overflow(x, "temporal arithmetic");
        if (dns) {
            if (__builtin_sub_overflow(dsec, 1, &dsec))
                return overflow(x, "temporal arithmetic");
            dns = NS - dns;
        }
    } else {
        months = d->months;
        days = d->days;
    }
    if (tg_time_has_date(k)) {
        int32_t before = t.offset;
        if (!add_months(&t.days, months) || __builtin_add_overflow(t.days, days, &t.days) ||
            !tg_time_days_in_range(t.days))
            return out_of_range(x, "temporal arithmetic");
        if (k == TG_V_DATE) {
            /* whole days of the seconds, toward zero */
            int64_t s = dsec + (dsec < 0 && dns ? 1 : 0);
            t.days += s / DAY;
            if (!tg_time_days_in_range(t.days))
                return out_of_range(x, "temporal arithmetic");
            *out = t;
            return TG_OK;
        }
        if (k == TG_V_DATETIME && t.zone)
            tg_time_resolve_local(&t, before);
    }
    if (k == TG_V_LOCALTIME || k == TG_V_TIME) {
        int64_t total = t.seconds * NS + t.nanos + floor_mod(dsec, DAY) * NS + dns;
        total = floor_mod(total, DAY * NS);
        t.seconds = total / NS;
        t.nanos = (int32_t)(total % NS);
    } else {
        /* local (or the instant, for a named zone) seconds */
        int64_t base = t.days * DAY + t.seconds - (t.zone ? t.offset : 0), sec, ns;
        if (__builtin_add_overflow(base, dsec, &sec))
            return out_of_range(x, "temporal arithmetic");
        ns = t.nanos + dns;
        sec += ns / NS;
        ns %= NS;
        if (t.zone) {
            t.offset = tg_tz_offset_at(t.zone, sec, t.offset);
            sec += t.offset;
        }
        t.days = floor_div(sec, DAY);
        t.seconds = floor_mod(sec, DAY);
        t.nanos = (int32_t)ns;
        if (!tg_time_days_in_range(t.days))
            return out_of_range(x, "temporal arithmetic");
    }
    *out = t;
    return TG_OK;
}

static tg_status duration_add(tg_exec *x, const tg_temporal *a, const tg_temporal *b, int sign,
                              tg_temporal *out)
{
    int64_t m, d, s, n;
    if (sign > 0 ? (__builtin_add_overflow(a->months, b->months, &m) ||
                    __builtin_add_overflow(a->days, b->days, &d) ||
                    __builtin_add_overflow(a->seconds, b->seconds, &s))
                 : (__builtin_sub_overflow(a->months, b->months, &m) ||
                    __builtin_sub_overflow(a->days, b->days, &d) ||
                    __builtin_sub_overflow(a->seconds, b->seconds, &s)))
        return overflow(x, sign > 0 ? "+" : "-");
    n = (int64_t)a->nanos + sign * (int64_t)b->nanos;
    if (tg_time_duration_exact(m, d, s, n, out) != TG_OK)
        return overflow(x, sign > 0 ? "+" : "-");
    return TG_OK;
}

static tg_status duration_scale(tg_exec *x, const tg_temporal *d, const tg_value *num, int divide,
                                tg_temporal *out)
{
    if (num->kind == TG_VAL_INT && !divide) {
        int64_t k = num->u.i, m, dd;
        i128 total = ((i128)d->seconds * NS + d->nanos) * k;
        i128 sec = total / NS, ns = total % NS;
        if (ns < 0) {
            ns += NS;
            sec -= 1;
        }
        if (__builtin_mul_overflow(d->months, k, &m) || __builtin_mul_overflow(d->days, k, &dd) ||
            sec > INT64_MAX || sec < INT64_MIN)
            return overflow(x, "*");
        return tg_time_duration_exact(m, dd, (int64_t)sec, (int64_t)ns, out) == TG_OK
                   ? TG_OK
                   : overflow(x, "*");
    }
    {
        long double f = num->kind == TG_VAL_INT ? (long double)num->u.i : (long double)num->u.f;
        if (divide) {
            if (f == 0)
                return fail(x, TG_EARG, "DivisionByZero: a duration divided by zero");
            f = 1.0L / f;
        }
        if (!isfinite((double)f) ||
            tg_time_duration_approx((long double)d->months * f, (long double)d->days * f,
                                    (long double)d->seconds * f, (long double)d->nanos * f,
                                    out) != TG_OK)
            return overflow(x, divide ? "/" : "*");
        return TG_OK;
    }
}

tg_status tg_temporal_arith(struct tg_exec *x, int op, const tg_value *l, const tg_value *r,
                            tg_value *out)
{
    tg_temporal res = {0};
    tg_status st;
    int ld = l->kind == TG_VAL_DURATION, rd = r->kind == TG_VAL_DURATION;
    if (op == TG_AST_OP_ADD || op == TG_AST_OP_SUB) {
        int sign = op == TG_AST_OP_ADD ? 1 : -1;
        if (ld && rd)
            st = duration_add(x, l->u.tm, r->u.tm, sign, &res);
        else if (rd && tg_value_is_temporal(l))
            st = add_duration(x, *l->u.tm, r->u.tm, sign, &res);
        else if (ld && tg_value_is_temporal(r) && sign > 0)
            st = add_duration(x, *r->u.tm, l->u.tm, 1, &res);
        else
            return TG_ETYPE;
    } else if (op == TG_AST_OP_MUL && ld && tg_value_is_number(r))
        st = duration_scale(x, l->u.tm, r, 0, &res);
    else if (op == TG_AST_OP_MUL && rd && tg_value_is_number(l))
        st = duration_scale(x, r->u.tm, l, 0, &res);
    else if (op == TG_AST_OP_DIV && ld && tg_value_is_number(r))
        st = duration_scale(x, l->u.tm, r, 1, &res);
    else
        return TG_ETYPE;
    if (st != TG_OK)
        return st;
    *out = tg_temporal_value(x->mem, &res);
    return out->kind == TG_VAL_NULL ? oom(x) : TG_OK;
}

tg_status tg_temporal_negate(struct tg_exec *x, const tg_value *v, tg_value *out)
{
    tg_temporal zero, res = {0};
    memset(&zero, 0, sizeof zero);
    zero.kind = TG_V_DURATION;
    TRY(duration_add(x, &zero, v->u.tm, -1, &res));
    *out = tg_temporal_value(x->mem, &res);
    return out->kind == TG_VAL_NULL ? oom(x) : TG_OK;
}

/* ---- truncation ------------------------------------------------------------------------- */

enum {
    U_MILLENNIUM,
    U_CENTURY,
    U_DECADE,
    U_YEAR,
    U_WEEKYEAR,
    U_QUARTER,
    U_MONTH,
    U_WEEK,
    U_DAY,
    U_HOUR,
    U_MINUTE,
    U_SECOND,
    U_MS,
    U_US,
    NU
};
static const char *const unames[NU] = {
    "millennium", "century", "decade", "year",   "weekYear", "quarter",     "month",
    "week",       "day",     "hour",   "minute", "second",   "millisecond", "microsecond"};

static tg_status truncate(tg_exec *x, const char *fn, int K, const tg_value *unit,
                          const tg_value *in, const tg_value *map, tg_temporal *out)
{
    const tg_temporal *v = in->u.tm;
    tfields f;
    tbase b;
    const tg_value *tz = NULL;
    int u, only_tz;
    uint32_t zone = 0;
    int32_t off = 0;
    if (unit->kind != TG_VAL_STRING)
        return fail(x, TG_ETYPE, "InvalidArgumentType: %s(): the unit must be a string", fn);
    for (u = 0; u < NU; u++)
        if (strlen(unames[u]) == unit->len && !strncasecmp(unames[u], unit->u.s, unit->len))
            break;
    if (u == NU)
        return fail(x, TG_EARG, "InvalidArgumentValue: %s(): no unit named '%.*s'", fn,
                    (int)(unit->len > 40 ? 40 : unit->len), unit->u.s);
    if (!tg_value_is_temporal(in) || v->kind == TG_V_DURATION)
        return fail(x, TG_ETYPE, "InvalidArgumentType: %s() truncates a date or time, not a %s", fn,
                    tg_value_kind_name((tg_vkind)in->kind));
    if ((tg_time_has_date(K) && !tg_time_has_date(v->kind)) ||
        (!tg_time_has_time(K) && u > U_DAY) || (!tg_time_has_date(K) && u < U_DAY) ||
        (!tg_time_has_date(K) && !tg_time_has_time(v->kind)))
        return fail(x, TG_EARG, "InvalidArgumentValue: %s() cannot truncate a %s to the %s", fn,
                    tg_time_kind_name(v->kind), unames[u]);
    if (map && map->kind == TG_VAL_MAP)
        TRY(read_map(x, fn, map, &f, &b, &tz, &only_tz));
    else if (map && map->kind != TG_VAL_NULL)
        return fail(x, TG_ETYPE, "InvalidArgumentType: %s(): the fields must be a map", fn);
    else {
        memset(&f, 0, sizeof f);
        memset(&b, 0, sizeof b);
    }
    if (b.has_date || b.has_time)
        return fail(x, TG_EARG, "InvalidArgumentValue: %s(): the fields cannot name a date or time",
                    fn);
    /* the truncated local value becomes the base */
    memset(&b, 0, sizeof b);
    if (tg_time_has_date(v->kind)) {
        int64_t y, wy, d = v->days;
        int mo, dd, w;
        tg_time_civil_from_days(d, &y, &mo, &dd);
        switch (u) {
        case U_MILLENNIUM: d = tg_time_days_from_civil(floor_div(y, 1000) * 1000, 1, 1); break;
        case U_CENTURY: d = tg_time_days_from_civil(floor_div(y, 100) * 100, 1, 1); break;
        case U_DECADE: d = tg_time_days_from_civil(floor_div(y, 10) * 10, 1, 1); break;
        case U_YEAR: d = tg_time_days_from_civil(y, 1, 1); break;
        case U_WEEKYEAR:
            tg_time_iso_week(d, &wy, &w);
            d = tg_time_days_from_week(wy, 1, 1);
            break;
        case U_QUARTER: d = tg_time_days_from_civil(y, (mo - 1) / 3 * 3 + 1, 1); break;
        case U_MONTH: d = tg_time_days_from_civil(y, mo, 1); break;
        case U_WEEK: d -= tg_time_weekday(d) - 1; break;
        default: break;
        }
        if (!tg_time_days_in_range(d))
            return out_of_range(x, fn);
        b.has_date = 1;
        b.days = d;
    }
    b.has_time = 1;
    if (tg_time_has_time(v->kind) && u > U_DAY) {
        int64_t s = v->seconds;
        int32_t ns = v->nanos;
        switch (u) {
        case U_HOUR: s -= s % 3600, ns = 0; break;
        case U_MINUTE: s -= s % 60, ns = 0; break;
        case U_SECOND: ns = 0; break;
        case U_MS: ns -= ns % 1000000; break;
        case U_US: ns -= ns % 1000; break;
        }
        b.secs = s;
        b.nanos = ns;
    }
    /* finer fields given with a coarser unit keep the truncated part */
    if (u == U_MS && (f.has[F_US] || f.has[F_NS]) && !f.has[F_MS]) {
        f.has[F_MS] = 1;
        f.v[F_MS] = b.nanos / 1000000;
    } else if (u == U_US && f.has[F_NS] && !f.has[F_US] && !f.has[F_MS]) {
        f.has[F_US] = 1;
        f.v[F_US] = b.nanos / 1000;
    }
    /* the zone: the fields' timezone (the same local time), else the input's */
    if (tz) {
        TRY(read_zone(x, fn, tz, &zone, &off));
        if (K == TG_V_TIME && zone)
            TRY(zone_offset_now(x, zone, &off));
        b.zoned = 1;
        b.zone = zone;
        b.offset = off;
    } else if (tg_time_has_offset(v->kind)) {
        b.zoned = 1;
        b.zone = v->zone;
        b.offset = v->offset;
    }
    return build(x, fn, K, &f, &b, NULL, out);
}

/* ---- durations between -------------------------------------------------------------------- */

static void attach_time(tg_temporal *t)
{
    if (t->kind == TG_V_DATE)
        t->kind = TG_V_LOCALDATETIME;
}

static void attach_date(tg_temporal *t, int64_t days)
{
    if (t->kind == TG_V_LOCALTIME)
        t->kind = TG_V_LOCALDATETIME;
    else if (t->kind == TG_V_TIME)
        t->kind = TG_V_DATETIME;
    else
        return;
    t->days = days;
}

static void attach_zone(tg_temporal *t, uint32_t zone, int32_t offset)
{
    if (t->kind == TG_V_LOCALTIME) {
        t->kind = TG_V_TIME;
        t->offset = offset;
    } else if (t->kind == TG_V_LOCALDATETIME) {
        t->kind = TG_V_DATETIME;
        t->zone = zone;
        t->offset = offset;
        tg_time_resolve_local(t, offset);
    }
}

/* Gives from and to the same parts, as java.time's until() sees them. */
static void align(tg_temporal *a, tg_temporal *b, int time_based)
{
    if (time_based) {
        attach_time(a);
        attach_time(b);
    } else if (tg_time_has_time(a->kind) && !tg_time_has_time(b->kind))
        attach_time(b);
    else if (tg_time_has_time(b->kind) && !tg_time_has_time(a->kind))
        attach_time(a);
    if (tg_time_has_date(a->kind) && !tg_time_has_date(b->kind))
        attach_date(b, a->days);
    else if (tg_time_has_date(b->kind) && !tg_time_has_date(a->kind))
        attach_date(a, b->days);
    if (tg_time_has_offset(a->kind) && !tg_time_has_offset(b->kind))
        attach_zone(b, a->zone, a->offset);
    else if (tg_time_has_offset(b->kind) && !tg_time_has_offset(a->kind))
        attach_zone(a, b->zone, b->offset);
}

/* Whole months (months != 0) or days between two values with dates. */
static int64_t until_dates(tg_temporal a, tg_temporal b, int months)
{
    int64_t end;
    align(&a, &b, 0);
    if (a.kind == TG_V_DATETIME)
        tg_time_to_zone(&b, a.zone, a.offset); /* the end seen in the start's zone */
    end = b.days;
    if (tg_time_has_time(a.kind)) {
        int later = b.seconds > a.seconds || (b.seconds == a.seconds && b.nanos > a.nanos);
        int earlier = b.seconds < a.seconds || (b.seconds == a.seconds && b.nanos < a.nanos);
        if (end > a.days && earlier)
            end--;
        else if (end < a.days && later)
            end++;
    }
    if (!months)
        return end - a.days;
    {
        int64_t y1, y2;
        int m1, d1, m2, d2;
        tg_time_civil_from_days(a.days, &y1, &m1, &d1);
        tg_time_civil_from_days(end, &y2, &m2, &d2);
        return ((y2 * 12 + m2 - 1) * 32 + d2 - ((y1 * 12 + m1 - 1) * 32 + d1)) / 32;
    }
}

/* The exact time between two values (seconds and nanoseconds). */
static void until_time(tg_temporal a, tg_temporal b, int64_t *sec, int64_t *ns)
{
    int64_t s1, s2;
    int32_t n1, n2;
    align(&a, &b, 1);
    tg_time_instant(&a, &s1, &n1);
    tg_time_instant(&b, &s2, &n2);
    *sec = s2 - s1;
    *ns = (int64_t)n2 - n1;
}

enum { B_BETWEEN, B_MONTHS, B_DAYS, B_SECONDS };

static tg_status between(tg_exec *x, const char *fn, int what, const tg_value *l, const tg_value *r,
                         tg_temporal *out)
{
    tg_temporal a, b;
    int64_t months = 0, days = 0, sec = 0, ns = 0;
    if (!tg_value_is_temporal(l) || !tg_value_is_temporal(r) || l->kind == TG_VAL_DURATION ||
        r->kind == TG_VAL_DURATION)
        return fail(x, TG_ETYPE,
                    "InvalidArgumentType: %s() takes two dates or times, not a %s and a %s", fn,
                    tg_value_kind_name((tg_vkind)l->kind), tg_value_kind_name((tg_vkind)r->kind));
    a = *l->u.tm;
    b = *r->u.tm;
    if (tg_time_has_date(a.kind) && tg_time_has_date(b.kind)) {
        if (what == B_BETWEEN || what == B_MONTHS) {
            months = until_dates(a, b, 1);
            if (what == B_BETWEEN) {
                int32_t before = a.offset;
                add_months(&a.days, months);
                tg_time_resolve_local(&a, before);
            }
        }
        if (what == B_BETWEEN || what == B_DAYS) {
            days = until_dates(a, b, 0);
            if (what == B_BETWEEN) {
                int32_t before = a.offset;
                a.days += days;
                tg_time_resolve_local(&a, before);
            }
        }
    }
    if (what == B_BETWEEN || what == B_SECONDS)
        until_time(a, b, &sec, &ns);
    if (tg_time_duration_exact(months, days, sec, ns, out) != TG_OK)
        return overflow(x, fn);
    return TG_OK;
}

/* ---- the functions -------------------------------------------------------------------------- */

static tg_status done(tg_exec *x, const tg_temporal *t, tg_value *out)
{
    *out = tg_temporal_value(x->mem, t);
    return out->kind == TG_VAL_NULL ? oom(x) : TG_OK;
}

static tg_status arg_type(tg_exec *x, const char *fn, const tg_value *v)
{
    return fail(x, TG_ETYPE, "InvalidArgumentType: %s() cannot take a %s", fn,
                tg_value_kind_name((tg_vkind)v->kind));
}

/* date(x), localtime(x), ..., duration(x) */
static tg_status construct(tg_exec *x, int K, const char *fn, const tg_value *args, size_t n,
                           tg_value *out)
{
    tg_temporal t = {0};
    *out = tg_value_null();
    if (n == 0) {
        if (K == TG_V_DURATION)
            return fail(x, TG_ESYNTAX, "duration() needs an argument");
        TRY(current(x, fn, K, NULL, &t));
        return done(x, &t, out);
    }
    switch (args[0].kind) {
    case TG_VAL_NULL: return TG_OK;
    case TG_VAL_STRING: {
        tg_error e;
        tg_status st = tg_time_parse(args[0].u.s, args[0].len, K, &t, &e);
        if (st != TG_OK)
            return fail(x, st == TG_ENOMEM ? TG_ENOMEM : TG_EARG, "%s%s (in %s())",
                        st == TG_EINVAL ? "InvalidArgumentValue: " : "", e.message, fn);
        return done(x, &t, out);
    }
    case TG_VAL_MAP: {
        tfields f;
        tbase b;
        const tg_value *tz;
        int only_tz;
        if (K == TG_V_DURATION) {
            TRY(duration_from_map(x, &args[0], &t));
            return done(x, &t, out);
        }
        TRY(read_map(x, fn, &args[0], &f, &b, &tz, &only_tz));
        if (only_tz)
            TRY(current(x, fn, K, tz, &t));
        else
            TRY(build(x, fn, K, &f, &b, tz, &t));
        return done(x, &t, out);
    }
    default:
        if (tg_value_is_temporal(&args[0])) {
            if (K == TG_V_DURATION) {
                if (args[0].kind != TG_VAL_DURATION)
                    return arg_type(x, fn, &args[0]);
                *out = args[0];
                return TG_OK;
            }
            TRY(select_from(x, fn, K, args[0].u.tm, &t));
            return done(x, &t, out);
        }
        return arg_type(x, fn, &args[0]);
    }
}

/* date.statement(tz?) and the transaction and realtime clocks (all the
 * statement's clock here: one statement, one instant). */
static tg_status clock_fn(tg_exec *x, int K, const char *fn, const tg_value *args, size_t n,
                          tg_value *out)
{
    tg_temporal t = {0};
    const tg_value *tz = NULL;
    *out = tg_value_null();
    if (n == 1) {
        if (args[0].kind == TG_VAL_NULL)
            return TG_OK;
        if (args[0].kind == TG_VAL_MAP) {
            tz = tg_value_map_get(&args[0], "timezone", 8);
            if (args[0].len != (tz ? 1u : 0u))
                return fail(x, TG_EARG, "InvalidArgumentValue: %s() takes only a timezone", fn);
        } else
            tz = &args[0];
    }
    TRY(current(x, fn, K, tz, &t));
    return done(x, &t, out);
}

static tg_status truncate_fn(tg_exec *x, int K, const char *fn, const tg_value *args, size_t n,
                             tg_value *out)
{
    tg_temporal t = {0};
    *out = tg_value_null();
    if (args[0].kind == TG_VAL_NULL || args[1].kind == TG_VAL_NULL)
        return TG_OK;
    TRY(truncate(x, fn, K, &args[0], &args[1], n > 2 ? &args[2] : NULL, &t));
    return done(x, &t, out);
}

static tg_status between_fn(tg_exec *x, int what, const char *fn, const tg_value *args,
                            tg_value *out)
{
    tg_temporal t = {0};
    *out = tg_value_null();
    if (args[0].kind == TG_VAL_NULL || args[1].kind == TG_VAL_NULL)
        return TG_OK;
    TRY(between(x, fn, what, &args[0], &args[1], &t));
    return done(x, &t, out);
}

static tg_status f_fromepoch(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    tg_temporal t = {0};
    tfields f;
    tbase b;
    *out = tg_value_null();
    if (args[0].kind == TG_VAL_NULL || (n > 1 && args[1].kind == TG_VAL_NULL))
        return TG_OK;
    if (args[0].kind != TG_VAL_INT || (n > 1 && args[1].kind != TG_VAL_INT))
        return arg_type(x, "datetime.fromepoch", args[0].kind != TG_VAL_INT ? &args[0] : &args[1]);
    memset(&f, 0, sizeof f);
    memset(&b, 0, sizeof b);
    f.has[F_ESEC] = 1;
    f.v[F_ESEC] = args[0].u.i;
    if (n > 1) {
        f.has[F_NS] = 1;
        f.v[F_NS] = args[1].u.i;
    }
    TRY(build(x, "datetime.fromepoch", TG_V_DATETIME, &f, &b, NULL, &t));
    return done(x, &t, out);
}

static tg_status f_fromepochmillis(tg_exec *x, const tg_value *args, size_t n, tg_value *out)
{
    tg_temporal t = {0};
    tfields f;
    tbase b;
    *out = tg_value_null();
    if (args[0].kind == TG_VAL_NULL)
        return TG_OK;
    if (args[0].kind != TG_VAL_INT)
        return arg_type(x, "datetime.fromepochmillis", &args[0]);
    memset(&f, 0, sizeof f);
    memset(&b, 0, sizeof b);
    f.has[F_EMS] = 1;
    f.v[F_EMS] = args[0].u.i;
    TRY(build(x, "datetime.fromepochmillis", TG_V_DATETIME, &f, &b, NULL, &t));
    return done(x, &t, out);
}

#define KIND_FUNCS(pfx, K, name)                                                                   \
    static tg_status pfx(tg_exec *x, const tg_value *a, size_t n, tg_value *o)                     \
    {                                                                                              \
        return construct(x, K, name, a, n, o);                                                     \
    }                                                                                              \
    static tg_status pfx##_clock(tg_exec *x, const tg_value *a, size_t n, tg_value *o)             \
    {                                                                                              \
        return clock_fn(x, K, name, a, n, o);                                                      \
    }                                                                                              \
    static tg_status pfx##_truncate(tg_exec *x, const tg_value *a, size_t n, tg_value *o)          \
    {                                                                                              \
        return truncate_fn(x, K, name ".truncate", a, n, o);                                       \
    }
KIND_FUNCS(f_date, TG_V_DATE, "date")
KIND_FUNCS(f_localtime, TG_V_LOCALTIME, "localtime")
KIND_FUNCS(f_time, TG_V_TIME, "time")
KIND_FUNCS(f_localdatetime, TG_V_LOCALDATETIME, "localdatetime")
KIND_FUNCS(f_datetime, TG_V_DATETIME, "datetime")

static tg_status f_duration(tg_exec *x, const tg_value *a, size_t n, tg_value *o)
{
    return construct(x, TG_V_DURATION, "duration", a, n, o);
}

#define BETWEEN_FUNC(cname, what, name)                                                            \
    static tg_status cname(tg_exec *x, const tg_value *a, size_t n, tg_value *o)                   \
    {                                                                                              \
        return between_fn(x, what, name, a, o);                                                    \
    }
BETWEEN_FUNC(f_between, B_BETWEEN, "duration.between")
BETWEEN_FUNC(f_inmonths, B_MONTHS, "duration.inMonths")
BETWEEN_FUNC(f_indays, B_DAYS, "duration.inDays")
BETWEEN_FUNC(f_inseconds, B_SECONDS, "duration.inSeconds")

#define CLOCKS(base, pfx)                                                                          \
    {base, 0, 1, pfx, NULL}, {base ".transaction", 0, 1, pfx##_clock, NULL},                       \
        {base ".statement", 0, 1, pfx##_clock, NULL}, {base ".realtime", 0, 1, pfx##_clock, NULL}, \
    {                                                                                              \
        base ".truncate", 2, 3, pfx##_truncate, NULL                                               \
    }

static const tg_func temporal_funcs[] = {
    CLOCKS("date", f_date),
    CLOCKS("localtime", f_localtime),
    CLOCKS("time", f_time),
    CLOCKS("localdatetime", f_localdatetime),
    CLOCKS("datetime", f_datetime),
    {"datetime.fromepoch", 1, 2, f_fromepoch, NULL},
    {"datetime.fromepochmillis", 1, 1, f_fromepochmillis, NULL},
    {"duration", 1, 1, f_duration, NULL},
    {"duration.between", 2, 2, f_between, NULL},
    {"duration.inmonths", 2, 2, f_inmonths, NULL},
    {"duration.indays", 2, 2, f_indays, NULL},
    {"duration.inseconds", 2, 2, f_inseconds, NULL},
};

const tg_func *tg_i_temporal_func_find(const char *name)
{
    for (size_t i = 0; i < sizeof temporal_funcs / sizeof temporal_funcs[0]; i++)
        if (strcasecmp(temporal_funcs[i].name, name) == 0)
            return &temporal_funcs[i];
    return NULL;
}

const char *tg_i_temporal_func_name(size_t i)
{
    return i < sizeof temporal_funcs / sizeof temporal_funcs[0] ? temporal_funcs[i].name : NULL;
}
