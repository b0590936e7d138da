/* ftm_reader.c — FollowTheMoney entities, one JSON object a line, as
 * OpenSanctions and Aleph export them:
 *   {"id": "...", "schema": "Payment", "properties": {"payer": ["..."], ...},
 *    "datasets": [...], "referents": [...], "first_seen": "...", ...}
 *
 * The FtM model — which schema becomes which label or relation type, the
 * source and target properties of edge schemata, the type of every property
 * and the relation type of entity-valued properties — is data: the built-in
 * loaders/mappings/ftm.json, generated from FtM's schema files by
 * scripts/gen_ftm_mapping.py. This file only applies it:
 * - a thing schema's record is an entity with the schema's label, the
 *   property `schema`, every FtM property as a list (number-typed ones as
 *   floats when every value converts), and a relation per value of each
 *   entity-valued property, from the entity to the one named;
 * - an edge schema's record is a relation per (source, target) pair, with
 *   the FtM id as its id (FtM's graph id SOURCE<ID>TARGET when there are
 *   several pairs) and the other properties on it;
 * - every entity and relation cites its datasets (or the file) and its
 *   sourceUrl / publisher, each also a source record (made once per file).
 * Records of one id are fragments merged by the importer
 * (TG_IMPORT_DUP_MERGE); references to ids not in the file are skipped and
 * reported (TG_IMPORT_UNKNOWN_SKIP). docs/formats.md ("FollowTheMoney")
 * describes the result.
 *
 * Memory: one line's parse tree at a time (reset per line) plus the model
 * (a few hundred kB); relations that wait for an entity defined later are
 * kept by the importer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "formats.h"
#include "importer.h"
#include "input.h"
#include "json_internal.h"
#include "readers.h"
#include "text.h"

#define MODEL_NAME "loaders/mappings/ftm.json"

enum { P_TEXT = 0, P_NUMBER, P_ENTITY };

/* A property of a schema (inherited ones included, as the file lists them). */
typedef struct fprop {
    uint32_t schema; /* index into model.schemata */
    const char *name;
    size_t nlen;
    int ptype;
    const char *rel; /* things: the relation type of an entity-valued property */
    size_t rlen;
    tg_sym key, relsym; /* interned on first use (0: not yet) */
} fprop;

typedef struct fschema {
    const char *name, *label, *type, *src, *dst;
    size_t nlen, llen, tlen, slen, dlen;
    int edge;
    tg_sym namesym, labelsym, typesym; /* interned on first use */
} fschema;

typedef struct model {
    tg_jparser p; /* owns the parse tree every string above points into */
    fschema *schemata;
    size_t nschemata;
    uint32_t *shash; /* index + 1, 0 empty; capacity scap (a power of two) */
    size_t scap;
    fprop *props;
    size_t nprops, capprops;
    uint32_t *phash;
    size_t pcap;
} model;

/* A set of symbols (source ids made in this file). */
typedef struct symset {
    tg_sym *slot; /* 0: empty */
    size_t n, cap;
} symset;

typedef struct reader {
    tg_importer *imp;
    tg_graph *g;
    tg_error *err;
    const char *name;
    model M;
    long line;
    size_t records;
    tg_jparser p;
    tg_iprop *props;
    size_t nprops, capprops;
    tg_sym *cites;
    size_t ncites, capcites;
    symset made; /* source records made in this file */
    tg_sym file_source;
    char *buf; /* relation ids and joined source fields */
    size_t bufcap;
    /* keys, interned on first use */
    tg_sym k_schema, k_property, k_referents, k_first_seen, k_last_seen, k_last_change, k_caption,
        k_target;
    const tg_read_progress *progress;
    uint64_t total;
} reader;

/* ---- small helpers ------------------------------------------------------- */

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h ^ (h >> 29);
}

static int is_str(const tg_jval *v, const char *s)
{
    size_t n = strlen(s);
    return v->kind == TG_J_STRING && v->u.s.len == n && memcmp(v->u.s.p, s, n) == 0;
}

static int key_is(const tg_jmember *m, const char *k)
{
    size_t n = strlen(k);
    return m->klen == n && memcmp(m->key, k, n) == 0;
}

static tg_status oom(reader *R)
{
    return tg_error_set(R->err, TG_ENOMEM, R->name, 0, 0,
                        "out of memory while reading a FollowTheMoney file");
}

/* The position of byte off of the current line. */
static tg_ipos at(const reader *R, size_t off)
{
    return TG_IPOS(R->line, off + 1);
}

static tg_status parse_failed(reader *R)
{
    if (R->p.status == TG_ENOMEM)
        return oom(R);
    return tg_importer_fail(R->imp, TG_EDATA, at(R, R->p.err_off), "%s", R->p.err_msg);
}

/* Interns s[0..len) into *sym unless done already; the empty string is 0. */
static tg_status intern(reader *R, const char *s, size_t len, tg_sym *sym)
{
    if (*sym || len == 0)
        return TG_OK;
    *sym = tg_graph_intern(R->g, s, len);
    return *sym ? TG_OK : oom(R);
}

static tg_status intern_key(reader *R, tg_sym *sym, const char *s)
{
    return intern(R, s, strlen(s), sym);
}

/* ---- the model (loaders/mappings/ftm.json) -------------------------------- */

static tg_status model_fail(reader *R, size_t off, const char *what)
{
    const char *t = R->M.p.text;
    long line = 1, col = 1;
    size_t i;

    for (i = 0; t && i < off && i < R->M.p.len; i++, col++)
        if (t[i] == '\n') {
            line++;
            col = 0;
        }
    return tg_error_set(R->err, TG_EDATA, MODEL_NAME, line, col,
                        "the built-in FollowTheMoney model is broken: %s", what);
}

