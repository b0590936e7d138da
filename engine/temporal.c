/* temporal.c — the calendar, ISO 8601 text, ordering and stored form of the
 * temporal values (engine/temporal.h).
 *
 * Invariants of a valid tg_temporal (tg_time_is_valid): days within years
 * -999999999..999999999; 0 <= seconds < 86400 and 0 <= nanos < 1e9 for the
 * kinds with a time; |offset| <= 18 h; fields a kind does not use are zero.
 * Durations only have 0 <= nanos < 1e9 (seconds are floored).
 * The parser is a hand-written cursor over the text, one function per part
 * of the ISO grammar (date, time, offset, zone, duration), so that every
 * error can say which part was wrong.
 */
#include "temporal.h"
#include "graph_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS TG_TIME_NS
#define DAY 86400LL

const char *tg_time_kind_name(int kind)
{
    switch (kind) {
    case TG_V_DATE: return "Date";
    case TG_V_LOCALTIME: return "LocalTime";
    case TG_V_TIME: return "Time";
    case TG_V_LOCALDATETIME: return "LocalDateTime";
    case TG_V_DATETIME: return "DateTime";
    case TG_V_DURATION: return "Duration";
    default: return "not a temporal";
    }
}

const char *tg_time_kind_tag(int kind)
{
    static const char *const tags[] = {"date",          "localtime", "time",
                                       "localdatetime", "datetime",  "duration"};
    return tg_time_is_kind(kind) ? tags[kind - TG_V_DATE] : NULL;
}

/* ---- calendar ---------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b; /* not a - floor_div(a, b) * b: that product overflows near INT64_MIN */

    return r != 0 && (r < 0) != (b < 0) ? r + b : r;
}

int tg_time_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tg_time_days_in_month(int64_t y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && tg_time_is_leap(y) ? 29 : dm[m - 1];
}

int64_t tg_time_days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = floor_div(y, 400);
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void tg_time_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = floor_div(z, 146097);
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int tg_time_weekday(int64_t days)
{
    return (int)floor_mod(days + 3, 7) + 1; /* 1970-01-01 was a Thursday */
}

/* The Monday of week 1 of week-based year wy: the week with January 4th. */
static int64_t week1_monday(int64_t wy)
{
    int64_t jan4 = tg_time_days_from_civil(wy, 1, 4);
    return jan4 - (tg_time_weekday(jan4) - 1);
}

void tg_time_iso_week(int64_t days, int64_t *week_year, int *week)
{
    int64_t y;
    int m, d;
    tg_time_civil_from_days(days, &y, &m, &d);
    if (days >= week1_monday(y + 1))
        y++;
    else if (days < week1_monday(y))
        y--;
    *week_year = y;
    *week = (int)((days - week1_monday(y)) / 7 + 1);
}

int64_t tg_time_days_from_week(int64_t wy, int week, int weekday)
{
    return week1_monday(wy) + (int64_t)(week - 1) * 7 + (weekday - 1);
}

int tg_time_weeks_in_year(int64_t wy)
{
    return (int)((week1_monday(wy + 1) - week1_monday(wy)) / 7);
}

int tg_time_days_in_range(int64_t days)
{
    /* -999999999-01-01 and +999999999-12-31 (java.time's LocalDate.MIN and MAX) */
    return days >= -365243219162LL && days <= 365241780471LL;
}

static size_t fmt_offset(int32_t off, char *buf);

/* ---- parsing ------------------------------------------------------------------ */

typedef struct cur {
    const char *s;
    size_t n, i;
} cur;

static int at_end(const cur *c)
{
    return c->i >= c->n;
}

static int peek(const cur *c)
{
    return c->i < c->n ? (unsigned char)c->s[c->i] : -1;
}

static int lit(cur *c, char ch)
{
    if (c->i < c->n && c->s[c->i] == ch) {
        c->i++;
        return 1;
    }
    return 0;
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static size_t digits_ahead(const cur *c)
{
    size_t k = 0;
    while (c->i + k < c->n && is_digit((unsigned char)c->s[c->i + k]))
        k++;
    return k;
}

/* Exactly k digits. */
static int digits(cur *c, size_t k, int64_t *out)
{
    int64_t v = 0;
    if (digits_ahead(c) < k)
        return 0;
    for (size_t j = 0; j < k; j++)
        v = v * 10 + (c->s[c->i++] - '0');
    *out = v;
    return 1;
}

static tg_status bad(tg_error *err, const cur *c, const char *what)
{
    int shown = (int)(c->n > 60 ? 60 : c->n);
    return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "'%.*s%s' is not %s", shown, c->s,
                        c->n > 60 ? "..." : "", what);
}

static int parse_year(cur *c, int64_t *y)
{
    int neg = 0;
    size_t k;
    if (lit(c, '+') || (neg = lit(c, '-'))) {
        k = digits_ahead(c);
        if (k < 1 || k > 9 || !digits(c, k, y))
            return 0;
        if (neg)
            *y = -*y;
        return 1;
    }
    return digits(c, 4, y);
}

