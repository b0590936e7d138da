/* temporal.h — dates, times, date-times and durations as engine values.
 *
 * The six openCypher temporal types (date, localtime, time, localdatetime,
 * datetime, duration) share one plain struct, tg_temporal. This header is the
 * part every layer needs: the proleptic Gregorian calendar and ISO weeks,
 * ISO 8601 text in (every form the openCypher TCK uses) and out, time zones
 * from the system's IANA database, the total order, and how a temporal is
 * stored as a graph property (tg_graph_make_temporal / tg_graph_temporal).
 * The query language's semantics (maps, truncation, arithmetic, durations
 * between instants) live in queries/temporal.c on top of it; the loaders call
 * tg_time_parse for typed columns and tg_time_format to write values back.
 *
 * Representation (a value, no heap):
 * - date:          days            (days since 1970-01-01)
 * - localtime:     seconds, nanos  (second of the day 0..86399, 0..999999999)
 * - time:          seconds, nanos, offset (seconds east of UTC; local time)
 * - localdatetime: days, seconds, nanos
 * - datetime:      days, seconds, nanos (local wall time), offset, zone (a
 *                  named zone from tg_tz_find, or 0 for a bare offset); the
 *                  instant is days * 86400 + seconds - offset
 * - duration:      months, days, seconds, nanos, kept apart (a month has no
 *                  fixed length); seconds are floored so nanos is always
 *                  0..999999999 (-0.5 s is seconds -1, nanos 500000000)
 * Unused fields are zero, so two equal values are equal byte for byte.
 * Years run from -999999999 to 999999999.
 *
 * Ownership: nothing here allocates on the caller's behalf; the zone registry
 * (tz.c) is a process-wide, append-only cache of the read-only system
 * database, protected by a mutex (see tg_tz_find).
 */
#ifndef TG_TEMPORAL_H
#define TG_TEMPORAL_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"
#include "tg_error.h"

typedef struct tg_temporal {
    int64_t months;
    int64_t days;
    int64_t seconds;
    int32_t nanos;
    int32_t offset;
    uint32_t zone;
    uint8_t kind; /* TG_V_DATE .. TG_V_DURATION */
} tg_temporal;

#define TG_TIME_MIN_YEAR (-999999999LL)
#define TG_TIME_MAX_YEAR 999999999LL
#define TG_TIME_NS 1000000000LL
#define TG_TIME_MAX_OFFSET (18 * 3600) /* offsets run from -18:00 to +18:00 */

/* Bytes tg_time_format may write, the NUL included. */
#define TG_TIME_TEXT_MAX 112

/* Whether a vtype is one of the six temporal types. */
static inline int tg_time_is_kind(int vtype)
{
    return vtype >= TG_V_DATE && vtype <= TG_V_DURATION;
}
/* Which parts a kind has. */
static inline int tg_time_has_date(int k)
{
    return k == TG_V_DATE || k == TG_V_LOCALDATETIME || k == TG_V_DATETIME;
}
static inline int tg_time_has_time(int k)
{
    return k == TG_V_LOCALTIME || k == TG_V_TIME || k == TG_V_LOCALDATETIME || k == TG_V_DATETIME;
}
static inline int tg_time_has_offset(int k)
{
    return k == TG_V_TIME || k == TG_V_DATETIME;
}

/* The openCypher name of a kind: "Date", "LocalTime", ..., "Duration". */
const char *tg_time_kind_name(int kind);
/* Its lower-case name, which is also its function (date(...)), its typed value
 * tag ({"date": ...}) and its CSV column type (:date): "date", "localtime",
 * "time", "localdatetime", "datetime", "duration"; NULL for another vtype. */
const char *tg_time_kind_tag(int kind);

/* ---- calendar (proleptic Gregorian; Howard Hinnant's algorithms) ---------- */