static fschema *schema_find(const model *M, const char *s, size_t n)
{
    size_t mask = M->scap - 1, i;

    if (!M->scap)
        return NULL;
    for (i = (size_t)hash_bytes(0xcbf29ce484222325ULL, s, n) & mask; M->shash[i];
         i = (i + 1) & mask) {
        fschema *f = &M->schemata[M->shash[i] - 1];
        if (f->nlen == n && memcmp(f->name, s, n) == 0)
            return f;
    }
    return NULL;
}

static fprop *prop_find(const model *M, uint32_t schema, const char *s, size_t n)
{
    size_t mask = M->pcap - 1, i;

    if (!M->pcap)
        return NULL;
    for (i = (size_t)hash_bytes(0xcbf29ce484222325ULL ^ schema, s, n) & mask; M->phash[i];
         i = (i + 1) & mask) {
        fprop *f = &M->props[M->phash[i] - 1];
        if (f->schema == schema && f->nlen == n && memcmp(f->name, s, n) == 0)
            return f;
    }
    return NULL;
}

static const tg_jval *member(const tg_jval *obj, const char *key)
{
    uint32_t i;

    for (i = 0; obj && obj->kind == TG_J_OBJECT && i < obj->n; i++)
        if (key_is(&obj->u.members[i], key))
            return &obj->u.members[i].v;
    return NULL;
}

/* Reads one schema's object into M->schemata[idx] and its properties. */
static tg_status model_schema(reader *R, uint32_t idx, const tg_jmember *m)
{
    model *M = &R->M;
    fschema *f = &M->schemata[idx];
    const tg_jval *label = member(&m->v, "label"), *edge = member(&m->v, "edge"),
                  *props = member(&m->v, "properties"), *rels = member(&m->v, "relations");
    uint32_t i;

    memset(f, 0, sizeof *f);
    f->name = m->key;
    f->nlen = m->klen;
    if (edge) {
        const tg_jval *t = member(edge, "type"), *s = member(edge, "source"),
                      *d = member(edge, "target");
        if (!t || !s || !d || t->kind != TG_J_STRING || s->kind != TG_J_STRING ||
            d->kind != TG_J_STRING || !t->u.s.len)
            return model_fail(R, edge->off, "an edge needs \"type\", \"source\" and \"target\"");
        f->edge = 1;
        f->type = t->u.s.p;
        f->tlen = t->u.s.len;
        f->src = s->u.s.p;
        f->slen = s->u.s.len;
        f->dst = d->u.s.p;
        f->dlen = d->u.s.len;
    } else {
        if (!label || label->kind != TG_J_STRING || !label->u.s.len)
            return model_fail(R, m->v.off, "a thing schema needs a \"label\"");
        f->label = label->u.s.p;
        f->llen = label->u.s.len;
    }
    if (!props || props->kind != TG_J_OBJECT)
        return model_fail(R, m->v.off, "a schema needs \"properties\"");
    if (tg_i_grow((void **)&M->props, &M->capprops, M->nprops + props->n, sizeof *M->props))
        return oom(R);
    for (i = 0; i < props->n; i++) {
        const tg_jmember *pm = &props->u.members[i];
        fprop *p = &M->props[M->nprops++];
        memset(p, 0, sizeof *p);
        p->schema = idx;
        p->name = pm->key;
        p->nlen = pm->klen;
        if (pm->v.kind != TG_J_STRING)
            return model_fail(R, pm->v.off, "a property's type must be a string");
        p->ptype = is_str(&pm->v, "number")   ? P_NUMBER
                   : is_str(&pm->v, "entity") ? P_ENTITY
                                              : P_TEXT;
        if (p->ptype == P_ENTITY && !f->edge) {
            const tg_jval *r, *t;
            char key[128];
            if (pm->klen >= sizeof key)
                return model_fail(R, pm->off, "a property name is too long");
            memcpy(key, pm->key, pm->klen);
            key[pm->klen] = '\0';
            r = member(rels, key);
            t = member(r, "type");
            if (!t || t->kind != TG_J_STRING || !t->u.s.len)
                return model_fail(R, pm->off,
                                  "an entity-valued property of a thing needs a relation type "
                                  "in \"relations\"");
            p->rel = t->u.s.p;
            p->rlen = t->u.s.len;
        }
    }
    return TG_OK;
}

static tg_status model_load(reader *R)
{
    model *M = &R->M;
    size_t len, i, k;
    const char *text = tg_i_builtin_mapping("ftm", &len);
    const tg_jval *fmt, *sch;
    tg_jval root;
    tg_status st;

    tg_i_json_init(&M->p);
    if (!text)
        return tg_error_set(R->err, TG_EDATA, MODEL_NAME, 0, 0,
                            "the built-in FollowTheMoney model is missing from this build");
    tg_i_json_reset(&M->p, text, len, 0);
    if (tg_i_json_value(&M->p, &root) != 0) {
        if (M->p.status == TG_ENOMEM)
            return oom(R);
        return model_fail(R, M->p.err_off, M->p.err_msg);
    }
    fmt = member(&root, "format");
    sch = member(&root, "schemata");
    if (!fmt || !is_str(fmt, "tiegraph-ftm/1"))
        return model_fail(R, 0, "expected \"format\": \"tiegraph-ftm/1\"");
    if (!sch || sch->kind != TG_J_OBJECT || sch->n == 0)
        return model_fail(R, 0, "expected a \"schemata\" object");
    M->nschemata = sch->n;
    M->schemata = calloc(sch->n, sizeof *M->schemata);
    for (M->scap = 16; M->scap < sch->n * 2; M->scap *= 2)
        ;
    M->shash = calloc(M->scap, sizeof *M->shash);
    if (!M->schemata || !M->shash)
        return oom(R);
    for (i = 0; i < sch->n; i++) {
        const tg_jmember *m = &sch->u.members[i];
        size_t mask = M->scap - 1;
        if (m->v.kind != TG_J_OBJECT)
            return model_fail(R, m->v.off, "a schema must be an object");
        if ((st = model_schema(R, (uint32_t)i, m)) != TG_OK)
            return st;
        if (schema_find(M, m->key, m->klen))
            return model_fail(R, m->off, "a schema is listed twice");
        for (k = (size_t)hash_bytes(0xcbf29ce484222325ULL, m->key, m->klen) & mask; M->shash[k];
             k = (k + 1) & mask)
            ;
        M->shash[k] = (uint32_t)i + 1;
    }
    for (M->pcap = 16; M->pcap < M->nprops * 2; M->pcap *= 2)
        ;
    M->phash = calloc(M->pcap, sizeof *M->phash);
    if (!M->phash)
        return oom(R);
    for (i = 0; i < M->nprops; i++) {
        fprop *p = &M->props[i];
        size_t mask = M->pcap - 1;
        for (k = (size_t)hash_bytes(0xcbf29ce484222325ULL ^ p->schema, p->name, p->nlen) & mask;
             M->phash[k]; k = (k + 1) & mask)
            ;
        M->phash[k] = (uint32_t)i + 1;
    }
    return TG_OK;
}

