/* tz.c — named time zones from the system's IANA database (engine/temporal.h).
 *
 * A zone's rules come from its TZif file (RFC 8536) under $TZDIR, by default
 * /usr/share/zoneinfo (Debian's tzdata): the transitions as 64-bit instants
 * with the offset after each, and the POSIX TZ string of the footer for the
 * instants after the last transition (so "slim" files and dates past 2037
 * are right). The C library's localtime/setenv("TZ") is not used: it is
 * process-global state, and this library must not touch it.
 *
 * The registry is a process-wide, append-only table: a zone is read once and
 * never freed (it is reachable from the table until exit), and its id is its
 * position + 1, so ids are stable for the life of the process and a value can
 * carry one in 32 bits. A mutex guards lookups and additions; a published
 * zone is immutable, so reading its rules needs no lock.
 */
#include "temporal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ZONES 4096
#define MAX_NAME 64
#define HASH_SLOTS 8192 /* power of two, > 2 * MAX_ZONES */

/* One rule of a POSIX TZ string: Jn, n or Mm.w.d, and a time of day. */
typedef struct tz_when {
    char form; /* 'J', 'D' (zero-based day) or 'M' */
    int month, week, wday, day;
    int32_t secs; /* local time of the change, may be negative or > 24 h */
} tz_when;

typedef struct tz_posix {
    int ok;
    int32_t std_off, dst_off; /* seconds east of UTC */
    int has_dst;
    tz_when start, end;
} tz_posix;

typedef struct tz_zone {
    char name[MAX_NAME + 1];
    int has_rules;
    int64_t *trans; /* transition instants, ascending */
    int32_t *after; /* offset from each transition on */
    size_t ntrans;
    int32_t first;  /* offset before the first transition */
    tz_posix posix; /* after the last transition (if ok) */
} tz_zone;

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static tz_zone *zones[MAX_ZONES];
static size_t nzones;
static uint16_t slots[HASH_SLOTS]; /* zone id, 0 = empty */

/* ---- POSIX TZ strings -------------------------------------------------------- */

typedef struct pcur {
    const char *s;
    size_t i, n;
} pcur;

static int p_num(pcur *c, int *out)
{
    int v = 0, k = 0;
    while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9' && k < 5) {
        v = v * 10 + (c->s[c->i++] - '0');
        k++;
    }
    *out = v;
    return k > 0;
}