int tg_time_is_leap(int64_t year);
int tg_time_days_in_month(int64_t year, int month);
/* Days since 1970-01-01 of a civil date (month 1..12, day 1..31; not checked). */
int64_t tg_time_days_from_civil(int64_t year, int month, int day);
void tg_time_civil_from_days(int64_t days, int64_t *year, int *month, int *day);
/* ISO day of the week: 1 Monday .. 7 Sunday. */
int tg_time_weekday(int64_t days);
/* ISO 8601 week-based year and week (1..53) of a day. */
void tg_time_iso_week(int64_t days, int64_t *week_year, int *week);
/* The day of (week-based year, week, weekday 1..7). */
int64_t tg_time_days_from_week(int64_t week_year, int week, int weekday);
/* How many ISO weeks (52 or 53) a week-based year has. */
int tg_time_weeks_in_year(int64_t week_year);
/* Whether a day number lies in the supported years. */
int tg_time_days_in_range(int64_t days);

/* ---- ISO 8601 text -------------------------------------------------------- */

/* Reads text s[0..n) as kind want (TG_V_DATE .. TG_V_DURATION), or, when want
 * is TG_V_NULL, as whatever it spells (a date, a time with or without offset,
 * a local or zoned date-time, or a duration). Accepted forms, as openCypher:
 * dates 2015-07-21, 20150721, 2015-07, 201507, 2015-W30-2, 2015W302, 2015-W30,
 * 2015-202, 2015202, 2015, +999999999-12-31; times 21:40:32.142, 214032.142,
 * 21:40, 2140, 21 (fractions to the nanosecond, '.' or ','); offsets Z,
 * +01, +0100, +01:00, +02:05:59; zones [Europe/Stockholm]; date-times DATE'T'TIME;
 * durations P1Y2M3W4DT5H6M7.5S (signed and fractional parts) and
 * P2012-02-02T14:37:21.545. A time without offset read as time, or a
 * date-time without zone read as datetime, gets UTC. Reading an offset kind as
 * a local kind drops the offset.
 * Errors: TG_EINVAL with a message naming the text and what was expected;
 * TG_ENOMEM when a zone's rules cannot be loaded for lack of memory.
 * O(n), plus reading a zone's file the first time it is named. */
tg_status tg_time_parse(const char *s, size_t n, int want, tg_temporal *out, tg_error *err);

/* Reads a time zone as openCypher's {timezone: ...} gives it: an offset (Z,
 * +01, +0100, +01:00, -02:05:59; *zone = 0) or a zone name (*zone, *offset =
 * 0). Errors: TG_EINVAL (neither), TG_ENOMEM. */
tg_status tg_time_parse_zone(const char *s, size_t n, uint32_t *zone, int32_t *offset,
                             tg_error *err);

/* An offset as text: Z, +01:00, -02:05:59 (16 bytes are enough); the length. */
size_t tg_time_format_offset(int32_t offset, char *buf);

/* Writes t's ISO 8601 text into buf (TG_TIME_TEXT_MAX bytes), NUL-terminated,
 * and returns its length: 1984-10-11, 12:31:14.645876123, 12:31+01:00,
 * 1984-10-11T12:31:14.645+01:00[Europe/Stockholm], P12Y5M14DT16H13M10S, PT0S.
 * Seconds are left out when they and the fraction are zero; the fraction
 * has no trailing zeros. tg_time_parse reads every output back to an equal value. */
size_t tg_time_format(const tg_temporal *t, char *buf);

/* A short form for labels (diagram edges), at most 31 bytes + NUL into buf
 * (32 bytes): dates and date-times to the month (2018-03), times to the
 * minute (12:31), durations by their two largest parts (3y 2m, 5d 4h, 30s). */
size_t tg_time_format_short(const tg_temporal *t, char *buf);

/* A duration from whole parts: nanos carries into seconds (floored).
 * TG_EARG when the seconds overflow. */
tg_status tg_time_duration_exact(int64_t months, int64_t days, int64_t seconds, int64_t nanos,
                                 tg_temporal *out);

/* A duration from fractional parts, as openCypher approximates them: a
 * fraction of a month counts 2629746 s (the average Gregorian month), a
 * fraction of a day 86400 s; those fractions become days and seconds, each
 * part truncated toward zero. TG_EARG when a part leaves the 64-bit range. */
tg_status tg_time_duration_approx(long double months, long double days, long double seconds,
                                  long double nanos, tg_temporal *out);

/* Checks that every field of t is in range for its kind (and unused fields are
 * zero). 1 when valid. */