static void model_destroy(model *M)
{
    tg_i_json_destroy(&M->p);
    free(M->schemata);
    free(M->shash);
    free(M->props);
    free(M->phash);
}

/* ---- sources -------------------------------------------------------------- */

/* Adds sym to the set; returns 1 when it is new, 0 when it was there, -1
 * when out of memory. */
static int symset_add(symset *S, tg_sym sym)
{
    size_t mask, i, k;

    if ((S->n + 1) * 2 > S->cap) {
        size_t cap = S->cap ? S->cap * 2 : 64;
        tg_sym *ns = calloc(cap, sizeof *ns);
        if (!ns)
            return -1;
        for (k = 0; k < S->cap; k++) {
            if (!S->slot[k])
                continue;
            for (i = (size_t)(S->slot[k] * 0x9E3779B97F4A7C15ULL >> 20) & (cap - 1); ns[i];
                 i = (i + 1) & (cap - 1))
                ;
            ns[i] = S->slot[k];
        }
        free(S->slot);
        S->slot = ns;
        S->cap = cap;
    }
    mask = S->cap - 1;
    for (i = (size_t)(sym * 0x9E3779B97F4A7C15ULL >> 20) & mask; S->slot[i]; i = (i + 1) & mask)
        if (S->slot[i] == sym)
            return 0;
    S->slot[i] = sym;
    S->n++;
    return 1;
}

static tg_status cite(reader *R, tg_sym s)
{
    size_t i;

    for (i = 0; i < R->ncites; i++)
        if (R->cites[i] == s)
            return TG_OK;
    if (tg_i_grow((void **)&R->cites, &R->capcites, R->ncites + 1, sizeof *R->cites))
        return oom(R);
    R->cites[R->ncites++] = s;
    return TG_OK;
}

/* Makes the source record id (once per file) with up to three fields given
 * as key, value, length triples (a NULL value leaves the field out). */
static tg_status make_source(reader *R, tg_sym id, size_t off, const char *k1, const char *v1,
                             size_t l1, const char *k2, const char *v2, size_t l2, const char *k3,
                             const char *v3, size_t l3)
{
    const char *keys[3] = {k1, k2, k3}, *vals[3] = {v1, v2, v3};
    size_t lens[3] = {l1, l2, l3}, i, n = 0;
    tg_source_field fields[3];
    tg_isource rec;
    int fresh = symset_add(&R->made, id);

    if (fresh < 0)
        return oom(R);
    if (!fresh)
        return TG_OK;
    for (i = 0; i < 3; i++) {
        if (!keys[i] || !vals[i] || !lens[i])
            continue;
        fields[n].key = tg_graph_intern(R->g, keys[i], strlen(keys[i]));
        fields[n].value = tg_graph_intern(R->g, vals[i], lens[i]);
        if (!fields[n].key || !fields[n].value)
            return oom(R);
        n++;
    }
    memset(&rec, 0, sizeof rec);
    rec.id = tg_graph_str(R->g, id, &rec.id_len);
    rec.fields = fields;
    rec.nfields = n;
    rec.pos = at(R, off);
    return tg_importer_source(R->imp, &rec);
}

/* Joins the strings of a list with "; " into R->buf; returns the length. */
static size_t join(reader *R, const tg_jval *list, size_t *len)
{
    size_t need = 1, i, at = 0;

    *len = 0;
    for (i = 0; list && i < list->n; i++)
        need += list->u.items[i].u.s.len + 2;
    if (tg_i_grow((void **)&R->buf, &R->bufcap, need, 1))
        return (size_t)-1;
    for (i = 0; list && i < list->n; i++) {
        if (at) {
            memcpy(R->buf + at, "; ", 2);
            at += 2;
        }
        memcpy(R->buf + at, list->u.items[i].u.s.p, list->u.items[i].u.s.len);
        at += list->u.items[i].u.s.len;
    }
    *len = at;
    return at;
}

/* The file's source id: its base name. */
static tg_status file_source(reader *R, size_t off)
{
    const char *base = strrchr(R->name, '/');

    base = base ? base + 1 : R->name;
    if (!*base)
        base = "ftm";
    if ((R->file_source = tg_graph_intern(R->g, base, strlen(base))) == 0)
        return oom(R);
    return make_source(R, R->file_source, off, "file", base, strlen(base), "format",
                       "FollowTheMoney", 14, NULL, NULL, 0);
}

