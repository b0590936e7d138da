/* json_loader.c — the tiegraph/1 reader: JSON documents and JSON Lines.
 *
 * Reading: json_parse.c parses one record (a document's array element or a
 * JSON Lines line) at a time into an arena that is reset before the next,
 * so memory does not grow with the file. A document's top-level object is
 * walked here by hand: "sources" and "entities" are processed as they come,
 * "relations" as they come when "entities" came before them; otherwise (and
 * when "format" is not the first key) an array is first only checked for
 * syntax and processed at the end, in the order sources, entities,
 * relations.
 *
 * This file only checks values and turns each record into an importer
 * record (importer.h), which applies the merge rules: duplicate ids,
 * relations waiting for an entity defined later, identity of relations.
 * Positions: in a document a record part's position is its byte offset
 * (turned into line:column by locate_offset, only for an error); in JSON
 * Lines it is TG_IPOS(line, column).
 */
#include "json_loader.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "input.h"
#include "json_internal.h"
#include "temporal.h"
#include "text.h"

enum { ST_SOURCES, ST_ENTITIES, ST_RELATIONS, ST_COUNT };

static const char *const stage_key[ST_COUNT] = {"sources", "entities", "relations"};
static const char *const stage_item[ST_COUNT] = {"source", "entity", "relation"};

typedef struct loader {
    tg_importer *imp;
    tg_graph *g;
    tg_error *err;
    const char *name;
    int jsonl;
    long line; /* JSON Lines: number of the line being read */
    size_t records;
    tg_jparser p;
    /* per-record scratch */
    tg_iprop *props;
    size_t nprops, capprops;
    tg_sym *labels;
    size_t caplabels;
    tg_sym *srcs;
    size_t capsrcs;
    tg_source_field *fields;
    size_t nfields, capfields;
    const tg_read_progress *progress; /* NULL: nobody is watching */
    uint64_t total;                   /* the file's size, for progress and truncation */
} loader;

/* ---- small helpers ------------------------------------------------------- */

static int key_is(const tg_jmember *m, const char *k)
{
    size_t n = strlen(k);
    return m->klen == n && memcmp(m->key, k, n) == 0;
}

/* Line and 1-based byte column of offset off in a document's text. */
static void locate_offset(void *ctx, tg_ipos pos, long *line, long *col)
{
    const loader *L = ctx;
    const char *p = L->p.text, *end = L->p.text + pos, *nl;
    long ln = 1;

    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        ln++;
        p = nl + 1;
    }
    *line = ln;
    *col = (long)(end - p) + 1;
}

/* The position of offset off in the current text. */
static tg_ipos here(const loader *L, size_t off)
{
    return L->jsonl ? TG_IPOS(L->line, off + 1) : (tg_ipos)off;
}