/* [+-]hh[:mm[:ss]] in seconds */
static int p_hms(pcur *c, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (c->i < c->n && (c->s[c->i] == '+' || c->s[c->i] == '-'))
        sign = c->s[c->i++] == '-' ? -1 : 1;
    if (!p_num(c, &h) || h > 167)
        return 0;
    if (c->i < c->n && c->s[c->i] == ':') {
        c->i++;
        if (!p_num(c, &m) || m > 59)
            return 0;
        if (c->i < c->n && c->s[c->i] == ':') {
            c->i++;
            if (!p_num(c, &s) || s > 59)
                return 0;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return 1;
}

static int p_name(pcur *c)
{
    size_t start = c->i;
    if (c->i < c->n && c->s[c->i] == '<') {
        while (c->i < c->n && c->s[c->i] != '>')
            c->i++;
        if (c->i >= c->n)
            return 0;
        c->i++;
        return 1;
    }
    while (c->i < c->n &&
           ((c->s[c->i] >= 'A' && c->s[c->i] <= 'Z') || (c->s[c->i] >= 'a' && c->s[c->i] <= 'z')))
        c->i++;
    return c->i - start >= 3;
}

static int p_when(pcur *c, tz_when *w)
{
    memset(w, 0, sizeof *w);
    w->secs = 7200; /* 02:00 by default */
    if (c->i < c->n && c->s[c->i] == 'M') {
        c->i++;
        w->form = 'M';
        if (!p_num(c, &w->month) || c->i >= c->n || c->s[c->i++] != '.' || !p_num(c, &w->week) ||
            c->i >= c->n || c->s[c->i++] != '.' || !p_num(c, &w->wday))
            return 0;
        if (w->month < 1 || w->month > 12 || w->week < 1 || w->week > 5 || w->wday > 6)
            return 0;
    } else if (c->i < c->n && c->s[c->i] == 'J') {
        c->i++;
        w->form = 'J';
        if (!p_num(c, &w->day) || w->day < 1 || w->day > 365)
            return 0;
    } else {
        w->form = 'D';
        if (!p_num(c, &w->day) || w->day > 365)
            return 0;
    }
    if (c->i < c->n && c->s[c->i] == '/') {
        c->i++;
        if (!p_hms(c, &w->secs))
            return 0;
    }
    return 1;
}

static void parse_posix(const char *s, size_t n, tz_posix *p)
{
    pcur c = {s, 0, n};
    int32_t v;
    memset(p, 0, sizeof *p);
    if (!p_name(&c) || !p_hms(&c, &v))
        return;
    p->std_off = -v; /* POSIX counts west of Greenwich */
    if (c.i == c.n) {
        p->ok = 1;
        return;
    }
    if (!p_name(&c))
        return;
    p->has_dst = 1;
    p->dst_off = p->std_off + 3600;
    if (c.i < c.n && c.s[c.i] != ',') {
        if (!p_hms(&c, &v))
            return;
        p->dst_off = -v;
    }
    if (c.i == c.n) { /* no rule: the US rules of 2007 */
        p->start = (tz_when){'M', 3, 2, 0, 0, 7200};
        p->end = (tz_when){'M', 11, 1, 0, 0, 7200};
        p->ok = 1;
        return;
    }
    if (c.s[c.i++] != ',' || !p_when(&c, &p->start) || c.i >= c.n || c.s[c.i++] != ',' ||
        !p_when(&c, &p->end) || c.i != c.n)
        return;
    p->ok = 1;
}

/* Seconds since the epoch, in local time, of rule w in year y. */
static int64_t when_local(const tz_when *w, int64_t y)
{
    int64_t d;
    if (w->form == 'M') {
        int64_t first = tg_time_days_from_civil(y, w->month, 1);
        int wd0 = tg_time_weekday(first) % 7; /* 0 = Sunday */
        int64_t day = 1 + (w->wday - wd0 + 7) % 7 + (int64_t)(w->week - 1) * 7;
        if (day > tg_time_days_in_month(y, w->month))
            day -= 7;
        d = first + day - 1;
    } else if (w->form == 'J') {
        d = tg_time_days_from_civil(y, 1, 1) + w->day - 1;
        if (tg_time_is_leap(y) && w->day > 59)
            d++;
    } else
        d = tg_time_days_from_civil(y, 1, 1) + w->day;
    return d * 86400 + w->secs;
}

static int32_t posix_offset_at(const tz_posix *p, int64_t t)
{
    int64_t y, start, end;
    int m, d;
    if (!p->has_dst)
        return p->std_off;
    tg_time_civil_from_days((t + p->std_off) / 86400 - ((t + p->std_off) % 86400 < 0), &y, &m, &d);
    start = when_local(&p->start, y) - p->std_off;
    end = when_local(&p->end, y) - p->dst_off;
    if (start < end)
        return (t >= start && t < end) ? p->dst_off : p->std_off;
    return (t >= end && t < start) ? p->std_off : p->dst_off;
}

/* ---- TZif ------------------------------------------------------------------------ */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Reads a TZif image into z. 0 on success, -1 malformed, -2 out of memory. */
static int read_tzif(const unsigned char *b, size_t n, tz_zone *z)
{
    uint32_t cnt[6];
    size_t off = 0, v1, tsize = 4, i;
    int version;
    if (n < 44 || memcmp(b, "TZif", 4) != 0)
        return -1;
    version = b[4];
    for (i = 0; i < 6; i++)
        cnt[i] = be32(b + 20 + 4 * i);
    /* isutcnt isstdcnt leapcnt timecnt typecnt charcnt */
    v1 = (size_t)cnt[3] * 5 + (size_t)cnt[4] * 6 + cnt[5] + (size_t)cnt[2] * 8 + cnt[1] + cnt[0];
    off = 44;
    if (version >= '2') {
        if (off + v1 + 44 > n || memcmp(b + off + v1, "TZif", 4) != 0)
            return -1;
        off += v1;
        for (i = 0; i < 6; i++)
            cnt[i] = be32(b + off + 20 + 4 * i);
        off += 44;
        tsize = 8;
    }
    {
        size_t timecnt = cnt[3], typecnt = cnt[4];
        size_t need =
            timecnt * (tsize + 1) + typecnt * 6 + cnt[5] + cnt[2] * (tsize + 4) + cnt[1] + cnt[0];
        const unsigned char *tp = b + off, *ip = tp + timecnt * tsize, *ty = ip + timecnt;
        int32_t *types;
        if (typecnt == 0 || typecnt > 256 || timecnt > 100000 || off + need > n)
            return -1;
        types = malloc(typecnt * sizeof *types);
        z->trans = malloc((timecnt ? timecnt : 1) * sizeof *z->trans);
        z->after = malloc((timecnt ? timecnt : 1) * sizeof *z->after);
        if (!types || !z->trans || !z->after) {
            free(types);
            return -2;
        }
        for (i = 0; i < typecnt; i++) {
            types[i] = (int32_t)be32(ty + 6 * i);
            if (types[i] < -TG_TIME_MAX_OFFSET - 3600 || types[i] > TG_TIME_MAX_OFFSET + 3600) {
                free(types);
                return -1;
            }
        }
        for (i = 0; i < timecnt; i++) {
            z->trans[i] = tsize == 8 ? be64(tp + 8 * i) : (int32_t)be32(tp + 4 * i);
            if (ip[i] >= typecnt || (i && z->trans[i] <= z->trans[i - 1])) {
                free(types);
                return -1;
            }
            z->after[i] = types[ip[i]];
        }
        z->ntrans = timecnt;
        z->first = types[0];
        free(types);
        off += need;
        /* the footer: \nTZ-string\n */
        if (version >= '2' && off < n && b[off] == '\n') {
            size_t start = off + 1, end = start;
            while (end < n && b[end] != '\n')
                end++;
            if (end < n)
                parse_posix((const char *)b + start, end - start, &z->posix);
        }
    }
    z->has_rules = 1;
    return 0;
}

static int name_ok(const char *s, size_t n)
{
    if (n == 0 || n > MAX_NAME || s[0] == '/' || s[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-' || ch == '+' || ch == '/' || ch == '.'))
            return 0;
        if (ch == '.' && (i == 0 || s[i - 1] == '/' || (i + 1 < n && s[i + 1] == '.')))
            return 0; /* no "..", no hidden files */
        if (ch == '/' && i + 1 < n && s[i + 1] == '/')
            return 0;
    }
    return s[n - 1] != '/';
}

/* Loads name's rules into z: 0, -1 (no such zone), -2 (out of memory). */
static int load_zone(tz_zone *z)
{
    const char *dir = getenv("TZDIR");
    char path[512];
    FILE *f;
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;
    int r = -1;
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, z->name) >= sizeof path)
        return -1;
    f = fopen(path, "rb");
    if (!f)
        return -1;
    for (;;) {
        size_t got;
        if (n == cap) {
            unsigned char *nb;
            if (cap >= (1u << 20)) /* no zone file is a megabyte */
                goto done;
            cap = cap ? cap * 2 : 4096;
            nb = realloc(buf, cap);
            if (!nb) {
                r = -2;
                goto done;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    r = read_tzif(buf, n, z);
done:
    fclose(f);
    free(buf);
    return r;
}

static uint32_t name_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static tz_zone *zone_of(uint32_t id)
{
    if (id == 0 || id > MAX_ZONES)
        return NULL;
    return __atomic_load_n(&zones[id - 1], __ATOMIC_ACQUIRE);
}

static tg_status lookup(const char *name, size_t n, int need_rules, uint32_t *out, tg_error *err)
{
    tg_status st = TG_OK;
    uint32_t h;
    size_t slot;
    tz_zone *z = NULL;
    int r;
    *out = 0;
    if (!name_ok(name, n))
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "'%.*s' is not a time zone",
                            (int)(n > MAX_NAME ? MAX_NAME : n), name);
    h = name_hash(name, n);
    pthread_mutex_lock(&reg_lock);
    for (slot = h & (HASH_SLOTS - 1); slots[slot]; slot = (slot + 1) & (HASH_SLOTS - 1)) {
        tz_zone *c = zones[slots[slot] - 1];
        if (strlen(c->name) == n && memcmp(c->name, name, n) == 0) {
            if (need_rules && !c->has_rules) {
                st = tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                                  "'%.*s' is not a time zone of this system's database", (int)n,
                                  name);
                goto done;
            }
            *out = slots[slot];
            goto done;
        }
    }
    if (nzones >= MAX_ZONES) {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0, "too many time zones");
        goto done;
    }
    z = calloc(1, sizeof *z);
    if (!z) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory reading a time zone");
        goto done;
    }
    memcpy(z->name, name, n);
    r = load_zone(z);
    if (r == -2) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory reading a time zone");
        goto done;
    }
    if (r != 0) {
        free(z->trans);
        free(z->after);
        z->trans = NULL;
        z->after = NULL;
        z->ntrans = 0;
        z->has_rules = 0;
        if (need_rules) {
            st = tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                              "'%.*s' is not a time zone (none of that name in the system's "
                              "time zone database)",
                              (int)n, name);
            goto done;
        }
    }
    __atomic_store_n(&zones[nzones], z, __ATOMIC_RELEASE);
    nzones++;
    slots[slot] = (uint16_t)nzones;
    *out = (uint32_t)nzones;
    z = NULL;