/* The citations of a record: its datasets (or the file), its sourceUrls,
 * else its publishers. Lists were checked to hold strings. */
static tg_status citations(reader *R, const tg_jval *obj, const tg_jval *datasets,
                           const tg_jval *props)
{
    const tg_jval *urls = member(props, "sourceUrl"), *pubs = member(props, "publisher"),
                  *puburls = member(props, "publisherUrl");
    uint32_t i;
    size_t plen = 0;
    tg_sym s;
    tg_status st;

    R->ncites = 0;
    if (datasets && datasets->kind == TG_J_ARRAY && datasets->n > 0) {
        for (i = 0; i < datasets->n; i++) {
            const tg_jval *d = &datasets->u.items[i];
            if (!d->u.s.len)
                continue;
            if (!(s = tg_graph_intern(R->g, d->u.s.p, d->u.s.len)))
                return oom(R);
            if ((st = make_source(R, s, d->off, "dataset", d->u.s.p, d->u.s.len, "format",
                                  "FollowTheMoney", 14, NULL, NULL, 0)) != TG_OK ||
                (st = cite(R, s)) != TG_OK)
                return st;
        }
    }
    if (R->ncites == 0) {
        if (!R->file_source && (st = file_source(R, obj->off)) != TG_OK)
            return st;
        if ((st = cite(R, R->file_source)) != TG_OK)
            return st;
    }
    if (urls && urls->kind == TG_J_ARRAY && urls->n > 0) {
        char *pub = NULL, *pubu = NULL;
        size_t pulen = 0;
        if (join(R, pubs, &plen) == (size_t)-1 || !(pub = tg_i_memdup(R->buf, plen)))
            return oom(R);
        if (join(R, puburls, &pulen) == (size_t)-1 || !(pubu = tg_i_memdup(R->buf, pulen))) {
            free(pub);
            return oom(R);
        }
        st = TG_OK;
        for (i = 0; i < urls->n && st == TG_OK; i++) {
            const tg_jval *u = &urls->u.items[i];
            if (!u->u.s.len)
                continue;
            if (!(s = tg_graph_intern(R->g, u->u.s.p, u->u.s.len))) {
                st = oom(R);
                break;
            }
            st = make_source(R, s, u->off, "url", u->u.s.p, u->u.s.len, "publisher", pub, plen,
                             "publisher_url", pubu, pulen);
            if (st == TG_OK)
                st = cite(R, s);
        }
        free(pub);
        free(pubu);
        return st;
    }
    for (i = 0; pubs && pubs->kind == TG_J_ARRAY && i < pubs->n; i++) {
        const tg_jval *p = &pubs->u.items[i];
        const tg_jval *pu =
            puburls && puburls->kind == TG_J_ARRAY && i < puburls->n && puburls->u.items[i].u.s.len
                ? &puburls->u.items[i]
                : NULL;
        const tg_jval *idv = pu ? pu : p;
        if (!idv->u.s.len)
            continue;
        if (!(s = tg_graph_intern(R->g, idv->u.s.p, idv->u.s.len)))
            return oom(R);
        if ((st = make_source(R, s, idv->off, "publisher", p->u.s.p, p->u.s.len, "url",
                              pu ? pu->u.s.p : NULL, pu ? pu->u.s.len : 0, NULL, NULL, 0)) !=
                TG_OK ||
            (st = cite(R, s)) != TG_OK)
            return st;
    }
    return TG_OK;
}

/* ---- values ----------------------------------------------------------------- */

/* A list of strings, or an error naming what (e.g. "property \"name\"" or
 * "\"datasets\""). */
static tg_status check_strings(reader *R, const tg_jval *v, const char *what)
{
    uint32_t i;

    if (v->kind != TG_J_ARRAY)
        return tg_importer_fail(
            R->imp, TG_EDATA, at(R, v->off),
            "%s is %s; expected a list of strings (FollowTheMoney values are lists)", what,
            tg_i_json_kind_name(v->kind));
    for (i = 0; i < v->n; i++)
        if (v->u.items[i].kind != TG_J_STRING)
            return tg_importer_fail(R->imp, TG_EDATA, at(R, v->u.items[i].off),
                                    "%s holds %s in its list; expected a list of strings", what,
                                    tg_i_json_kind_name(v->u.items[i].kind));
    return TG_OK;
}

/* FtM's NumberType.to_number: every character but digits, '-' and '.'
 * dropped, then a float. 0 when that is not a number. */
static int to_number(const char *s, size_t n, double *out)
{
    char buf[64], *end;
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        char c = s[i];
        if ((c >= '0' && c <= '9') || c == '-' || c == '.') {
            if (k + 1 >= sizeof buf)
                return 0;
            buf[k++] = c;
        }
    }
    buf[k] = '\0';
    if (k == 0 || !((buf[0] >= '0' && buf[0] <= '9') || buf[0] == '-' || buf[0] == '.'))
        return 0;
    *out = strtod(buf, &end);
    return end == buf + k;
}

/* Adds key = the list v (strings, or floats when number and every value
 * converts) to R->props; an empty list adds nothing. */