/* DATE: the forms of tg_time_parse. On success *days is the day. */
static int parse_date(cur *c, int64_t *days)
{
    int64_t y, a = 1, b = 1;
    size_t k;
    if (!parse_year(c, &y))
        return 0;
    if (at_end(c) || peek(c) == 'T' || peek(c) == 't') {
        *days = tg_time_days_from_civil(y, 1, 1);
        return 1;
    }
    if (lit(c, '-')) {
        if (lit(c, 'W'))
            goto week_ext;
        if (lit(c, 'Q')) {
            if (!digits(c, 1, &a) || a < 1 || a > 4)
                return 0;
            if (lit(c, '-')) {
                k = digits_ahead(c);
                if (k < 1 || k > 2 || !digits(c, k, &b))
                    return 0;
            }
            goto quarter;
        }
        k = digits_ahead(c);
        if (k == 3) {
            digits(c, 3, &a);
            goto ordinal;
        }
        if (k != 2 || !digits(c, 2, &a))
            return 0;
        if (lit(c, '-') && !digits(c, 2, &b))
            return 0;
        goto civil;
    }
    if (lit(c, 'W')) {
        if (!digits(c, 2, &a))
            return 0;
        if (digits_ahead(c) >= 1)
            digits(c, 1, &b);
        goto week;
    }
    k = digits_ahead(c);
    if (k == 3) {
        digits(c, 3, &a);
        goto ordinal;
    }
    if (k == 2 || k >= 4) {
        digits(c, 2, &a);
        if (k >= 4)
            digits(c, 2, &b);
        goto civil;
    }
    return 0;
week_ext:
    if (!digits(c, 2, &a))
        return 0;
    if (lit(c, '-') && !digits(c, 1, &b))
        return 0;
week:
    if (y < TG_TIME_MIN_YEAR || y > TG_TIME_MAX_YEAR || a < 1 || a > tg_time_weeks_in_year(y) ||
        b < 1 || b > 7)
        return 0;
    *days = tg_time_days_from_week(y, (int)a, (int)b);
    return 1;
ordinal:
    if (a < 1 || a > (tg_time_is_leap(y) ? 366 : 365))
        return 0;
    *days = tg_time_days_from_civil(y, 1, 1) + a - 1;
    return 1;
quarter : {
    int64_t first = tg_time_days_from_civil(y, (int)(a - 1) * 3 + 1, 1);
    int64_t next = a == 4 ? tg_time_days_from_civil(y + 1, 1, 1)
                          : tg_time_days_from_civil(y, (int)a * 3 + 1, 1);
    if (b < 1 || first + b - 1 >= next)
        return 0;
    *days = first + b - 1;
    return 1;
}
civil:
    if (a < 1 || a > 12 || b < 1 || b > tg_time_days_in_month(y, (int)a))
        return 0;
    *days = tg_time_days_from_civil(y, (int)a, (int)b);
    return 1;
}

/* A fraction of a second: 1..9 digits after '.' or ','. */
static int parse_fraction(cur *c, int32_t *nanos)
{
    size_t k;
    int64_t f;
    *nanos = 0;
    if (!(lit(c, '.') || lit(c, ',')))
        return 1;
    k = digits_ahead(c);
    if (k < 1 || k > 9 || !digits(c, k, &f))
        return 0;
    for (; k < 9; k++)
        f *= 10;
    *nanos = (int32_t)f;
    return 1;
}

static int parse_time(cur *c, int64_t *secs, int32_t *nanos)
{
    int64_t h, m = 0, s = 0;
    *nanos = 0;
    if (!digits(c, 2, &h))
        return 0;
    if (lit(c, ':')) {
        if (!digits(c, 2, &m))
            return 0;
        if (lit(c, ':')) {
            if (!digits(c, 2, &s) || !parse_fraction(c, nanos))
                return 0;
        }
    } else if (digits_ahead(c) >= 2) {
        digits(c, 2, &m);
        if (digits_ahead(c) >= 2) {
            digits(c, 2, &s);
            if (!parse_fraction(c, nanos))
                return 0;
        }
    }
    if (h > 23 || m > 59 || s > 59)
        return 0;
    *secs = h * 3600 + m * 60 + s;
    return 1;
}

/* Z | +hh | +hhmm | +hh:mm | +hh:mm:ss | +hhmmss. Returns 1 and advances when
 * an offset is there, 0 when not (cursor unchanged), -1 when malformed. */