int tg_time_is_valid(const tg_temporal *t);

/* ---- ordering ------------------------------------------------------------- */

/* The instant of an offset kind (time: the UTC nanosecond of the day, may
 * leave 0..86399; datetime: seconds since the epoch), or of a local kind read
 * as UTC: *sec and *ns (0..999999999). Not for durations. */
void tg_time_instant(const tg_temporal *t, int64_t *sec, int32_t *ns);

/* A total order within one kind: instants by instant, then by local time,
 * then by zone name; durations by months, days, seconds, nanos. Two values
 * compare 0 exactly when they are equal (openCypher: the same instant in the
 * same zone; a duration's parts). Different kinds order by kind. */
int tg_time_cmp(const tg_temporal *a, const tg_temporal *b);

/* A hash consistent with tg_time_cmp == 0. */
uint64_t tg_time_hash(const tg_temporal *t);

/* ---- time zones (tz.c) ---------------------------------------------------- */

/* The id (1, 2, ...) of the named IANA zone (Europe/Stockholm, UTC, ...),
 * reading its rules from the system database the first time (TZif files
 * under $TZDIR, default /usr/share/zoneinfo; Debian's tzdata). Names are
 * case-sensitive and checked before any file is opened (letters, digits,
 * '_', '-', '+', '/', no "..", at most 64 bytes). Thread-safe.
 * Errors: TG_EINVAL (not a zone: the message names it), TG_ENOMEM. */
tg_status tg_tz_find(const char *name, size_t n, uint32_t *zone, tg_error *err);

/* Like tg_tz_find, but a name without rules on this machine (a store written
 * where the database had a zone this one lacks) is still registered: its
 * offsets are then the ones stored with each value. */
tg_status tg_tz_intern(const char *name, size_t n, uint32_t *zone, tg_error *err);

/* The name of zone id (borrowed, valid for the life of the process), "" for 0
 * or an unknown id. */
const char *tg_tz_name(uint32_t zone);

/* The offset (seconds east of UTC) in effect in zone at the instant
 * utc_seconds. A zone without rules answers fallback. O(log transitions). */
int32_t tg_tz_offset_at(uint32_t zone, int64_t utc_seconds, int32_t fallback);

/* The offset of the local wall time *local_seconds (seconds since the epoch,
 * read as local) in zone, as java.time resolves it: in an overlap (clocks
 * turned back) the earlier offset unless prefer is the later one; in a gap
 * (clocks turned forward) the local time moves forward by the gap's length
 * (*local_seconds is updated) and the later offset applies. */
int32_t tg_tz_offset_for_local(uint32_t zone, int64_t *local_seconds, int32_t prefer);

/* ---- instants and zones --------------------------------------------------- */

/* Sets t's offset for its local time in zone (t->zone, or the bare offset
 * when 0), moving the local time forward out of a gap. prefer: the offset to
 * keep in an overlap. Only for datetime. */
void tg_time_resolve_local(tg_temporal *t, int32_t prefer);

/* Makes datetime t show the same instant in zone (or at the bare offset
 * when zone is 0). */
void tg_time_to_zone(tg_temporal *t, uint32_t zone, int32_t offset);

/* ---- stored values -------------------------------------------------------- */

/* Makes *out the stored form of temporal t (checked with tg_time_is_valid).
 * Dates, times and local date-times fit in the tg_pval itself; a datetime
 * ([UTC seconds, nanos, offset, zone name symbol]) and a duration ([months,
 * days, seconds, nanos]) are four integers in the graph's list pool, shared
 * like lists; a zone's name is interned in g. Errors: TG_EINVAL (invalid t),
 * TG_ENOMEM. */
tg_status tg_graph_make_temporal(tg_graph *g, const tg_temporal *t, tg_pval *out, tg_error *err);

/* Reads stored temporal v into *out; returns 1, or 0 when v is not a
 * temporal (or is damaged). A named zone whose rules this machine lacks keeps
 * its stored offset (tg_tz_intern); so does one whose registration fails for
 * lack of memory (the value then shows its offset without the zone's name). */
int tg_graph_temporal(const tg_graph *g, const tg_pval *v, tg_temporal *out);

#endif