static tg_status add_list(reader *R, tg_sym key, const tg_jval *v, int number, size_t koff)
{
    tg_pval *items;
    tg_iprop *p;
    uint32_t i;
    int numbers = number;

    if (v->n == 0)
        return TG_OK;
    items = tg_i_json_alloc(&R->p, v->n * sizeof *items);
    if (!items || tg_i_grow((void **)&R->props, &R->capprops, R->nprops + 1, sizeof *R->props))
        return oom(R);
    memset(items, 0, v->n * sizeof *items);
    for (i = 0; numbers && i < v->n; i++) {
        items[i].type = TG_V_FLOAT;
        if (!to_number(v->u.items[i].u.s.p, v->u.items[i].u.s.len, &items[i].u.f))
            numbers = 0;
    }
    if (!numbers) {
        for (i = 0; i < v->n; i++) {
            const tg_jval *it = &v->u.items[i];
            items[i].type = TG_V_STRING;
            items[i].u.s = 0;
            if (intern(R, it->u.s.p, it->u.s.len, &items[i].u.s) != TG_OK)
                return TG_ENOMEM;
        }
    }
    p = &R->props[R->nprops++];
    memset(p, 0, sizeof *p);
    p->key = key;
    p->v.type = TG_V_LIST;
    p->v.elem = numbers ? TG_V_FLOAT : TG_V_STRING;
    p->v.len = v->n;
    p->items = items;
    p->pos = at(R, koff);
    return TG_OK;
}

static tg_status add_string(reader *R, tg_sym key, const char *s, size_t n, size_t off)
{
    tg_iprop *p;

    if (tg_i_grow((void **)&R->props, &R->capprops, R->nprops + 1, sizeof *R->props))
        return oom(R);
    p = &R->props[R->nprops];
    memset(p, 0, sizeof *p);
    p->key = key;
    p->v.type = TG_V_STRING;
    if (intern(R, s, n, &p->v.u.s) != TG_OK)
        return TG_ENOMEM;
    p->pos = at(R, off);
    R->nprops++;
    return TG_OK;
}

/* The record's top-level members besides id, schema and properties. */
typedef struct context {
    const tg_jmember *datasets, *referents, *first_seen, *last_seen, *last_change, *caption,
        *target;
} context;

/* Adds the context members as properties (referents as a list). The
 * datasets are not a property: they are the record's citations ("sources"),
 * and a second copy of them on every item would cost memory for nothing. */
static tg_status add_context(reader *R, const context *c)
{
    const tg_jmember *text[4] = {c->first_seen, c->last_seen, c->last_change, c->caption};
    tg_sym *keys[4] = {&R->k_first_seen, &R->k_last_seen, &R->k_last_change, &R->k_caption};
    static const char *const names[4] = {"first_seen", "last_seen", "last_change", "caption"};
    tg_status st;
    int i;

    if (c->referents &&
        ((st = intern_key(R, &R->k_referents, "referents")) != TG_OK ||
         (st = add_list(R, R->k_referents, &c->referents->v, 0, c->referents->off)) != TG_OK))
        return st;
    for (i = 0; i < 4; i++)
        if (text[i] && ((st = intern_key(R, keys[i], names[i])) != TG_OK ||
                        (st = add_string(R, *keys[i], text[i]->v.u.s.p, text[i]->v.u.s.len,
                                         text[i]->off)) != TG_OK))
            return st;
    if (c->target) {
        tg_iprop *p;
        if ((st = intern_key(R, &R->k_target, "target")) != TG_OK)
            return st;
        if (tg_i_grow((void **)&R->props, &R->capprops, R->nprops + 1, sizeof *R->props))
            return oom(R);
        p = &R->props[R->nprops++];
        memset(p, 0, sizeof *p);
        p->key = R->k_target;
        p->v.type = TG_V_BOOL;
        p->v.u.b = c->target->v.kind == TG_J_TRUE;
        p->pos = at(R, c->target->off);
    }
    return TG_OK;
}

/* Checks a context member's value: lists of strings, strings, a boolean;
 * null counts as absent (returns 0 via *keep). */
static tg_status check_context(reader *R, const tg_jmember *m, int *keep)
{
    char q[96];

    *keep = m->v.kind != TG_J_NULL;
    if (!*keep)
        return TG_OK;
    tg_i_quote(q, sizeof q, m->key, m->klen);
    if (key_is(m, "datasets") || key_is(m, "referents"))
        return check_strings(R, &m->v, q);
    if (key_is(m, "target")) {
        if (m->v.kind != TG_J_TRUE && m->v.kind != TG_J_FALSE)
            return tg_importer_fail(R->imp, TG_EDATA, at(R, m->v.off),
                                    "%s is %s; expected true or false", q,
                                    tg_i_json_kind_name(m->v.kind));
        return TG_OK;
    }
    if (m->v.kind != TG_J_STRING)
        return tg_importer_fail(R->imp, TG_EDATA, at(R, m->v.off), "%s is %s; expected a string", q,
                                tg_i_json_kind_name(m->v.kind));
    return TG_OK;
}

/* ---- records ---------------------------------------------------------------- */

/* Makes relation ids: the FtM id, or FtM's graph id SOURCE<ID>TARGET, or for
 * an entity-valued property HOLDER>PROPERTY>TARGET. In R->buf. */
static size_t make_id(reader *R, const char *a, size_t alen, const char *open, const char *b,
                      size_t blen, const char *close, const char *c, size_t clen)
{
    size_t need = alen + blen + clen + 3, at = 0;

    if (tg_i_grow((void **)&R->buf, &R->bufcap, need, 1))
        return 0;
    memcpy(R->buf, a, alen);
    at = alen;
    R->buf[at++] = *open;
    memcpy(R->buf + at, b, blen);
    at += blen;
    R->buf[at++] = *close;
    memcpy(R->buf + at, c, clen);
    at += clen;
    return at;
}

/* A thing: the entity, then one relation per value of each entity-valued
 * property. */