static int parse_offset(cur *c, int32_t *off)
{
    int64_t h, m = 0, s = 0;
    int sign;
    if (lit(c, 'Z') || lit(c, 'z')) {
        *off = 0;
        return 1;
    }
    if (peek(c) == '+')
        sign = 1;
    else if (peek(c) == '-')
        sign = -1;
    else
        return 0;
    c->i++;
    if (!digits(c, 2, &h))
        return -1;
    if (lit(c, ':') || digits_ahead(c) >= 2) {
        if (!digits(c, 2, &m))
            return -1;
        if (lit(c, ':') || digits_ahead(c) >= 2) {
            if (!digits(c, 2, &s))
                return -1;
        }
    }
    if (m > 59 || s > 59 || h * 3600 + m * 60 + s > TG_TIME_MAX_OFFSET)
        return -1;
    *off = (int32_t)(sign * (h * 3600 + m * 60 + s));
    return 1;
}

/* [Region/City]: 1 and the zone, 0 when absent, -1 malformed; *st is set when
 * the zone database answers an error (message in err). */
static int parse_zone(cur *c, uint32_t *zone, tg_status *st, tg_error *err)
{
    size_t start, end;
    if (!lit(c, '['))
        return 0;
    start = c->i;
    while (c->i < c->n && c->s[c->i] != ']')
        c->i++;
    if (c->i >= c->n)
        return -1;
    end = c->i++;
    *st = tg_tz_find(c->s + start, end - start, zone, err);
    return *st == TG_OK ? 1 : -1;
}

tg_status tg_time_parse_zone(const char *s, size_t n, uint32_t *zone, int32_t *offset,
                             tg_error *err)
{
    cur c = {s, n, 0};
    int r = parse_offset(&c, offset);
    *zone = 0;
    if (r == 1 && at_end(&c))
        return TG_OK;
    if (r != 0)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                            "'%.*s' is not a time zone (an offset reads like +01:00, -05, Z)",
                            (int)(n > 60 ? 60 : n), s);
    *offset = 0;
    return tg_tz_find(s, n, zone, err);
}

size_t tg_time_format_offset(int32_t offset, char *buf)
{
    return fmt_offset(offset, buf);
}

/* ---- durations from parts ------------------------------------------------------- */

/* 2629746 s: the average Gregorian month (400 years / 4800 months). */
#define MONTH_NS 2629746000000000.0L
#define DAY_NS 86400000000000.0L

static int ld_to_i64(long double v, int64_t *out)
{
    if (!(v > -9.2233720368547758e18L && v < 9.2233720368547758e18L))
        return 0;
    *out = (int64_t)v; /* toward zero */
    return 1;
}

tg_status tg_time_duration_exact(int64_t months, int64_t days, int64_t seconds, int64_t nanos,
                                 tg_temporal *out)
{
    int64_t carry = floor_div(nanos, NS);
    memset(out, 0, sizeof *out);
    out->kind = TG_V_DURATION;
    if (__builtin_add_overflow(seconds, carry, &out->seconds))
        return TG_EARG;
    out->months = months;
    out->days = days;
    out->nanos = (int32_t)floor_mod(nanos, NS);
    return TG_OK;
}

tg_status tg_time_duration_approx(long double months, long double days, long double seconds,
                                  long double nanos, tg_temporal *out)
{
    int64_t m, d, s, extra_d, n, extra_s;
    long double frac_ns, rest;
    if (!ld_to_i64(months, &m) || !ld_to_i64(days, &d) || !ld_to_i64(seconds, &s))
        return TG_EARG;
    /* fractions of months and days become days and nanoseconds; the whole
       seconds given stay seconds (a duration keeps its parts apart) */
    frac_ns = (months - (long double)m) * MONTH_NS + (days - (long double)d) * DAY_NS;
    if (!ld_to_i64(frac_ns / DAY_NS, &extra_d))
        return TG_EARG;
    rest = frac_ns - (long double)extra_d * DAY_NS;
    rest += (seconds - (long double)s) * (long double)NS + nanos;
    if (!ld_to_i64(rest / (long double)NS, &extra_s))
        return TG_EARG;
    if (!ld_to_i64(rest - (long double)extra_s * (long double)NS, &n))
        return TG_EARG;
    if (__builtin_add_overflow(d, extra_d, &d) || __builtin_add_overflow(s, extra_s, &s))
        return TG_EARG;
    return tg_time_duration_exact(m, d, s, n, out);
}

/* One ISO duration number: [+-]digits[(.|,)digits]. *whole and the fraction
 * as a long double (0 when none); *hasfrac. */