static tg_status fail(loader *L, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static tg_status fail(loader *L, size_t off, const char *fmt, ...)
{
    char msg[TG_ERROR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tg_importer_fail(L->imp, TG_EDATA, here(L, off), "%s", msg);
}

static tg_status oom(loader *L)
{
    return tg_error_set(L->err, TG_ENOMEM, L->name, 0, 0,
                        "out of memory while loading a tiegraph/1 file");
}

/* Turns the parser's last error into ours. */
static tg_status parse_failed(loader *L)
{
    if (L->p.status == TG_ENOMEM)
        return oom(L);
    return fail(L, L->p.err_off, "%s", L->p.err_msg);
}

static long pos_line(const loader *L, size_t off)
{
    long line, col;

    if (L->jsonl)
        return L->line;
    locate_offset((void *)L, (tg_ipos)off, &line, &col);
    return line;
}

static const char *vtype_plural(int t)
{
    switch (t) {
    case TG_V_BOOL: return "booleans";
    case TG_V_INT: return "integers";
    case TG_V_FLOAT: return "floats";
    case TG_V_STRING: return "strings";
    case TG_V_DATE: return "dates";
    case TG_V_LOCALTIME: return "local times";
    case TG_V_TIME: return "times";
    case TG_V_LOCALDATETIME: return "local date-times";
    case TG_V_DATETIME: return "date-times";
    case TG_V_DURATION: return "durations";
    default: return "values";
    }
}

/* A string value: present, a string, not empty. */
static int is_name(const tg_jval *v)
{
    return v && v->kind == TG_J_STRING && v->u.s.len > 0;
}

/* "is a number" / "is empty" for messages about a value that should have
 * been a non-empty string. */
static const char *what_is(const tg_jval *v)
{
    if (v->kind == TG_J_STRING)
        return "an empty string";
    return tg_i_json_kind_name(v->kind);
}

/* Interns s[0..len). The engine names the empty string by symbol 0
 * (tg_graph_str(0) is ""), so "" needs no interning. */
static tg_status intern(loader *L, const char *s, size_t len, tg_sym *out)
{
    *out = len ? tg_graph_intern(L->g, s, len) : 0;
    return len && !*out ? oom(L) : TG_OK;
}

/* ---- reading record fields ------------------------------------------------ */

/* A typed value: an object with one key naming the type, {"float": "NaN"}.
 * JSON has no number for NaN and the infinities, so tiegraph/1 writes them
 * this way; nor a date, so the temporal types are {"date": "2018-03-01"},
 * {"localtime": ...}, {"time": ...}, {"localdatetime": ...}, {"datetime":
 * ...} and {"duration": "P3Y2M"} with ISO 8601 text. Returns 1 and sets
 * *out for a typed value, 0 when obj is not one (the caller reports an
 * object property), -1 after reporting an error. */
static int typed_value(loader *L, const tg_jval *obj, tg_pval *out, tg_status *st)
{
    const tg_jmember *m;
    double d;
    int k;

    if (obj->n != 1)
        return 0;
    m = &obj->u.members[0];
    for (k = TG_V_DATE; k <= TG_V_DURATION; k++)
        if (key_is(m, tg_time_kind_tag(k)))
            break;
    if (k <= TG_V_DURATION) {
        /* {"date": "2018-03-01"}: ISO 8601 text of a temporal type */
        tg_temporal t;
        tg_error e;
        tg_status ts;
        if (m->v.kind != TG_J_STRING) {
            *st = fail(L, m->v.off, "typed value {\"%s\": ...} holds %s; expected a string",
                       tg_time_kind_tag(k), tg_i_json_kind_name(m->v.kind));
            return -1;
        }
        ts = tg_time_parse(m->v.u.s.p, m->v.u.s.len, k, &t, &e);
        if (ts == TG_OK)
            ts = tg_graph_make_temporal(L->g, &t, out, &e);
        if (ts == TG_ENOMEM) {
            *st = oom(L);
            return -1;
        }
        if (ts != TG_OK) {
            *st =
                fail(L, m->v.off, "typed value {\"%s\": ...}: %s", tg_time_kind_tag(k), e.message);
            return -1;
        }
        return 1;
    }
    if (!key_is(m, "float"))
        return 0;
    if (m->v.kind == TG_J_STRING && m->v.u.s.len == 3 && memcmp(m->v.u.s.p, "NaN", 3) == 0)
        d = NAN;
    else if (m->v.kind == TG_J_STRING && m->v.u.s.len == 8 &&
             memcmp(m->v.u.s.p, "Infinity", 8) == 0)
        d = INFINITY;
    else if (m->v.kind == TG_J_STRING && m->v.u.s.len == 9 &&
             memcmp(m->v.u.s.p, "-Infinity", 9) == 0)
        d = -INFINITY;
    else if (m->v.kind == TG_J_INT || m->v.kind == TG_J_FLOAT)
        d = m->v.kind == TG_J_INT ? (double)m->v.u.i : m->v.u.f;
    else {
        *st = fail(L, m->v.off,
                   "typed value {\"float\": ...} holds %s; expected a number or \"NaN\", "
                   "\"Infinity\" or \"-Infinity\"",
                   tg_i_json_kind_name(m->v.kind));
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->type = TG_V_FLOAT;
    out->u.f = d;
    return 1;
}

/* Converts member m into a property in L->props; null is skipped. */
static tg_status add_prop(loader *L, const tg_jmember *m)
{
    const tg_jval *v = &m->v;
    char q[96];
    tg_iprop *p;
    uint32_t i;

    if (v->kind == TG_J_NULL)
        return TG_OK;
    if (tg_i_grow((void **)&L->props, &L->capprops, L->nprops + 1, sizeof *L->props) != 0)
        return oom(L);
    p = &L->props[L->nprops];
    memset(p, 0, sizeof *p);
    p->pos = here(L, m->off);
    if (m->klen == 0)
        return fail(L, m->off, "property key is empty; expected a non-empty name");
    p->key = tg_graph_intern(L->g, m->key, m->klen);
    if (!p->key)
        return oom(L);
    switch (v->kind) {
    case TG_J_FALSE:
    case TG_J_TRUE:
        p->v.type = TG_V_BOOL;
        p->v.u.b = v->kind == TG_J_TRUE;
        break;
    case TG_J_INT:
        p->v.type = TG_V_INT;
        p->v.u.i = v->u.i;
        break;
    case TG_J_FLOAT:
        p->v.type = TG_V_FLOAT;
        p->v.u.f = v->u.f;
        break;
    case TG_J_STRING:
        p->v.type = TG_V_STRING;
        if (intern(L, v->u.s.p, v->u.s.len, &p->v.u.s) != TG_OK)
            return TG_ENOMEM;
        break;
    case TG_J_OBJECT: {
        tg_status st = TG_OK;
        int t = typed_value(L, v, &p->v, &st);
        if (t < 0)
            return st;
        if (t > 0)
            break;
        return fail(L, v->off,
                    "property %s is an object; expected a string, number, boolean or a list "
                    "of one type",
                    tg_i_quote(q, sizeof q, m->key, m->klen));
    }
    case TG_J_ARRAY: {
        tg_pval *items = tg_i_json_alloc(&L->p, (v->n ? v->n : 1) * sizeof *items);
        int elem = TG_V_NULL;
        if (!items)
            return oom(L);
        for (i = 0; i < v->n; i++) {
            const tg_jval *it = &v->u.items[i];
            int t;
            memset(&items[i], 0, sizeof items[i]);
            switch (it->kind) {
            case TG_J_FALSE:
            case TG_J_TRUE:
                t = TG_V_BOOL;
                items[i].u.b = it->kind == TG_J_TRUE;
                break;
            case TG_J_INT:
                t = TG_V_INT;
                items[i].u.i = it->u.i;
                break;
            case TG_J_FLOAT:
                t = TG_V_FLOAT;
                items[i].u.f = it->u.f;
                break;
            case TG_J_STRING:
                t = TG_V_STRING;
                if (intern(L, it->u.s.p, it->u.s.len, &items[i].u.s) != TG_OK)
                    return TG_ENOMEM;
                break;
            case TG_J_NULL:
                return fail(L, it->off,
                            "property %s has null in its list; expected a list of strings, "
                            "numbers or booleans without nulls",
                            tg_i_quote(q, sizeof q, m->key, m->klen));
            case TG_J_ARRAY:
                return fail(L, it->off,
                            "property %s holds a nested list; expected a list of strings, "
                            "numbers or booleans",
                            tg_i_quote(q, sizeof q, m->key, m->klen));
            default: {
                tg_status st = TG_OK;
                int ty = typed_value(L, it, &items[i], &st);
                if (ty < 0)
                    return st;
                if (ty > 0) {
                    t = items[i].type;
                    break;
                }
            }
                return fail(L, it->off,
                            "property %s holds an object in its list; expected a list of "
                            "strings, numbers or booleans",
                            tg_i_quote(q, sizeof q, m->key, m->klen));
            }
            items[i].type = (uint8_t)t;
            if (elem == TG_V_NULL)
                elem = t;
            else if (t != elem)
                return fail(L, it->off,
                            "property %s is a mixed list (%s and %s); expected a list of one "
                            "type",
                            tg_i_quote(q, sizeof q, m->key, m->klen), vtype_plural(elem),
                            vtype_plural(t));
        }
        p->v.type = TG_V_LIST;
        p->v.elem = (uint8_t)elem;
        p->v.len = v->n;
        p->items = items;
        break;
    }
    default: break;
    }
    L->nprops++;
    return TG_OK;
}

/* Reads "sources" (an array of non-empty strings; null = none) into
 * L->srcs; *n receives how many. */
static tg_status read_sources(loader *L, const tg_jval *v, size_t *n)
{
    uint32_t i;

    *n = 0;
    if (!v || v->kind == TG_J_NULL)
        return TG_OK;
    if (v->kind != TG_J_ARRAY)
        return fail(L, v->off, "\"sources\" is %s; expected an array of source id strings",
                    tg_i_json_kind_name(v->kind));
    if (tg_i_grow((void **)&L->srcs, &L->capsrcs, v->n + 1, sizeof *L->srcs) != 0)
        return oom(L);
    for (i = 0; i < v->n; i++) {
        const tg_jval *it = &v->u.items[i];
        if (!is_name(it))
            return fail(L, it->off,
                        "source reference is %s; expected a non-empty string (a source id, "
                        "optionally with a #fragment)",
                        what_is(it));
        L->srcs[i] = tg_graph_intern(L->g, it->u.s.p, it->u.s.len);
        if (!L->srcs[i])
            return oom(L);
    }
    *n = v->n;
    return TG_OK;
}

static tg_status dup_key(loader *L, const tg_jmember *m)
{
    char q[96];
    return fail(L, m->off, "duplicate key %s in the object",
                tg_i_quote(q, sizeof q, m->key, m->klen));
}


/* ---- records ---------------------------------------------------------------- */

static tg_status do_source(loader *L, const tg_jval *obj)
{
    const tg_jval *idv = NULL;
    tg_isource rec;
    uint32_t i;
    char q[96];

    L->nfields = 0;
    for (i = 0; i < obj->n; i++) {
        const tg_jmember *m = &obj->u.members[i];
        tg_source_field *f;
        size_t k;
        if (key_is(m, "id")) {
            if (idv)
                return dup_key(L, m);
            idv = &m->v;
            continue;
        }
        if (m->v.kind == TG_J_NULL)
            continue;
        if (m->v.kind != TG_J_STRING)
            return fail(L, m->v.off, "source field %s is %s; expected a string",
                        tg_i_quote(q, sizeof q, m->key, m->klen),
                        tg_i_json_kind_name(m->v.kind));
        if (tg_i_grow((void **)&L->fields, &L->capfields, L->nfields + 1, sizeof *L->fields) != 0)
            return oom(L);
        f = &L->fields[L->nfields];
        if (m->klen == 0)
            return fail(L, m->off, "source field name is empty; expected a non-empty name");
        if (intern(L, m->key, m->klen, &f->key) != TG_OK ||
            intern(L, m->v.u.s.p, m->v.u.s.len, &f->value) != TG_OK)
            return TG_ENOMEM;
        for (k = 0; k < L->nfields; k++)
            if (L->fields[k].key == f->key)
                return dup_key(L, m);
        L->nfields++;
    }
    if (!idv || idv->kind == TG_J_NULL)
        return fail(L, obj->off, "source has no \"id\"; expected a non-empty string");
    if (!is_name(idv))
        return fail(L, idv->off, "source \"id\" is %s; expected a non-empty string",
                    what_is(idv));
    memset(&rec, 0, sizeof rec);
    rec.id = idv->u.s.p;
    rec.id_len = idv->u.s.len;
    rec.fields = L->fields;
    rec.nfields = L->nfields;
    rec.pos = here(L, obj->off);
    return tg_importer_source(L->imp, &rec);
}

static tg_status do_entity(loader *L, const tg_jval *obj)
{
    const tg_jval *idv = NULL, *labv = NULL, *srcv = NULL;
    tg_ientity rec;
    size_t nsrc;
    uint32_t i;
    tg_status st;

    L->nprops = 0;
    for (i = 0; i < obj->n; i++) {
        const tg_jmember *m = &obj->u.members[i];
        const tg_jval **slot = key_is(m, "id")       ? &idv
                               : key_is(m, "labels")  ? &labv
                               : key_is(m, "sources") ? &srcv
                                                      : NULL;
        if (!slot) {
            if ((st = add_prop(L, m)) != TG_OK)
                return st;
            continue;
        }
        if (*slot)
            return dup_key(L, m);
        *slot = &m->v;
    }
    if (!idv || idv->kind == TG_J_NULL)
        return fail(L, obj->off, "entity has no \"id\"; expected a non-empty string");
    if (!is_name(idv))
        return fail(L, idv->off, "entity \"id\" is %s; expected a non-empty string",
                    what_is(idv));
    if (!labv || labv->kind == TG_J_NULL)
        return fail(L, obj->off,
                    "entity has no \"labels\"; expected a non-empty array of label strings");
    if (labv->kind != TG_J_ARRAY || labv->n == 0)
        return fail(L, labv->off,
                    "entity \"labels\" is %s; expected a non-empty array of label strings",
                    labv->kind == TG_J_ARRAY ? "empty" : tg_i_json_kind_name(labv->kind));
    if (tg_i_grow((void **)&L->labels, &L->caplabels, labv->n, sizeof *L->labels) != 0)
        return oom(L);
    for (i = 0; i < labv->n; i++) {
        const tg_jval *it = &labv->u.items[i];
        if (!is_name(it))
            return fail(L, it->off, "label is %s; expected a non-empty string", what_is(it));
        L->labels[i] = tg_graph_intern(L->g, it->u.s.p, it->u.s.len);
        if (!L->labels[i])
            return oom(L);
    }
    if ((st = read_sources(L, srcv, &nsrc)) != TG_OK)
        return st;
    memset(&rec, 0, sizeof rec);
    rec.id = idv->u.s.p;
    rec.id_len = idv->u.s.len;
    rec.id_pos = here(L, idv->off);
    rec.labels = L->labels;
    rec.nlabels = labv->n;
    rec.props = L->props;
    rec.nprops = L->nprops;
    rec.sources = L->srcs;
    rec.nsources = nsrc;
    rec.pos = here(L, obj->off);
    return tg_importer_entity(L->imp, &rec);
}

static tg_status do_relation(loader *L, const tg_jval *obj)
{
    const tg_jval *typev = NULL, *fromv = NULL, *tov = NULL, *idv = NULL, *srcv = NULL;
    tg_irelation rec;
    size_t nsrc;
    uint32_t i;
    tg_status st;

    L->nprops = 0;
    for (i = 0; i < obj->n; i++) {
        const tg_jmember *m = &obj->u.members[i];
        const tg_jval **slot = key_is(m, "type")      ? &typev
                               : key_is(m, "from")    ? &fromv
                               : key_is(m, "to")      ? &tov
                               : key_is(m, "id")      ? &idv
                               : key_is(m, "sources") ? &srcv
                                                      : NULL;
        if (!slot) {
            if ((st = add_prop(L, m)) != TG_OK)
                return st;
            continue;
        }
        if (*slot)
            return dup_key(L, m);
        *slot = &m->v;
    }
    if (!typev || typev->kind == TG_J_NULL)
        return fail(L, obj->off,
                    "relation has no \"type\"; expected a non-empty string such as \"OWNS\"");
    if (!is_name(typev))
        return fail(L, typev->off, "relation \"type\" is %s; expected a non-empty string",
                    what_is(typev));
    if (!fromv || fromv->kind == TG_J_NULL)
        return fail(L, obj->off, "relation has no \"from\"; expected the id of an entity");
    if (!is_name(fromv))
        return fail(L, fromv->off, "relation \"from\" is %s; expected the id of an entity",
                    what_is(fromv));
    if (!tov || tov->kind == TG_J_NULL)
        return fail(L, obj->off, "relation has no \"to\"; expected the id of an entity");
    if (!is_name(tov))
        return fail(L, tov->off, "relation \"to\" is %s; expected the id of an entity",
                    what_is(tov));
    if (idv && idv->kind == TG_J_NULL)
        idv = NULL;
    if (idv && !is_name(idv))
        return fail(L, idv->off, "relation \"id\" is %s; expected a non-empty string",
                    what_is(idv));
    if ((st = read_sources(L, srcv, &nsrc)) != TG_OK)
        return st;
    memset(&rec, 0, sizeof rec);
    rec.type = tg_graph_intern(L->g, typev->u.s.p, typev->u.s.len);
    if (!rec.type)
        return oom(L);
    rec.from = fromv->u.s.p;
    rec.from_len = fromv->u.s.len;
    rec.from_pos = here(L, fromv->off);
    rec.to = tov->u.s.p;
    rec.to_len = tov->u.s.len;
    rec.to_pos = here(L, tov->off);
    if (idv) {
        rec.id = idv->u.s.p;
        rec.id_len = idv->u.s.len;
        rec.id_pos = here(L, idv->off);
    }
    rec.props = L->props;
    rec.nprops = L->nprops;
    rec.sources = L->srcs;
    rec.nsources = nsrc;
    rec.pos = here(L, obj->off);
    return tg_importer_relation(L->imp, &rec);
}

static tg_status do_record(loader *L, int stage, const tg_jval *v)
{
    if (v->kind != TG_J_OBJECT)
        return fail(L, v->off, "%s is %s; expected an object", stage_item[stage],
                    tg_i_json_kind_name(v->kind));
    switch (stage) {
    case ST_SOURCES: return do_source(L, v);
    case ST_ENTITIES: return do_entity(L, v);
    default: return do_relation(L, v);
    }
}

/* ---- documents ------------------------------------------------------------ */

static tg_status unexpected(loader *L, const char *expected)
{
    unsigned char c = (unsigned char)L->p.text[L->p.pos];
    if (c > 0x20 && c < 0x7F)
        return fail(L, L->p.pos, "expected %s, found '%c'", expected, c);
    return fail(L, L->p.pos, "expected %s, found byte 0x%02x", expected, c);
}

static tg_status eof(loader *L)
{
    tg_i_json_eof(&L->p);
    return parse_failed(L);
}

/* Walks the array at p->pos (its '['); with process, applies each element. */
static tg_status walk_array(loader *L, int stage, int process)
{
    tg_jparser *p = &L->p;
    tg_jval v;
    tg_status st;

    p->pos++;
    if (tg_i_json_skip_ws(p) >= p->len)
        return eof(L);
    if (p->text[p->pos] == ']') {
        p->pos++;
        return TG_OK;
    }
    for (;;) {
        tg_i_json_clear(p);
        if (tg_i_json_value(p, &v) != 0)
            return parse_failed(L);
        if (process && (st = do_record(L, stage, &v)) != TG_OK)
            return st;
        if (tg_i_json_skip_ws(p) >= p->len)
            return eof(L);
        if (p->text[p->pos] == ']') {
            p->pos++;
            return TG_OK;
        }
        if (p->text[p->pos] != ',')
            return unexpected(L, "',' or ']' after an array element");
        p->pos++;
        if (tg_i_json_skip_ws(p) >= p->len)
            return eof(L);
        if (p->text[p->pos] == ']')
            return fail(L, p->pos, "expected a value after ','; a trailing comma is not JSON");
    }
}

static size_t skip_bom(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static tg_status load_document(loader *L, const char *text, size_t len)
{
    tg_jparser *p = &L->p;
    size_t span[ST_COUNT], key_off[ST_COUNT + 1], top;
    int seen[ST_COUNT + 1] = {0}, done[ST_COUNT] = {0}, format_ok = 0, s;
    tg_jval v;
    tg_status st;
    char q[96];

    L->jsonl = 0;
    tg_i_json_reset(p, text, len, 0);
    p->pos = skip_bom(text, len);
    if (tg_i_json_skip_ws(p) >= len)
        return fail(L, 0, "empty file: expected a tiegraph/1 JSON document");
    top = p->pos;
    if (text[top] != '{') {
        if (tg_i_json_value(p, &v) != 0)
            return parse_failed(L);
        return fail(L, top,
                    "the document is %s; expected a JSON object with \"format\": "
                    "\"tiegraph/1\" at the top level",
                    tg_i_json_kind_name(v.kind));
    }
    p->pos++;
    if (tg_i_json_skip_ws(p) >= len)
        return eof(L);
    if (text[p->pos] == '}') {
        p->pos++;
    } else {
        for (;;) {
            const char *k;
            size_t klen, koff = p->pos;
            int which;
            if (text[p->pos] != '"')
                return unexpected(L, "a string key in the top-level object");
            if (tg_i_json_string(p, &k, &klen) != 0)
                return parse_failed(L);
            if (tg_i_json_skip_ws(p) >= len)
                return eof(L);
            if (text[p->pos] != ':')
                return unexpected(L, "':' after the object key");
            p->pos++;
            if (tg_i_json_skip_ws(p) >= len)
                return eof(L);
            for (which = 0; which < ST_COUNT; which++)
                if (klen == strlen(stage_key[which]) && memcmp(k, stage_key[which], klen) == 0)
                    break;
            if (which == ST_COUNT && !(klen == 6 && memcmp(k, "format", 6) == 0)) {
                int record = 0;
                for (s = 0; s < ST_COUNT; s++)
                    record |= klen == strlen(stage_item[s]) && memcmp(k, stage_item[s], klen) == 0;
                return fail(L, koff,
                            "unknown top-level key %s; expected \"format\", \"sources\", "
                            "\"entities\" or \"relations\"%s",
                            tg_i_quote(q, sizeof q, k, klen),
                            record ? " (JSON Lines records need a .jsonl file name)" : "");
            }
            if (seen[which])
                return fail(L, koff, "duplicate top-level key %s (first at line %ld)",
                            tg_i_quote(q, sizeof q, k, klen), pos_line(L, key_off[which]));
            seen[which] = 1;
            key_off[which] = koff;
            if (which == ST_COUNT) {
                tg_i_json_clear(p);
                if (tg_i_json_value(p, &v) != 0)
                    return parse_failed(L);
                if (v.kind != TG_J_STRING)
                    return fail(L, v.off,
                                "\"format\" is %s; expected \"format\": \"tiegraph/1\" at the "
                                "top level",
                                tg_i_json_kind_name(v.kind));
                if (v.u.s.len != 10 || memcmp(v.u.s.p, "tiegraph/1", 10) != 0)
                    return fail(L, v.off,
                                "\"format\" is %s; expected \"format\": \"tiegraph/1\" at the "
                                "top level",
                                tg_i_quote(q, sizeof q, v.u.s.p, v.u.s.len));
                format_ok = 1;
            } else if (text[p->pos] != '[') {
                tg_i_json_clear(p);
                if (tg_i_json_value(p, &v) != 0)
                    return parse_failed(L);
                return fail(L, v.off, "\"%s\" is %s; expected an array of %s objects",
                            stage_key[which], tg_i_json_kind_name(v.kind), stage_item[which]);
            } else {
                int now = format_ok && (which != ST_RELATIONS || done[ST_ENTITIES]);
                span[which] = p->pos;
                if ((st = walk_array(L, which, now)) != TG_OK)
                    return st;
                done[which] = now;
            }
            if (tg_i_json_skip_ws(p) >= len)
                return eof(L);
            if (text[p->pos] == '}') {
                p->pos++;
                break;
            }
            if (text[p->pos] != ',')
                return unexpected(L, "',' or '}' after a top-level member");
            p->pos++;
            if (tg_i_json_skip_ws(p) >= len)
                return eof(L);
        }
    }
    if (tg_i_json_skip_ws(p) < len)
        return fail(L, p->pos, "trailing characters after the JSON document");
    if (!format_ok)
        return fail(L, top, "expected \"format\": \"tiegraph/1\" at the top level");
    for (s = 0; s < ST_COUNT; s++) {
        if (!seen[s] || done[s])
            continue;
        p->pos = span[s];
        if ((st = walk_array(L, s, 1)) != TG_OK)
            return st;
    }
    return TG_OK;
}

/* ---- JSON Lines ------------------------------------------------------------ */

/* Reads one line (without its '\n'). */
static tg_status jsonl_line(loader *L, const char *line, size_t len)
{
    tg_jparser *p = &L->p;
    const tg_jmember *m;
    tg_jval v;
    int stage;
    char q[96];

    tg_i_json_reset(p, line, len, 1);
    if (L->line == 1)
        p->pos = skip_bom(line, len);
    if (tg_i_json_skip_ws(p) >= len)
        return TG_OK; /* blank line */
    L->records++;
    if (line[p->pos] != '{')
        return fail(L, p->pos,
                    "line is not a JSON object; expected {\"source\": {...}}, "
                    "{\"entity\": {...}} or {\"relation\": {...}}");
    if (tg_i_json_value(p, &v) != 0)
        return parse_failed(L);
    if (tg_i_json_skip_ws(p) < len)
        return fail(L, p->pos,
                    "trailing characters after the JSON object; JSON Lines hold one object a "
                    "line");
    if (v.n != 1)
        return fail(L, v.n ? v.u.members[1].off : v.off,
                    "a JSON Lines record has exactly one key, \"source\", \"entity\" or "
                    "\"relation\"; this one has %u",
                    v.n);
    m = &v.u.members[0];
    for (stage = 0; stage < ST_COUNT; stage++)
        if (key_is(m, stage_item[stage]))
            break;
    if (stage == ST_COUNT)
        return fail(L, m->off, "unknown record %s; expected \"source\", \"entity\" or \"relation\"",
                    tg_i_quote(q, sizeof q, m->key, m->klen));
    if (m->v.kind != TG_J_OBJECT)
        return fail(L, m->v.off, "\"%s\" is %s; expected an object", stage_item[stage],
                    tg_i_json_kind_name(m->v.kind));
    return do_record(L, stage, &m->v);
}

/* After the last line: the empty-file check. */
static tg_status jsonl_finish(loader *L)
{
    if (L->records == 0) {
        L->line = 1;
        tg_i_json_reset(&L->p, "", 0, 1);
        return fail(L, 0,
                    "empty file: expected JSON Lines records such as {\"entity\": {...}}, one "
                    "a line");
    }
    return TG_OK;
}

static tg_status load_jsonl_buffer(loader *L, const char *data, size_t len)
{
    size_t at = 0;
    tg_status st;

    L->jsonl = 1;
    while (at < len) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - data) : len;
        L->line++;
        if ((st = jsonl_line(L, data + at, end - at)) != TG_OK)
            return st;
        at = end + 1;
    }
    return jsonl_finish(L);
}

static tg_status jsonl_line_cb(void *ctx, const char *line, size_t len)
{
    return jsonl_line(ctx, line, len);
}

static tg_status load_jsonl_input(loader *L, tg_input *in)
{
    tg_status st;

    L->jsonl = 1;
    st = tg_i_input_each_line(in, jsonl_line_cb, L, &L->line, L->progress, L->total, L->err);
    return st != TG_OK ? st : jsonl_finish(L);
}

/* ---- entry points ----------------------------------------------------------- */

static void loader_init(loader *L, tg_importer *imp, tg_error *err)
{
    memset(L, 0, sizeof *L);
    L->imp = imp;
    L->g = tg_importer_graph(imp);
    L->err = err;
    L->name = tg_importer_file(imp);
    tg_i_json_init(&L->p);
}

static void loader_destroy(loader *L)
{
    tg_i_json_destroy(&L->p);
    free(L->props);
    free(L->labels);
    free(L->srcs);
    free(L->fields);
}

int tg_json_looks_like_document(const char *d, size_t n)
{
    size_t i = skip_bom(d, n);

    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
        i++;
    if (i >= n)
        return 1; /* empty: report it as an empty document */
    if (d[i] != '{')
        return 0;
    i++;
    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
        i++;
    return i + 8 <= n && memcmp(d + i, "\"format\"", 8) == 0;
}

/* 1 JSON Lines, 0 document, -1 decide from the content. */
static int mode_from_name(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    char ext[8];
    size_t i;

    if (!dot || (slash && slash > dot) || strlen(dot) >= sizeof ext)
        return -1;
    for (i = 0; dot[i]; i++)
        ext[i] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ? dot[i] - 'A' + 'a' : dot[i]);
    ext[i] = '\0';
    if (strcmp(ext, ".jsonl") == 0 || strcmp(ext, ".ndjson") == 0)
        return 1;
    if (strcmp(ext, ".json") == 0)
        return 0;
    return -1;
}

/* Begins the file in the importer with this reader's positions. */
static void begin(loader *L, tg_importer *imp, const char *name, int jsonl, tg_error *err)
{
    tg_import_file_options fo;

    memset(&fo, 0, sizeof fo);
    if (!jsonl) {
        fo.locate = locate_offset;
        fo.locate_ctx = L;
    }
    tg_importer_begin(imp, name, &fo, err);
    loader_init(L, imp, err);
    L->jsonl = jsonl;
}

tg_status tg_json_read(tg_importer *imp, const char *path, int jsonl, const tg_read_options *o,
                       tg_load_counts *counts, tg_error *err)
{
    loader L;
    tg_input in;
    char *data = NULL;
    size_t len = 0;
    int mode;
    tg_status st;

    memset(&L, 0, sizeof L);
    tg_i_json_init(&L.p);
    if (counts)
        memset(counts, 0, sizeof *counts);
    if ((st = tg_i_input_open(&in, path, o ? o->max_record : 0, err)) != TG_OK)
        goto done;
    mode = jsonl < 0 ? mode_from_name(path) : jsonl != 0;
    if (mode < 0) {
        const char *head;
        size_t n = tg_i_input_peek(&in, &head, (size_t)64 * 1024, err);
        if (err && err->status != TG_OK) {
            st = err->status;
            goto done;
        }
        mode = tg_json_looks_like_document(head, n) ? 0 : 1;
    }
    tg_i_json_destroy(&L.p);
    begin(&L, imp, path, mode, err);
    L.progress = o ? o->progress : NULL;
    L.total = in.size;
    if (mode == 1) {
        st = load_jsonl_input(&L, &in);
    } else {
        if ((st = tg_i_input_all(&in, &data, &len, err)) != TG_OK)
            goto done;
        st = load_document(&L, data, len);
    }
    if (st == TG_OK)
        st = tg_i_input_finish(&in, err);
    if (st == TG_OK)
        st = tg_importer_end(imp, counts);
done:
    tg_i_input_close(&in);
    free(data);
    loader_destroy(&L);
    return st;
}

tg_status tg_json_read_buffer(tg_importer *imp, const char *name, const char *data, size_t len,
                              int jsonl, tg_load_counts *counts, tg_error *err)
{
    loader L;
    tg_status st;

    if (jsonl < 0)
        jsonl = !tg_json_looks_like_document(data, len);
    begin(&L, imp, name, jsonl, err);
    st = jsonl ? load_jsonl_buffer(&L, data, len) : load_document(&L, data, len);
    if (st == TG_OK)
        st = tg_importer_end(imp, counts);
    loader_destroy(&L);
    return st;
}

tg_status tg_json_load_file_as(tg_graph *g, const char *path, int jsonl, tg_load_counts *counts,
                               tg_error *err)
{
    tg_importer *imp = NULL;
    tg_status st = tg_importer_new(g, &imp, err);

    if (st == TG_OK)
        st = tg_json_read(imp, path, jsonl, NULL, counts, err);
    tg_importer_free(imp);
    return st;
}

tg_status tg_json_load_file_counts(tg_graph *g, const char *path, tg_load_counts *counts,
                                   tg_error *err)
{
    return tg_json_load_file_as(g, path, -1, counts, err);
}

tg_status tg_json_load_file(tg_graph *g, const char *path, tg_error *err)
{
    return tg_json_load_file_counts(g, path, NULL, err);
}

tg_status tg_json_load_buffer(tg_graph *g, const char *name, const char *data, size_t len,
                              int jsonl, tg_error *err)
{
    tg_importer *imp = NULL;
    tg_status st = tg_importer_new(g, &imp, err);

    if (st == TG_OK)
        st = tg_json_read_buffer(imp, name, data, len, jsonl, NULL, err);
    tg_importer_free(imp);
    return st;
}

/* ---- the format table's entries (readers.h) ------------------------------- */

int tg_i_sniff_json_document(const char *head, size_t n)
{
    return n > 0 && tg_json_looks_like_document(head, n) ? 90 : 0;
}

/* A first non-blank line that starts with {"source", {"entity" or
 * {"relation". */
int tg_i_sniff_jsonl(const char *head, size_t n)
{
    size_t i = 0, k;
    static const char *const keys[] = {"\"source\"", "\"entity\"", "\"relation\""};

    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    if (i >= n || head[i] != '{')
        return 0;
    i++;
    while (i < n && (head[i] == ' ' || head[i] == '\t'))
        i++;
    for (k = 0; k < 3; k++)
        if (i + strlen(keys[k]) <= n && memcmp(head + i, keys[k], strlen(keys[k])) == 0)
            return 90;
    return 0;
}

tg_status tg_i_read_json_document(tg_importer *imp, const char *path, const tg_read_options *o,
                                  tg_load_counts *counts, tg_error *err)
{
    return tg_json_read(imp, path, 0, o, counts, err);
}

tg_status tg_i_read_jsonl(tg_importer *imp, const char *path, const tg_read_options *o,
                          tg_load_counts *counts, tg_error *err)
{
    return tg_json_read(imp, path, 1, o, counts, err);
}