static tg_status do_thing(reader *R, fschema *f, const tg_jval *obj, const tg_jval *idv,
                          const tg_jval *props)
{
    tg_ientity rec;
    tg_status st;
    uint32_t i, k;
    tg_sym label;

    if ((st = intern(R, f->label, f->llen, &f->labelsym)) != TG_OK)
        return st;
    label = f->labelsym;
    memset(&rec, 0, sizeof rec);
    rec.id = idv->u.s.p;
    rec.id_len = idv->u.s.len;
    rec.id_pos = at(R, idv->off);
    rec.labels = &label;
    rec.nlabels = 1;
    rec.props = R->props;
    rec.nprops = R->nprops;
    rec.sources = R->cites;
    rec.nsources = R->ncites;
    rec.pos = at(R, obj->off);
    if ((st = tg_importer_entity(R->imp, &rec)) != TG_OK)
        return st;
    for (i = 0; props && i < props->n; i++) {
        const tg_jmember *m = &props->u.members[i];
        fprop *fp = prop_find(&R->M, (uint32_t)(f - R->M.schemata), m->key, m->klen);
        if (!fp || fp->ptype != P_ENTITY)
            continue;
        if ((st = intern(R, fp->rel, fp->rlen, &fp->relsym)) != TG_OK ||
            (st = intern_key(R, &R->k_property, "property")) != TG_OK)
            return st;
        for (k = 0; k < m->v.n; k++) {
            const tg_jval *to = &m->v.u.items[k];
            tg_irelation r;
            tg_iprop p;
            size_t idlen;
            if (to->u.s.len == 0)
                continue;
            idlen = make_id(R, idv->u.s.p, idv->u.s.len, ">", m->key, m->klen, ">", to->u.s.p,
                            to->u.s.len);
            if (!idlen)
                return oom(R);
            memset(&p, 0, sizeof p);
            p.key = R->k_property;
            p.v.type = TG_V_STRING;
            if ((st = intern(R, m->key, m->klen, &p.v.u.s)) != TG_OK)
                return st;
            p.pos = at(R, m->off);
            memset(&r, 0, sizeof r);
            r.type = fp->relsym;
            r.from = idv->u.s.p;
            r.from_len = idv->u.s.len;
            r.from_pos = rec.id_pos;
            r.to = to->u.s.p;
            r.to_len = to->u.s.len;
            r.to_pos = at(R, to->off);
            r.id = R->buf;
            r.id_len = idlen;
            r.id_pos = r.to_pos;
            r.props = &p;
            r.nprops = 1;
            r.sources = R->cites;
            r.nsources = R->ncites;
            r.pos = r.to_pos;
            if ((st = tg_importer_relation(R->imp, &r)) != TG_OK)
                return st;
        }
    }
    return TG_OK;
}

/* An edge: one relation per (source, target) pair. */
static tg_status do_edge(reader *R, fschema *f, const tg_jval *obj, const tg_jval *idv,
                         const tg_jval *props, const tg_jmember *srcm, const tg_jmember *dstm)
{
    const tg_jval *srcv = srcm ? &srcm->v : NULL, *dstv = dstm ? &dstm->v : NULL;
    uint32_t ns = 0, nd = 0, i, k;
    char q[96], q2[96], t[96];
    tg_status st;

    for (i = 0; srcv && i < srcv->n; i++)
        ns += srcv->u.items[i].u.s.len > 0;
    for (i = 0; dstv && i < dstv->n; i++)
        nd += dstv->u.items[i].u.s.len > 0;
    tg_i_quote(q, sizeof q, idv->u.s.p, idv->u.s.len);
    tg_i_quote(t, sizeof t, f->type, f->tlen);
    if (ns == 0 || nd == 0) {
        const tg_jmember *m = ns == 0 ? srcm : dstm;
        tg_i_quote(q2, sizeof q2, ns == 0 ? f->src : f->dst, ns == 0 ? f->slen : f->dlen);
        return tg_importer_fail(
            R->imp, TG_EDATA,
            at(R, m       ? m->v.off
                  : props ? props->off
                          : obj->off),
            "%.*s %s has no %s; expected the id of the entity the %s relation %s (an "
            "edge needs its %s)",
            (int)f->nlen, f->name, q, q2, t, ns == 0 ? "starts from" : "points to",
            ns == 0 ? "source" : "target");
    }
    if ((st = intern(R, f->type, f->tlen, &f->typesym)) != TG_OK)
        return st;
    for (i = 0; i < srcv->n; i++) {
        const tg_jval *a = &srcv->u.items[i];
        if (!a->u.s.len)
            continue;
        for (k = 0; k < dstv->n; k++) {
            const tg_jval *b = &dstv->u.items[k];
            tg_irelation r;
            if (!b->u.s.len)
                continue;
            memset(&r, 0, sizeof r);
            r.type = f->typesym;
            r.from = a->u.s.p;
            r.from_len = a->u.s.len;
            r.from_pos = at(R, a->off);
            r.to = b->u.s.p;
            r.to_len = b->u.s.len;
            r.to_pos = at(R, b->off);
            if (ns == 1 && nd == 1) {
                r.id = idv->u.s.p;
                r.id_len = idv->u.s.len;
            } else {
                r.id_len = make_id(R, a->u.s.p, a->u.s.len, "<", idv->u.s.p, idv->u.s.len, ">",
                                   b->u.s.p, b->u.s.len);
                if (!r.id_len)
                    return oom(R);
                r.id = R->buf;
            }
            r.id_pos = at(R, idv->off);
            r.props = R->props;
            r.nprops = R->nprops;
            r.sources = R->cites;
            r.nsources = R->ncites;
            r.pos = at(R, obj->off);
            if ((st = tg_importer_relation(R->imp, &r)) != TG_OK)
                return st;
        }
    }
    return TG_OK;
}

/* Names that no property may take: the importer's and the `schema` this
 * reader sets. */
static int reserved(const tg_jmember *m)
{
    return key_is(m, "id") || key_is(m, "sources") || key_is(m, "schema");
}