static int parse_dnum(cur *c, int64_t *whole, long double *frac, int *hasfrac, int *fracdigits,
                      int64_t *fracval)
{
    int neg = 0;
    size_t k;
    if (!lit(c, '+'))
        neg = lit(c, '-');
    k = digits_ahead(c);
    if (k < 1)
        return 0;
    *whole = 0;
    for (size_t j = 0; j < k; j++)
        if (__builtin_mul_overflow(*whole, 10, whole) ||
            __builtin_add_overflow(*whole, c->s[c->i++] - '0', whole))
            return -1;
    *frac = 0;
    *hasfrac = 0;
    *fracdigits = 0;
    *fracval = 0;
    if (lit(c, '.') || lit(c, ',')) {
        long double scale = 1;
        k = digits_ahead(c);
        if (k < 1 || k > 18)
            return 0;
        *fracdigits = (int)k;
        for (size_t j = 0; j < k; j++) {
            int dgt = c->s[c->i++] - '0';
            scale /= 10;
            *frac += dgt * scale;
            if (j < 9)
                *fracval = *fracval * 10 + dgt;
        }
        for (size_t j = k; j < 9; j++)
            *fracval *= 10;
        *hasfrac = 1;
    }
    if (neg) {
        *whole = -*whole;
        *frac = -*frac;
        *fracval = -*fracval;
    }
    return 1;
}

static int parse_duration(cur *c, tg_temporal *out)
{
    /* parts in order Y M W D T H M S, each once */
    static const char units[] = "YMWDHMS";
    static const long double to_months[] = {12, 1, 0, 0, 0, 0, 0};
    static const long double to_days[] = {0, 0, 7, 1, 0, 0, 0};
    static const long double to_secs[] = {0, 0, 0, 0, 3600, 60, 1};
    int64_t im = 0, id = 0, is = 0, ins = 0;
    long double lm = 0, ld = 0, ls = 0;
    int approx = 0, any = 0, next = 0, intime = 0, sign = 1;
    if (lit(c, '-'))
        sign = -1;
    else
        lit(c, '+');
    if (!(lit(c, 'P') || lit(c, 'p')))
        return 0;
    /* the alternative form PYYYY-MM-DDThh:mm:ss[.f] */
    if (digits_ahead(c) == 4 && c->i + 4 < c->n && c->s[c->i + 4] == '-') {
        int64_t y, mo, d, h = 0, mi = 0, s = 0;
        int32_t f = 0;
        if (!digits(c, 4, &y) || !lit(c, '-') || !digits(c, 2, &mo) || !lit(c, '-') ||
            !digits(c, 2, &d))
            return 0;
        if (lit(c, 'T') && (!digits(c, 2, &h) || !lit(c, ':') || !digits(c, 2, &mi) ||
                            !lit(c, ':') || !digits(c, 2, &s) || !parse_fraction(c, &f)))
            return 0;
        if (!at_end(c))
            return 0;
        return tg_time_duration_exact(sign * (y * 12 + mo), sign * d,
                                      sign * (h * 3600 + mi * 60 + s), sign * (int64_t)f,
                                      out) == TG_OK;
    }
    while (!at_end(c)) {
        int64_t whole, fracval;
        long double frac;
        int hasfrac, fracdigits, u, r;
        if (!intime && (lit(c, 'T') || lit(c, 't'))) {
            intime = 1;
            next = 4;
            if (at_end(c))
                return 0;
            continue;
        }
        r = parse_dnum(c, &whole, &frac, &hasfrac, &fracdigits, &fracval);
        if (r <= 0)
            return r;
        if (at_end(c))
            return 0;
        for (u = next; u < 7; u++)
            if (c->s[c->i] == units[u] && (u >= 4) == intime)
                break;
        if (u == 7)
            return 0;
        c->i++;
        next = u + 1;
        any = 1;
        if (u == 6 && hasfrac && fracdigits <= 9) {
            /* seconds: exact to the nanosecond */
            if (__builtin_add_overflow(is, whole, &is))
                return -1;
            ins += fracval;
            ls += (long double)whole; /* for the approximation, if another part needs it */
            continue;
        }
        if (hasfrac)
            approx = 1;
        lm += ((long double)whole + frac) * to_months[u];
        ld += ((long double)whole + frac) * to_days[u];
        ls += ((long double)whole + frac) * to_secs[u];
        if (!approx) {
            int64_t p;
            if (__builtin_mul_overflow(whole, (int64_t)to_months[u], &p) ||
                __builtin_add_overflow(im, p, &im) ||
                __builtin_mul_overflow(whole, (int64_t)to_days[u], &p) ||
                __builtin_add_overflow(id, p, &id) ||
                __builtin_mul_overflow(whole, (int64_t)to_secs[u], &p) ||
                __builtin_add_overflow(is, p, &is))
                return -1;
        }
    }
    if (!any)
        return 0;
    if (approx) {
        if (tg_time_duration_approx(sign * lm, sign * ld, sign * ls, sign * (long double)ins,
                                    out) != TG_OK)
            return -1;
        return 1;
    }
    if (sign < 0 && (im == INT64_MIN || id == INT64_MIN || is == INT64_MIN))
        return -1;
    return tg_time_duration_exact(sign * im, sign * id, sign * is, sign * ins, out) == TG_OK ? 1
                                                                                             : -1;
}

static int is_local(int k)
{
    return k == TG_V_LOCALTIME || k == TG_V_LOCALDATETIME || k == TG_V_DATE;
}