done:
    pthread_mutex_unlock(&reg_lock);
    if (z) {
        free(z->trans);
        free(z->after);
        free(z);
    }
    return st;
}

tg_status tg_tz_find(const char *name, size_t n, uint32_t *zone, tg_error *err)
{
    return lookup(name, n, 1, zone, err);
}

tg_status tg_tz_intern(const char *name, size_t n, uint32_t *zone, tg_error *err)
{
    return lookup(name, n, 0, zone, err);
}

const char *tg_tz_name(uint32_t id)
{
    tz_zone *z = zone_of(id);
    return z ? z->name : "";
}

int32_t tg_tz_offset_at(uint32_t id, int64_t t, int32_t fallback)
{
    tz_zone *z = zone_of(id);
    size_t lo, hi;
    if (!z || !z->has_rules)
        return fallback;
    if (z->ntrans == 0 || t < z->trans[0]) {
        if (z->ntrans == 0 && z->posix.ok)
            return posix_offset_at(&z->posix, t);
        return z->first;
    }
    if (t >= z->trans[z->ntrans - 1] && z->posix.ok)
        return posix_offset_at(&z->posix, t);
    lo = 0;
    hi = z->ntrans; /* the last transition <= t */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->trans[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return z->after[lo];
}

int32_t tg_tz_offset_for_local(uint32_t id, int64_t *local, int32_t prefer)
{
    /* The offsets in force a day either side bound the candidates: a zone
       changes offset at most once in two days in the whole database. */
    int32_t before = tg_tz_offset_at(id, *local - 86400, prefer);
    int32_t after = tg_tz_offset_at(id, *local + 86400, prefer);
    int ok_before = tg_tz_offset_at(id, *local - before, prefer) == before;
    int ok_after = tg_tz_offset_at(id, *local - after, prefer) == after;
    if (ok_before && ok_after && before != after)
        return prefer == after ? after : before; /* overlap: the earlier offset */
    if (ok_before)
        return before;
    if (ok_after)
        return after;
    /* a gap: move forward by its length */
    *local += after - before;
    return after;
}