static tg_status do_record(reader *R, const tg_jval *obj)
{
    const tg_jmember *idm = NULL, *schm = NULL, *propm = NULL, *srcm = NULL, *dstm = NULL;
    const tg_jval *idv, *props = NULL;
    context c;
    fschema *f;
    uint32_t i;
    tg_status st;
    char q[96], q2[96];

    memset(&c, 0, sizeof c);
    for (i = 0; i < obj->n; i++) {
        const tg_jmember *m = &obj->u.members[i];
        const tg_jmember **slot = key_is(m, "id")            ? &idm
                                  : key_is(m, "schema")      ? &schm
                                  : key_is(m, "properties")  ? &propm
                                  : key_is(m, "datasets")    ? &c.datasets
                                  : key_is(m, "referents")   ? &c.referents
                                  : key_is(m, "first_seen")  ? &c.first_seen
                                  : key_is(m, "last_seen")   ? &c.last_seen
                                  : key_is(m, "last_change") ? &c.last_change
                                  : key_is(m, "caption")     ? &c.caption
                                  : key_is(m, "target")      ? &c.target
                                                             : NULL;
        int keep = 1;
        if (!slot)
            continue; /* Aleph's and others' extra keys (links, highlight, ...) */
        if (*slot)
            return tg_importer_fail(R->imp, TG_EDATA, at(R, m->off),
                                    "duplicate key %s in the object",
                                    tg_i_quote(q, sizeof q, m->key, m->klen));
        if (slot != &idm && slot != &schm && slot != &propm &&
            (st = check_context(R, m, &keep)) != TG_OK)
            return st;
        if (keep)
            *slot = m;
    }
    if (!idm || idm->v.kind == TG_J_NULL)
        return tg_importer_fail(R->imp, TG_EDATA, at(R, obj->off),
                                "entity has no \"id\"; expected a non-empty string");
    idv = &idm->v;
    if (idv->kind != TG_J_STRING || idv->u.s.len == 0)
        return tg_importer_fail(
            R->imp, TG_EDATA, at(R, idv->off), "entity \"id\" is %s; expected a non-empty string",
            idv->kind == TG_J_STRING ? "an empty string" : tg_i_json_kind_name(idv->kind));
    tg_i_quote(q, sizeof q, idv->u.s.p, idv->u.s.len);
    if (!schm || schm->v.kind == TG_J_NULL)
        return tg_importer_fail(
            R->imp, TG_EDATA, at(R, obj->off),
            "entity %s has no \"schema\"; expected a FollowTheMoney schema name such as "
            "\"Person\", \"Company\" or \"Ownership\"",
            q);
    if (schm->v.kind != TG_J_STRING)
        return tg_importer_fail(
            R->imp, TG_EDATA, at(R, schm->v.off),
            "\"schema\" is %s; expected a FollowTheMoney schema name such as \"Person\"",
            tg_i_json_kind_name(schm->v.kind));
    f = schema_find(&R->M, schm->v.u.s.p, schm->v.u.s.len);
    if (!f)
        return tg_importer_fail(
            R->imp, TG_EDATA, at(R, schm->v.off),
            "unknown schema %s; expected a FollowTheMoney schema such as \"Person\", "
            "\"Company\", \"Ownership\" or \"Payment\" (docs/formats.md lists them)",
            tg_i_quote(q2, sizeof q2, schm->v.u.s.p, schm->v.u.s.len));
    if (propm && propm->v.kind != TG_J_NULL) {
        props = &propm->v;
        if (props->kind != TG_J_OBJECT)
            return tg_importer_fail(
                R->imp, TG_EDATA, at(R, props->off),
                "\"properties\" is %s; expected an object of property names and lists "
                "of strings",
                tg_i_json_kind_name(props->kind));
    }
    /* check every value before anything is handed over */
    R->nprops = 0;
    if ((st = intern(R, f->name, f->nlen, &f->namesym)) != TG_OK ||
        (st = intern_key(R, &R->k_schema, "schema")) != TG_OK ||
        (st = add_string(R, R->k_schema, f->name, f->nlen, schm->off)) != TG_OK)
        return st;
    for (i = 0; props && i < props->n; i++) {
        const tg_jmember *m = &props->u.members[i];
        fprop *fp = prop_find(&R->M, (uint32_t)(f - R->M.schemata), m->key, m->klen);
        tg_sym key = 0;
        tg_i_quote(q2, sizeof q2, m->key, m->klen);
        if (m->klen == 0)
            return tg_importer_fail(R->imp, TG_EDATA, at(R, m->off),
                                    "property name is empty; expected a FollowTheMoney property "
                                    "name");
        {
            char what[128];
            snprintf(what, sizeof what, "property %s", q2);
            if ((st = check_strings(R, &m->v, what)) != TG_OK)
                return st;
        }
        if (!fp && reserved(m))
            return tg_importer_fail(
                R->imp, TG_EDATA, at(R, m->off),
                "property %s is not in the schema %.*s and its name is reserved; "
                "expected a property of the schema",
                q2, (int)f->nlen, f->name);
        if (f->edge && ((m->klen == f->slen && memcmp(m->key, f->src, f->slen) == 0) ||
                        (m->klen == f->dlen && memcmp(m->key, f->dst, f->dlen) == 0))) {
            if (m->klen == f->slen && memcmp(m->key, f->src, f->slen) == 0)
                srcm = m;
            if (m->klen == f->dlen && memcmp(m->key, f->dst, f->dlen) == 0)
                dstm = m;
            continue;
        }
        if (fp && fp->ptype == P_ENTITY && !f->edge)
            continue; /* a relation, made after the entity */
        if (fp) {
            if ((st = intern(R, m->key, m->klen, &fp->key)) != TG_OK)
                return st;
            key = fp->key;
        } else if ((st = intern(R, m->key, m->klen, &key)) != TG_OK) {
            return st;
        }
        if ((st = add_list(R, key, &m->v, fp && fp->ptype == P_NUMBER, m->off)) != TG_OK)
            return st;
    }
    if ((st = add_context(R, &c)) != TG_OK ||
        (st = citations(R, obj, c.datasets ? &c.datasets->v : NULL, props)) != TG_OK)
        return st;
    if (f->edge)
        return do_edge(R, f, obj, idv, props, srcm, dstm);
    return do_thing(R, f, obj, idv, props);
}