tg_status tg_time_parse(const char *s, size_t n, int want, tg_temporal *out, tg_error *err)
{
    cur c = {s, n, 0};
    tg_temporal t;
    int has_t = 0, has_colon = 0, r;
    int32_t off = 0;
    uint32_t zone = 0;
    int got_off = 0, got_zone = 0;
    tg_status st = TG_OK;

    memset(&t, 0, sizeof t);
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        has_t |= s[i] == 'T' || s[i] == 't';
        has_colon |= s[i] == ':';
    }
    if (want == TG_V_DURATION ||
        (want == TG_V_NULL && n > 0 &&
         (s[0] == 'P' || s[0] == 'p' ||
          (n > 1 && (s[0] == '-' || s[0] == '+') && (s[1] == 'P' || s[1] == 'p'))))) {
        r = parse_duration(&c, &t);
        if (r < 0)
            return tg_error_set(err, TG_EARG, NULL, 0, 0,
                                "NumberOutOfRange: integer overflow in the duration '%.*s'",
                                (int)(n > 60 ? 60 : n), s);
        if (r == 0 || !at_end(&c))
            return bad(err, &c, "a duration (ISO 8601, like P1Y2M3DT4H5M6.5S)");
        *out = t;
        return TG_OK;
    }
    if (want == TG_V_LOCALTIME || want == TG_V_TIME || (want == TG_V_NULL && !has_t && has_colon)) {
        t.kind = TG_V_LOCALTIME;
        if (!parse_time(&c, &t.seconds, &t.nanos))
            return bad(err, &c, "a time (like 21:40:32.142, 214032 or 21:40+01:00)");
        r = parse_offset(&c, &off);
        if (r < 0 || !at_end(&c))
            return bad(err, &c, "a time (like 21:40:32.142, 214032 or 21:40+01:00)");
        got_off = r;
    } else {
        t.kind = TG_V_DATE;
        if (!parse_date(&c, &t.days) || !tg_time_days_in_range(t.days))
            return bad(err, &c,
                       want == TG_V_DATE
                           ? "a date (like 2015-07-21, 20150721, 2015-W30-2, 2015-202 or 2015)"
                           : "a date-time (like 2015-07-21T21:40:32.142+01:00)");
        if (lit(&c, 'T') || lit(&c, 't')) {
            t.kind = TG_V_LOCALDATETIME;
            if (!parse_time(&c, &t.seconds, &t.nanos))
                return bad(err, &c, "a date-time (like 2015-07-21T21:40:32.142+01:00)");
            r = parse_offset(&c, &off);
            if (r < 0)
                return bad(err, &c, "a date-time (its offset should read like +01:00 or Z)");
            got_off = r;
            r = parse_zone(&c, &zone, &st, err);
            if (r < 0)
                return st != TG_OK ? st
                                   : bad(err, &c,
                                         "a date-time (its zone should read like "
                                         "[Europe/Stockholm])");
            got_zone = r;
        }
        if (!at_end(&c))
            return bad(err, &c,
                       want == TG_V_DATE
                           ? "a date (like 2015-07-21, 20150721, 2015-W30-2, 2015-202 or 2015)"
                           : "a date-time (like 2015-07-21T21:40:32.142+01:00)");
    }
    /* what the text spells */
    if (got_off || got_zone) {
        t.kind = t.kind == TG_V_LOCALTIME ? TG_V_TIME : TG_V_DATETIME;
        t.offset = off;
    }
    if (want == TG_V_NULL)
        want = t.kind;
    /* into the kind asked for */
    if (tg_time_has_date(want) && !tg_time_has_date(t.kind))
        return bad(err, &c, "a date");
    if (want == TG_V_DATE && t.kind != TG_V_DATE)
        return bad(err, &c, "a date (it has a time)");
    if (tg_time_has_time(want) && !tg_time_has_date(want) && tg_time_has_date(t.kind))
        return bad(err, &c, "a time (it has a date)");
    if (want == TG_V_DATETIME) {
        if (got_zone && got_off) {
            t.kind = TG_V_DATETIME;
            t.offset = off;
            tg_time_to_zone(&t, zone, 0); /* the instant the offset spells, in the zone */
        } else if (got_zone) {
            t.zone = zone;
            t.kind = TG_V_DATETIME;
            tg_time_resolve_local(&t, INT32_MIN);
        } else
            t.offset = got_off ? off : 0; /* default zone: UTC */
    } else if (want == TG_V_TIME)
        t.offset = got_off ? off : 0;
    else if (is_local(want))
        t.offset = 0, t.zone = 0;
    t.kind = (uint8_t)want;
    *out = t;
    return TG_OK;
}

/* ---- text out ------------------------------------------------------------------- */

static size_t fmt_fraction(int32_t nanos, char *buf)
{
    char frac[16];
    int len;
    if (!nanos)
        return 0;
    len = snprintf(frac, sizeof frac, "%09d", (int)nanos);
    while (len > 0 && frac[len - 1] == '0')
        frac[--len] = 0;
    return (size_t)sprintf(buf, ".%s", frac);
}

/* Writes v (0 <= v < 10^width) in exactly width digits. */
static size_t put_digits(char *buf, int64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        buf[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return (size_t)width;
}

static size_t fmt_date(int64_t days, char *buf)
{
    int64_t y;
    int m, d;
    size_t n = 0;
    tg_time_civil_from_days(days, &y, &m, &d);
    if (y >= 0 && y <= 9999)
        n = put_digits(buf, y, 4);
    else if (y < 0 && y > -10000) {
        buf[n++] = '-';
        n += put_digits(buf + n, -y, 4);
    } else
        n = (size_t)sprintf(buf, "%+lld", (long long)y);
    buf[n++] = '-';
    n += put_digits(buf + n, m, 2);
    buf[n++] = '-';
    n += put_digits(buf + n, d, 2);
    buf[n] = 0;
    return n;
}

static size_t fmt_time(int64_t secs, int32_t nanos, char *buf)
{
    size_t n = put_digits(buf, secs / 3600, 2);
    buf[n++] = ':';
    n += put_digits(buf + n, secs / 60 % 60, 2);
    if (secs % 60 || nanos) {
        buf[n++] = ':';
        n += put_digits(buf + n, secs % 60, 2);
        n += fmt_fraction(nanos, buf + n);
    }
    buf[n] = 0;
    return n;
}

static size_t fmt_offset(int32_t off, char *buf)
{
    int a = off < 0 ? -off : off;
    if (off == 0)
        return (size_t)sprintf(buf, "Z");
    if (a % 60)
        return (size_t)sprintf(buf, "%c%02d:%02d:%02d", off < 0 ? '-' : '+', a / 3600, a / 60 % 60,
                               a % 60);
    return (size_t)sprintf(buf, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

static size_t fmt_duration(const tg_temporal *t, char *buf)
{
    size_t n = 0;
    int64_t s = t->seconds;
    int32_t ns = t->nanos;
    if (!t->months && !t->days && !s && !ns)
        return (size_t)sprintf(buf, "PT0S");
    buf[n++] = 'P';
    if (t->months / 12)
        n += (size_t)sprintf(buf + n, "%lldY", (long long)(t->months / 12));
    if (t->months % 12)
        n += (size_t)sprintf(buf + n, "%lldM", (long long)(t->months % 12));
    if (t->days)
        n += (size_t)sprintf(buf + n, "%lldD", (long long)t->days);
    if (s || ns) {
        /* seconds are floored: -0.4 s is (-1, 0.6e9); print it as -0.4 */
        if (s < 0 && ns) {
            s++;
            ns = (int32_t)(ns - NS);
        }
        buf[n++] = 'T';
        if (s / 3600)
            n += (size_t)sprintf(buf + n, "%lldH", (long long)(s / 3600));
        if (s / 60 % 60)
            n += (size_t)sprintf(buf + n, "%lldM", (long long)(s / 60 % 60));
        if (s % 60 || ns) {
            if (s % 60 == 0 && ns < 0)
                buf[n++] = '-';
            n += (size_t)sprintf(buf + n, "%lld", (long long)(s % 60));
            n += fmt_fraction(ns < 0 ? -ns : ns, buf + n);
            buf[n++] = 'S';
        }
    }
    buf[n] = 0;
    return n;
}

size_t tg_time_format(const tg_temporal *t, char *buf)
{
    size_t n = 0;
    if (t->kind == TG_V_DURATION)
        return fmt_duration(t, buf);
    if (tg_time_has_date(t->kind)) {
        n = fmt_date(t->days, buf);
        if (tg_time_has_time(t->kind))
            buf[n++] = 'T';
    }
    if (tg_time_has_time(t->kind))
        n += fmt_time(t->seconds, t->nanos, buf + n);
    if (tg_time_has_offset(t->kind))
        n += fmt_offset(t->offset, buf + n);
    if (t->kind == TG_V_DATETIME && t->zone) {
        const char *name = tg_tz_name(t->zone);
        n += (size_t)snprintf(buf + n, TG_TIME_TEXT_MAX - n, "[%s]", name);
    }
    buf[n] = 0;
    return n;
}

size_t tg_time_format_short(const tg_temporal *t, char *buf)
{
    if (t->kind == TG_V_DURATION) {
        /* the two largest parts */
        int64_t s = t->seconds + (t->seconds < 0 && t->nanos ? 1 : 0);
        int64_t parts[6] = {t->months / 12, t->months % 12, t->days, s / 3600, s / 60 % 60, s % 60};
        static const char *const units[6] = {"y", "m", "d", "h", "min", "s"};
        size_t n = 0;
        int shown = 0;
        for (int i = 0; i < 6 && shown < 2; i++) {
            if (!parts[i] && !(shown && i < 5))
                continue;
            if (!parts[i])
                break; /* 3y 0m 5d reads as 3y */
            n += (size_t)snprintf(buf + n, 32 - n, "%s%lld%s", shown ? " " : "",
                                  (long long)parts[i], units[i]);
            shown++;
        }
        if (!shown)
            n = (size_t)snprintf(buf, 32, t->nanos ? "<1s" : "0s");
        return n;
    }
    if (tg_time_has_date(t->kind)) {
        char full[TG_TIME_TEXT_MAX];
        size_t n = fmt_date(t->days, full);
        n -= 3; /* drop -DD */
        memcpy(buf, full, n);
        buf[n] = 0;
        return n;
    }
    return (size_t)sprintf(buf, "%02d:%02d", (int)(t->seconds / 3600), (int)(t->seconds / 60 % 60));
}

int tg_time_is_valid(const tg_temporal *t)
{
    int k = t->kind;
    if (!tg_time_is_kind(k) || t->nanos < 0 || t->nanos >= NS)
        return 0;
    if (k == TG_V_DURATION)
        return !t->offset && !t->zone;
    if (t->months)
        return 0;
    if (tg_time_has_date(k) ? !tg_time_days_in_range(t->days) : t->days != 0)
        return 0;
    if (tg_time_has_time(k) ? (t->seconds < 0 || t->seconds >= DAY) : (t->seconds || t->nanos))
        return 0;
    if (tg_time_has_offset(k) ? (t->offset < -TG_TIME_MAX_OFFSET || t->offset > TG_TIME_MAX_OFFSET)
                              : t->offset != 0)
        return 0;
    if (k != TG_V_DATETIME && t->zone)
        return 0;
    return 1;
}

/* ---- ordering -------------------------------------------------------------------- */

void tg_time_instant(const tg_temporal *t, int64_t *sec, int32_t *ns)
{
    int64_t s = t->seconds;
    if (tg_time_has_date(t->kind))
        s += t->days * DAY;
    if (tg_time_has_offset(t->kind))
        s -= t->offset;
    *sec = s;
    *ns = t->nanos;
}

#define CMP(a, b)                                                                                  \
    do {                                                                                           \
        if ((a) != (b))                                                                            \
            return (a) < (b) ? -1 : 1;                                                             \
    } while (0)

int tg_time_cmp(const tg_temporal *a, const tg_temporal *b)
{
    int64_t s1, s2;
    int32_t n1, n2;
    CMP(a->kind, b->kind);
    if (a->kind == TG_V_DURATION) {
        CMP(a->months, b->months);
        CMP(a->days, b->days);
        CMP(a->seconds, b->seconds);
        CMP(a->nanos, b->nanos);
        return 0;
    }
    tg_time_instant(a, &s1, &n1);
    tg_time_instant(b, &s2, &n2);
    CMP(s1, s2);
    CMP(n1, n2);
    CMP(a->days, b->days); /* the same instant: by local time */
    CMP(a->seconds, b->seconds);
    if (a->zone != b->zone) {
        int c;
        if (!a->zone || !b->zone)
            return a->zone ? 1 : -1; /* a bare offset before a named zone */
        c = strcmp(tg_tz_name(a->zone), tg_tz_name(b->zone));
        return c < 0 ? -1 : c > 0;
    }
    return 0;
}

uint64_t tg_time_hash(const tg_temporal *t)
{
    int64_t parts[5];
    uint64_t h = 0x7e3779b97f4a7c15ull * (uint64_t)(t->kind + 1);
    if (t->kind == TG_V_DURATION) {
        parts[0] = t->months;
        parts[1] = t->days;
        parts[2] = t->seconds;
        parts[3] = t->nanos;
        parts[4] = 0;
    } else {
        int32_t ns;
        tg_time_instant(t, &parts[0], &ns);
        parts[1] = ns;
        parts[2] = t->offset;
        parts[3] = t->zone;
        parts[4] = 0;
    }
    for (int i = 0; i < 5; i++)
        h = tg_hash_u64(h ^ (uint64_t)parts[i]);
    return h;
}

/* ---- zones ------------------------------------------------------------------------ */

static void set_local(tg_temporal *t, int64_t local)
{
    t->days = floor_div(local, DAY);
    t->seconds = floor_mod(local, DAY);
}

void tg_time_resolve_local(tg_temporal *t, int32_t prefer)
{
    int64_t local;
    if (t->kind != TG_V_DATETIME || !t->zone)
        return;
    local = t->days * DAY + t->seconds;
    t->offset = tg_tz_offset_for_local(t->zone, &local, prefer);
    set_local(t, local);
}

void tg_time_to_zone(tg_temporal *t, uint32_t zone, int32_t offset)
{
    int64_t inst = t->days * DAY + t->seconds - t->offset;
    int32_t off = zone ? tg_tz_offset_at(zone, inst, t->offset) : offset;
    t->zone = zone;
    t->offset = off;
    set_local(t, inst + off);
}

/* ---- stored values ------------------------------------------------------------------ */

static const tg_pval *pool_items(const tg_graph *g, const tg_pval *v)
{
    const tg_pval *it;
    if (v->len != 4 || v->elem != TG_V_INT || (uint64_t)v->u.list + 4 > g->list_pool.n)
        return NULL;
    it = (const tg_pval *)g->list_pool.a + v->u.list;
    for (int i = 0; i < 4; i++)
        if (it[i].type != TG_V_INT)
            return NULL;
    return it;
}

tg_status tg_graph_make_temporal(tg_graph *g, const tg_temporal *t, tg_pval *out, tg_error *err)
{
    tg_pval items[4];
    tg_status st;
    memset(out, 0, sizeof *out);
    if (!tg_time_is_valid(t))
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "an invalid %s value",
                            tg_time_kind_name(t->kind));
    out->type = t->kind;
    switch (t->kind) {
    case TG_V_DATE: out->u.i = t->days; return TG_OK;
    case TG_V_LOCALTIME: out->u.i = t->seconds * NS + t->nanos; return TG_OK;
    case TG_V_TIME:
        out->u.i = t->seconds * NS + t->nanos;
        out->len = (uint32_t)t->offset;
        return TG_OK;
    case TG_V_LOCALDATETIME:
        out->u.i = t->days * DAY + t->seconds;
        out->len = (uint32_t)t->nanos;
        return TG_OK;
    default: break;
    }
    memset(items, 0, sizeof items);
    for (int i = 0; i < 4; i++)
        items[i].type = TG_V_INT;
    if (t->kind == TG_V_DATETIME) {
        const char *name = t->zone ? tg_tz_name(t->zone) : "";
        tg_time_instant(t, &items[0].u.i, &(int32_t){0});
        items[1].u.i = t->nanos;
        items[2].u.i = t->offset;
        if (*name) {
            tg_sym sym = tg_graph_intern(g, name, strlen(name));
            if (!sym)
                return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            items[3].u.i = sym;
        }
    } else {
        items[0].u.i = t->months;
        items[1].u.i = t->days;
        items[2].u.i = t->seconds;
        items[3].u.i = t->nanos;
    }
    st = tg_graph_make_list(g, items, 4, out, err);
    if (st == TG_OK)
        out->type = t->kind;
    return st;
}

int tg_graph_temporal(const tg_graph *g, const tg_pval *v, tg_temporal *out)
{
    const tg_pval *it;
    memset(out, 0, sizeof *out);
    out->kind = v->type;
    switch (v->type) {
    case TG_V_DATE: out->days = v->u.i; break;
    case TG_V_LOCALTIME:
    case TG_V_TIME:
        if (v->u.i < 0 || v->u.i >= DAY * NS)
            return 0;
        out->seconds = v->u.i / NS;
        out->nanos = (int32_t)(v->u.i % NS);
        if (v->type == TG_V_TIME)
            out->offset = (int32_t)v->len;
        break;
    case TG_V_LOCALDATETIME:
        set_local(out, v->u.i);
        out->nanos = (int32_t)v->len;
        break;
    case TG_V_DATETIME:
        if (!(it = pool_items(g, v)))
            return 0;
        if (it[1].u.i < 0 || it[1].u.i >= NS || it[2].u.i < -TG_TIME_MAX_OFFSET ||
            it[2].u.i > TG_TIME_MAX_OFFSET || it[0].u.i > INT64_MAX / 2 ||
            it[0].u.i < INT64_MIN / 2)
            return 0;
        out->offset = (int32_t)it[2].u.i;
        out->nanos = (int32_t)it[1].u.i;
        set_local(out, it[0].u.i + out->offset);
        if (it[3].u.i) {
            size_t len;
            const char *name;
            if (it[3].u.i < 0 || (uint64_t)it[3].u.i >= g->str_ptr.n)
                return 0;
            name = tg_graph_str(g, (tg_sym)it[3].u.i, &len);
            if (tg_tz_intern(name, len, &out->zone, NULL) != TG_OK)
                out->zone = 0; /* keep the stored offset */
        }
        break;
    case TG_V_DURATION:
        if (!(it = pool_items(g, v)))
            return 0;
        out->months = it[0].u.i;
        out->days = it[1].u.i;
        out->seconds = it[2].u.i;
        if (it[3].u.i < 0 || it[3].u.i >= NS)
            return 0;
        out->nanos = (int32_t)it[3].u.i;
        break;
    default: return 0;
    }
    return tg_time_is_valid(out);
}

int tg_i_temporal_check(const tg_graph *g, const tg_pval *v)
{
    tg_temporal t;
    return tg_graph_temporal(g, v, &t);
}

int tg_i_temporal_pooled(uint8_t type)
{
    return type == TG_V_DATETIME || type == TG_V_DURATION;
}