/* ---- lines ------------------------------------------------------------------- */

static size_t skip_bom(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static tg_status do_line(void *ctx, const char *line, size_t len)
{
    reader *R = ctx;
    tg_jparser *p = &R->p;
    tg_jval v;

    tg_i_json_reset(p, line, len, 1);
    if (R->line == 1)
        p->pos = skip_bom(line, len);
    if (tg_i_json_skip_ws(p) >= len)
        return TG_OK; /* blank line */
    R->records++;
    if (line[p->pos] != '{') {
        size_t start = p->pos;
        if (tg_i_json_value(p, &v) != 0)
            return parse_failed(R);
        return tg_importer_fail(
            R->imp, TG_EDATA, at(R, start),
            "line is %s, not a JSON object; expected a FollowTheMoney entity such as "
            "{\"id\": \"...\", \"schema\": \"Person\", \"properties\": {...}}",
            tg_i_json_kind_name(v.kind));
    }
    if (tg_i_json_value(p, &v) != 0)
        return parse_failed(R);
    if (tg_i_json_skip_ws(p) < len)
        return tg_importer_fail(
            R->imp, TG_EDATA, at(R, p->pos),
            "trailing characters after the JSON object; FollowTheMoney lines hold one "
            "entity each");
    return do_record(R, &v);
}

static tg_status read_lines(reader *R, tg_input *in)
{
    tg_status st = tg_i_input_each_line(in, do_line, R, &R->line, R->progress, R->total, R->err);

    if (st != TG_OK)
        return st;
    if (R->records == 0) {
        R->line = 1;
        return tg_importer_fail(
            R->imp, TG_EDATA, at(R, 0),
            "empty file: expected FollowTheMoney entities, one JSON object a line such "
            "as {\"id\": \"...\", \"schema\": \"Person\", \"properties\": {...}}");
    }
    return TG_OK;
}

/* ---- the format table's entry (readers.h) ------------------------------------ */

tg_status tg_i_read_ftm(tg_importer *imp, const char *path, const tg_read_options *o,
                        tg_load_counts *counts, tg_error *err)
{
    reader R;
    tg_input in;
    tg_import_file_options fo;
    tg_status st;

    memset(&R, 0, sizeof R);
    memset(&in, 0, sizeof in);
    tg_i_json_init(&R.p);
    if (counts)
        memset(counts, 0, sizeof *counts);
    R.imp = imp;
    R.g = tg_importer_graph(imp);
    R.err = err;
    memset(&fo, 0, sizeof fo);
    fo.dups = TG_IMPORT_DUP_MERGE;       /* records of one id are fragments */
    fo.unknown = TG_IMPORT_UNKNOWN_SKIP; /* a reference outside the file is reported */
    fo.on_skip = o ? o->on_skip : NULL;
    fo.skip_ctx = o ? o->skip_ctx : NULL;
    tg_importer_begin(imp, path, &fo, err);
    R.name = tg_importer_file(imp);
    R.progress = o ? o->progress : NULL;
    if ((st = model_load(&R)) != TG_OK)
        goto done;
    if ((st = tg_i_input_open(&in, path, o ? o->max_record : 0, err)) != TG_OK)
        goto done;
    R.total = in.size;
    st = read_lines(&R, &in);
    if (st == TG_OK)
        st = tg_i_input_finish(&in, err);
    if (st == TG_OK)
        st = tg_importer_end(imp, counts);
done:
    tg_i_input_close(&in);
    tg_i_json_destroy(&R.p);
    model_destroy(&R.M);
    free(R.props);
    free(R.cites);
    free(R.made.slot);
    free(R.buf);
    return st;
}

/* A first non-blank line that is an object with "id", "schema" and
 * "properties" (FtM writes "id" first or, sorted, in the middle), and whose
 * first key is not one of tiegraph/1's ({"entity": {..., "schema": ...}}). */
int tg_i_sniff_ftm(const char *head, size_t n)
{
    static const char *const theirs[] = {"\"entity\"", "\"source\"", "\"relation\"", "\"format\""};
    size_t i = 0, end, k, len;
    const char *nl, *s;
    int has_schema = 0, has_props = 0, has_id = 0;

    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    if (i >= n || head[i] != '{')
        return 0;
    nl = memchr(head + i, '\n', n - i);
    end = nl ? (size_t)(nl - head) : n;
    s = head + i;
    len = end - i;
    for (k = 1; k < len && (s[k] == ' ' || s[k] == '\t'); k++)
        ;
    for (i = 0; i < sizeof theirs / sizeof theirs[0]; i++)
        if (k + strlen(theirs[i]) <= len && memcmp(s + k, theirs[i], strlen(theirs[i])) == 0)
            return 0;
    for (k = 0; k + 4 <= len; k++) {
        if (s[k] != '"')
            continue;
        if (k + 8 <= len && memcmp(s + k, "\"schema\"", 8) == 0)
            has_schema = 1;
        else if (k + 12 <= len && memcmp(s + k, "\"properties\"", 12) == 0)
            has_props = 1;
        else if (memcmp(s + k, "\"id\"", 4) == 0)
            has_id = 1;
    }
    return has_schema && has_props && has_id ? 95 : 0;
}
