/* mapping.c — any spreadsheet into the importer, through a mapping file.
 *
 * A mapping (tiegraph-mapping/1, a JSON file; docs/formats.md "Mappings")
 * says which columns make which entities and relations. It is compiled once
 * against the CSV's header (every column it names must exist, unless marked
 * optional), then each row is evaluated:
 *   1. source records the row makes (e.g. one per URL of a `|` list), and the
 *      citations every item of the row carries ("aiddata-gcdf-3#12345");
 *   2. entity specs in order: each makes one instance, or one per element of
 *      a split cell ("each"), with parallel columns split alongside; an
 *      instance whose id comes out empty is left out, and one id is made
 *      once per row and spec;
 *   3. relation specs: one relation per pair of instances of their `from`
 *      and `to` specs.
 * A value is a column, an each variable, a template of both ("gcdf-{AidData
 * Record ID}"), or a literal, then transformed: a part of an "id | name"
 * cell, HTML stripped, trimmed, looked up in a map, slugged, typed.
 *
 * The mapping file is read with the JSON parser of json_parse.c, so a
 * mistake in it is reported with its line and column; a value that does not
 * convert is reported at the CSV cell it came from.
 *
 * Ownership: the compiled mapping borrows the parsed JSON tree (kept alive
 * in the parser's arena until the end of the read).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "builtin.h"
#include "csv_reader.h"
#include "csv_values.h"
#include "input.h"
#include "json_internal.h"
#include "readers.h"
#include "text.h"

#define MAX_VARS 8

/* ---- compiled mapping ------------------------------------------------------ */

typedef enum vsrc { V_COLUMN, V_VAR, V_TEMPLATE, V_LITERAL } vsrc;

typedef struct tpart { /* a template piece: literal text, or a reference */
    const char *lit;
    size_t litlen;
    int col; /* >= 0: a column */
    int var; /* >= 0: a variable of the current instance (or endpoint) */
    int side; /* for relations: 0 the instance, 1 from, 2 to */
} tpart;

typedef struct mapent mapent;

typedef struct value {
    vsrc src;
    int col, var, side; /* V_COLUMN: col (-1 when optional and missing); V_VAR */
    tpart *parts;       /* V_TEMPLATE */
    size_t nparts;
    const char *lit; /* V_LITERAL */
    size_t litlen;
    int part;          /* 0: whole; n: the n-th part (1-based) split on sep */
    char sep;
    int html, slug, trim, optional;
    const tg_jval *map; /* an object: value -> replacement */
    const tg_jval *dflt;
    const char *prefix; /* put before a non-empty result, after any slug */
    size_t prefixlen;
    tg_ctype type;
    char split; /* list types: the element separator (0: the array delimiter) */
    size_t off; /* in the mapping file, for messages */
} value;

/* "when": a condition on a row. */
typedef struct cond {
    int kind; /* 0 none, 1 value nonempty, 2 value equals, 3 count of instances equals,
                 4 every condition of all[] */
    struct cond *all;
    size_t nall;
    value v;
    const char *eq;
    size_t eqlen;
    int count_of[4]; /* entity spec indexes, -1 terminated */
    long count;
} cond;

typedef struct mprop {
    tg_sym key;
    value v;
    cond when;
} mprop;

struct mapent {
    const char *name;
    size_t namelen;
    int has_each;
    value each;       /* the cell to split */
    char each_sep;
    const char *vars[MAX_VARS]; /* variable names: [0] the element, then "with" */
    size_t varlen[MAX_VARS];
    value with[MAX_VARS]; /* parallel cells, [1..nvars) */
    int nvars;
    value id;
    value *labels; /* literal or computed */
    size_t nlabels;
    mprop *props;
    size_t nprops;
    cond when;
};

typedef struct maprel {
    value type;
    int from, to; /* entity spec indexes */
    mprop *props;
    size_t nprops;
    value id;
    int has_id;
    cond when;
} maprel;

typedef struct msource { /* source records a row makes and cites */
    int has_each;
    value each;
    char each_sep;
    value id;
    value fragment;
    int has_fragment;
    tg_sym *field_keys;
    value *fields;
    size_t nfields;
} msource;

/* One instance of an entity spec in the current row. */
typedef struct inst {
    size_t id_off, id_len;       /* into the row's string pool */
    size_t var_off[MAX_VARS];    /* element values, into the pool */
    size_t var_len[MAX_VARS];
} inst;

typedef struct mapping {
    tg_jparser p;
    char *text;
    size_t len;
    const char *file; /* the mapping's name for messages */
    tg_error *err;
    tg_graph *g;
    /* from the CSV's header */
    const tg_csv_field *hdr;
    size_t nhdr;
    char **hdr_names; /* copies of the header cells */
    char delim, adelim;
    mapent *ents;
    size_t nents;
    maprel *rels;
    size_t nrels;
    msource *srcs;
    size_t nsrcs;
    /* the row being evaluated */
    const tg_csv_field *row;
    size_t nrow;
    char *pool;
    size_t plen, pcap;
    inst **insts;   /* per entity spec */
    size_t *ninst, *capinst;
    tg_sym *cites;
    size_t ncites, capcites;
    tg_iprop *props;
    size_t capprops;
    tg_sym *labels;
    size_t caplabels;
    tg_source_field *fields;
    size_t capfields;
    tg_cvals vals;
    char *scratch; /* for value evaluation */
    size_t scap;
    const inst *cur[3]; /* instance, from, to during evaluation */
    const mapent *curent[3];
} mapping;

/* ---- errors ---------------------------------------------------------------- */

static tg_status mfail(mapping *M, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* An error in the mapping file at byte offset off. */
static tg_status mfail(mapping *M, size_t off, const char *fmt, ...)
{
    char msg[TG_ERROR_MSG_MAX];
    const char *p = M->text, *end = M->text + (off <= M->len ? off : M->len), *nl;
    long line = 1;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        line++;
        p = nl + 1;
    }
    return tg_error_set(M->err, TG_EDATA, M->file, line, (long)(end - p) + 1, "%s", msg);
}

static tg_status moom(mapping *M)
{
    return tg_error_set(M->err, TG_ENOMEM, M->file, 0, 0, "out of memory reading a mapping");
}

/* ---- reading the mapping's JSON --------------------------------------------- */

static int jkey(const tg_jmember *m, const char *k)
{
    size_t n = strlen(k);
    return m->klen == n && memcmp(m->key, k, n) == 0;
}

static const tg_jval *jget(const tg_jval *obj, const char *k)
{
    uint32_t i;

    if (!obj || obj->kind != TG_J_OBJECT)
        return NULL;
    for (i = 0; i < obj->n; i++)
        if (jkey(&obj->u.members[i], k))
            return &obj->u.members[i].v;
    return NULL;
}

/* Rejects keys of obj that are not in allowed (a NULL-terminated list). */
static tg_status only_keys(mapping *M, const tg_jval *obj, const char *what,
                           const char *const *allowed)
{
    uint32_t i;
    char q[96], list[256];
    size_t o = 0, k;

    for (i = 0; i < obj->n; i++) {
        const tg_jmember *m = &obj->u.members[i];
        for (k = 0; allowed[k] && !jkey(m, allowed[k]); k++)
            ;
        if (allowed[k])
            continue;
        for (k = 0; allowed[k] && o < sizeof list - 32; k++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s\"%s\"", k ? ", " : "",
                                  allowed[k]);
        return mfail(M, m->off, "unknown key %s in %s; expected one of %s",
                     tg_i_quote(q, sizeof q, m->key, m->klen), what, list);
    }
    return TG_OK;
}

static int column_index(const mapping *M, const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < M->nhdr; i++)
        if (M->hdr[i].len == len && memcmp(M->hdr_names[i], name, len) == 0)
            return (int)i;
    return -1;
}

/* The variable of ent (or its endpoints, for "from.x" / "to.x") named
 * name[0..len): sets *var and *side; -1 when there is none. */
static int find_var(const mapping *M, const mapent *ent, const maprel *rel, const char *name,
                    size_t len, int *var, int *side)
{
    const mapent *e = ent;
    int k;

    *side = 0;
    if (rel && len > 5 && memcmp(name, "from.", 5) == 0) {
        e = &M->ents[rel->from];
        name += 5;
        len -= 5;
        *side = 1;
    } else if (rel && len > 3 && memcmp(name, "to.", 3) == 0) {
        e = &M->ents[rel->to];
        name += 3;
        len -= 3;
        *side = 2;
    }
    if (!e)
        return -1;
    for (k = 0; k < e->nvars; k++)
        if (e->varlen[k] == len && memcmp(e->vars[k], name, len) == 0) {
            *var = k;
            return 0;
        }
    return -1;
}

static tg_status missing_column(mapping *M, size_t off, const char *name, size_t len)
{
    char q[96];
    return mfail(M, off,
                 "the mapping names column %s, which the CSV's header does not have; expected "
                 "one of its %zu columns (first: \"%s\"), or mark the value \"optional\": true",
                 tg_i_quote(q, sizeof q, name, len), M->nhdr, M->nhdr ? M->hdr_names[0] : "");
}

static tg_status compile_template(mapping *M, value *v, const tg_jval *t, const mapent *ent,
                                  const maprel *rel)
{
    const char *s = t->u.s.p;
    size_t n = t->u.s.len, i = 0, cap = 4;

    v->src = V_TEMPLATE;
    v->parts = calloc(cap, sizeof *v->parts);
    if (!v->parts)
        return moom(M);
    while (i < n) {
        tpart *p;
        if (v->nparts + 1 > cap) {
            tpart *np = realloc(v->parts, cap * 2 * sizeof *np);
            if (!np)
                return moom(M);
            v->parts = np;
            cap *= 2;
        }
        p = &v->parts[v->nparts++];
        memset(p, 0, sizeof *p);
        p->col = p->var = -1;
        if (s[i] == '{' && i + 1 < n && s[i + 1] != '{') {
            const char *close = memchr(s + i + 1, '}', n - i - 1);
            size_t rl;
            if (!close)
                return mfail(M, t->off, "template has an unclosed '{'; expected {column name}");
            rl = (size_t)(close - (s + i + 1));
            if (find_var(M, ent, rel, s + i + 1, rl, &p->var, &p->side) != 0) {
                p->col = column_index(M, s + i + 1, rl);
                if (p->col < 0 && !v->optional)
                    return missing_column(M, t->off, s + i + 1, rl);
            }
            i = (size_t)(close - s) + 1;
            continue;
        }
        if (s[i] == '{') { /* "{{" is a literal brace */
            p->lit = s + i;
            p->litlen = 1;
            i += 2;
            continue;
        }
        p->lit = s + i;
        while (i < n && s[i] != '{')
            i++;
        p->litlen = (size_t)(s + i - p->lit);
    }
    return TG_OK;
}

/* Compiles a value spec: a string (a column name), or an object. literal:
 * a plain string means a literal (labels, relation types). */
static tg_status compile_value(mapping *M, value *v, const tg_jval *j, const mapent *ent,
                               const maprel *rel, int literal)
{
    static const char *const keys[] = {"column", "var", "template", "value", "part", "separator",
                                       "html", "slug", "trim", "map", "default", "type",
                                       "split", "optional", "prefix", NULL};
    const tg_jval *x;
    char q[96];
    tg_status st;

    memset(v, 0, sizeof *v);
    v->col = v->var = -1;
    v->trim = 1;
    v->type.vtype = TG_V_STRING;
    v->off = j->off;
    if (j->kind == TG_J_STRING) {
        if (literal) {
            v->src = V_LITERAL;
            v->lit = j->u.s.p;
            v->litlen = j->u.s.len;
            return TG_OK;
        }
        v->src = V_COLUMN;
        v->col = column_index(M, j->u.s.p, j->u.s.len);
        if (v->col < 0)
            return missing_column(M, j->off, j->u.s.p, j->u.s.len);
        return TG_OK;
    }
    if (j->kind == TG_J_INT || j->kind == TG_J_FLOAT || j->kind == TG_J_TRUE ||
        j->kind == TG_J_FALSE) {
        return mfail(M, j->off, "a bare %s; expected a column name, or {\"value\": ...} for a "
                                "constant",
                     tg_i_json_kind_name(j->kind));
    }
    if (j->kind != TG_J_OBJECT)
        return mfail(M, j->off, "value is %s; expected a column name or an object such as "
                                "{\"column\": \"Title\"}",
                     tg_i_json_kind_name(j->kind));
    if ((st = only_keys(M, j, "a value", keys)) != TG_OK)
        return st;
    if ((x = jget(j, "optional")) != NULL)
        v->optional = x->kind == TG_J_TRUE;
    if ((x = jget(j, "column")) != NULL) {
        if (x->kind != TG_J_STRING)
            return mfail(M, x->off, "\"column\" is %s; expected a column name",
                         tg_i_json_kind_name(x->kind));
        v->src = V_COLUMN;
        v->col = column_index(M, x->u.s.p, x->u.s.len);
        if (v->col < 0 && !v->optional)
            return missing_column(M, x->off, x->u.s.p, x->u.s.len);
    } else if ((x = jget(j, "var")) != NULL) {
        if (x->kind != TG_J_STRING)
            return mfail(M, x->off, "\"var\" is %s; expected a variable name",
                         tg_i_json_kind_name(x->kind));
        v->src = V_VAR;
        if (find_var(M, ent, rel, x->u.s.p, x->u.s.len, &v->var, &v->side) != 0)
            return mfail(M, x->off, "unknown variable %s; expected one named by \"each\" (\"as\" "
                                    "or \"with\")%s",
                         tg_i_quote(q, sizeof q, x->u.s.p, x->u.s.len),
                         rel ? ", written from.NAME or to.NAME in a relation" : "");
    } else if ((x = jget(j, "template")) != NULL) {
        if (x->kind != TG_J_STRING)
            return mfail(M, x->off, "\"template\" is %s; expected a string such as "
                                    "\"gcdf-{AidData Record ID}\"",
                         tg_i_json_kind_name(x->kind));
        if ((st = compile_template(M, v, x, ent, rel)) != TG_OK)
            return st;
    } else if ((x = jget(j, "value")) != NULL) {
        if (x->kind != TG_J_STRING && x->kind != TG_J_INT && x->kind != TG_J_FLOAT &&
            x->kind != TG_J_TRUE && x->kind != TG_J_FALSE)
            return mfail(M, x->off, "\"value\" is %s; expected a string, number or boolean",
                         tg_i_json_kind_name(x->kind));
        v->src = V_LITERAL;
        if (x->kind == TG_J_STRING) {
            v->lit = x->u.s.p;
            v->litlen = x->u.s.len;
        } else { /* the number as written */
            const char *t = M->text + x->off;
            size_t k = 0;
            while (x->off + k < M->len && !strchr(",}] \t\r\n", t[k]))
                k++;
            v->lit = t;
            v->litlen = k;
            v->type.vtype = x->kind == TG_J_INT     ? TG_V_INT
                            : x->kind == TG_J_FLOAT ? TG_V_FLOAT
                                                    : TG_V_BOOL;
        }
    } else {
        return mfail(M, j->off, "value has no \"column\", \"var\", \"template\" or \"value\"; "
                                "expected one of them");
    }
    if ((x = jget(j, "part")) != NULL) {
        if (x->kind != TG_J_INT || x->u.i < 1 || x->u.i > 64)
            return mfail(M, x->off, "\"part\" must be a number from 1; expected e.g. 2 for the "
                                    "name in \"1 | Huawei\"");
        v->part = (int)x->u.i;
        v->sep = '|';
    }
    if ((x = jget(j, "separator")) != NULL) {
        if (x->kind != TG_J_STRING || x->u.s.len != 1)
            return mfail(M, x->off, "\"separator\" must be one character such as \"|\"");
        v->sep = x->u.s.p[0];
    }
    if ((x = jget(j, "split")) != NULL) {
        if (x->kind != TG_J_STRING || x->u.s.len != 1)
            return mfail(M, x->off, "\"split\" must be one character such as \"|\"");
        v->split = x->u.s.p[0];
    }
    v->html = (x = jget(j, "html")) && x->kind == TG_J_TRUE;
    v->slug = (x = jget(j, "slug")) && x->kind == TG_J_TRUE;
    if ((x = jget(j, "trim")) != NULL)
        v->trim = x->kind == TG_J_TRUE;
    if ((x = jget(j, "map")) != NULL) {
        uint32_t i;
        if (x->kind != TG_J_OBJECT)
            return mfail(M, x->off, "\"map\" is %s; expected an object of value: replacement",
                         tg_i_json_kind_name(x->kind));
        for (i = 0; i < x->n; i++)
            if (x->u.members[i].v.kind != TG_J_STRING && x->u.members[i].v.kind != TG_J_NULL)
                return mfail(M, x->u.members[i].v.off,
                             "a \"map\" replacement is %s; expected a string, or null to leave "
                             "the value out",
                             tg_i_json_kind_name(x->u.members[i].v.kind));
        v->map = x;
    }
    if ((x = jget(j, "default")) != NULL) {
        if (x->kind != TG_J_STRING && x->kind != TG_J_NULL)
            return mfail(M, x->off, "\"default\" is %s; expected a string",
                         tg_i_json_kind_name(x->kind));
        v->dflt = x;
    }
    if ((x = jget(j, "prefix")) != NULL) {
        if (x->kind != TG_J_STRING)
            return mfail(M, x->off, "\"prefix\" is %s; expected a string such as \"country-\"",
                         tg_i_json_kind_name(x->kind));
        v->prefix = x->u.s.p;
        v->prefixlen = x->u.s.len;
    }
    if ((x = jget(j, "type")) != NULL) {
        if (x->kind != TG_J_STRING || tg_i_ctype_parse(x->u.s.p, x->u.s.len, &v->type) != 0)
            return mfail(M, x->off, "unknown \"type\"; expected one of " TG_CTYPE_NAMES);
    }
    return TG_OK;
}


/* A copy of object j without the member named key (the copy's members live
 * in the parser's arena). */
static tg_status strip_key(mapping *M, const tg_jval *j, const char *key, tg_jval *copy)
{
    tg_jmember *mm = tg_i_json_alloc(&M->p, (j->n + 1) * sizeof *mm);
    uint32_t i, n = 0;

    if (!mm)
        return moom(M);
    for (i = 0; i < j->n; i++)
        if (!jkey(&j->u.members[i], key))
            mm[n++] = j->u.members[i];
    *copy = *j;
    copy->u.members = mm;
    copy->n = n;
    return TG_OK;
}

static int find_ent(const mapping *M, const char *name, size_t len)
{
    size_t e;

    for (e = 0; e < M->nents; e++)
        if (M->ents[e].namelen == len && memcmp(M->ents[e].name, name, len) == 0)
            return (int)e;
    return -1;
}

static tg_status compile_cond(mapping *M, cond *c, const tg_jval *j, const mapent *ent,
                              const maprel *rel)
{
    const tg_jval *x, *eq;
    tg_jval copy;
    tg_status st;

    memset(c, 0, sizeof *c);
    if (!j)
        return TG_OK;
    if (j->kind == TG_J_ARRAY) {
        uint32_t i;
        c->kind = 4;
        c->all = calloc(j->n + 1, sizeof *c->all);
        if (!c->all)
            return moom(M);
        for (i = 0; i < j->n; i++) {
            if (j->u.items[i].kind != TG_J_OBJECT)
                return mfail(M, j->u.items[i].off, "a condition in a \"when\" list is %s; "
                                                   "expected an object",
                             tg_i_json_kind_name(j->u.items[i].kind));
            if ((st = compile_cond(M, &c->all[c->nall++], &j->u.items[i], ent, rel)) != TG_OK)
                return st;
        }
        return TG_OK;
    }
    if (j->kind != TG_J_OBJECT)
        return mfail(M, j->off, "\"when\" is %s; expected an object such as {\"column\": "
                                "\"Status\", \"equals\": \"Completion\"}",
                     tg_i_json_kind_name(j->kind));
    eq = jget(j, "equals");
    if ((x = jget(j, "count")) != NULL) {
        uint32_t i, k = 0;
        static const char *const keys[] = {"count", "equals", NULL};
        if ((st = only_keys(M, j, "\"when\" with \"count\"", keys)) != TG_OK)
            return st;
        if (!eq || eq->kind != TG_J_INT)
            return mfail(M, j->off, "\"count\" needs \"equals\" with a number");
        c->kind = 3;
        c->count = (long)eq->u.i;
        c->count_of[0] = -1;
        for (i = 0; i < (x->kind == TG_J_ARRAY ? x->n : 1); i++) {
            const tg_jval *name = x->kind == TG_J_ARRAY ? &x->u.items[i] : x;
            int e;
            if (k == 3)
                return mfail(M, name->off, "\"count\" takes at most 3 entity specs");
            if (name->kind != TG_J_STRING)
                return mfail(M, name->off, "\"count\" names entity specs; expected a name or a "
                                           "list of names");
            e = find_ent(M, name->u.s.p, name->u.s.len);
            if (e < 0)
                return mfail(M, name->off, "\"count\" names an unknown entity spec; expected "
                                           "the \"name\" of an entity spec");
            c->count_of[k++] = e;
            c->count_of[k] = -1;
        }
        return TG_OK;
    }
    if (eq && eq->kind != TG_J_STRING)
        return mfail(M, eq->off, "\"equals\" is %s; expected a string",
                     tg_i_json_kind_name(eq->kind));
    if ((st = strip_key(M, j, "equals", &copy)) != TG_OK ||
        (st = compile_value(M, &c->v, &copy, ent, rel, 0)) != TG_OK)
        return st;
    c->kind = eq ? 2 : 1;
    if (eq) {
        c->eq = eq->u.s.p;
        c->eqlen = eq->u.s.len;
    }
    return TG_OK;
}

static tg_status compile_props(mapping *M, mprop **out, size_t *n, const tg_jval *j,
                               const mapent *ent, const maprel *rel)
{
    uint32_t i;
    tg_status st;

    *out = NULL;
    *n = 0;
    if (!j)
        return TG_OK;
    if (j->kind != TG_J_OBJECT)
        return mfail(M, j->off, "\"properties\" is %s; expected an object of name: value",
                     tg_i_json_kind_name(j->kind));
    *out = calloc(j->n + 1, sizeof **out);
    if (!*out)
        return moom(M);
    for (i = 0; i < j->n; i++) {
        const tg_jmember *m = &j->u.members[i];
        mprop *p = &(*out)[(*n)++];
        const tg_jval *when = m->v.kind == TG_J_OBJECT ? jget(&m->v, "when") : NULL;
        tg_jval copy = m->v;
        if (m->klen == 0)
            return mfail(M, m->off, "property name is empty; expected a name");
        if ((m->klen == 2 && memcmp(m->key, "id", 2) == 0) ||
            (m->klen == 7 && memcmp(m->key, "sources", 7) == 0) ||
            (m->klen == 6 && memcmp(m->key, "labels", 6) == 0))
            return mfail(M, m->off, "\"%.*s\" is reserved; expected it as a key of the entity "
                                    "or relation spec, not among its properties",
                         (int)m->klen, m->key);
        p->key = tg_graph_intern(M->g, m->key, m->klen);
        if (!p->key)
            return moom(M);
        if (when && ((st = compile_cond(M, &p->when, when, ent, rel)) != TG_OK ||
                     (st = strip_key(M, &m->v, "when", &copy)) != TG_OK))
            return st;
        if ((st = compile_value(M, &p->v, &copy, ent, rel, 0)) != TG_OK)
            return st;
    }
    return TG_OK;
}

/* "each": {"column": C | value keys..., "split": "|", "as": "name",
 *          "with": {"type": "Funding Agencies Type"}} */
static tg_status compile_each(mapping *M, mapent *e, const tg_jval *j)
{
    const tg_jval *as = jget(j, "as"), *with = jget(j, "with"), *sp = jget(j, "split");
    tg_jval copy;
    tg_status st;
    uint32_t i;

    if (j->kind != TG_J_OBJECT)
        return mfail(M, j->off, "\"each\" is %s; expected an object such as {\"column\": "
                                "\"Funding Agencies\", \"split\": \"|\", \"as\": \"name\"}",
                     tg_i_json_kind_name(j->kind));
    if (!sp || sp->kind != TG_J_STRING || sp->u.s.len != 1)
        return mfail(M, sp ? sp->off : j->off, "\"each\" needs \"split\": one character such "
                                               "as \"|\"");
    e->each_sep = sp->u.s.p[0];
    e->has_each = 1;
    e->nvars = 1;
    e->vars[0] = "value";
    e->varlen[0] = 5;
    if (as) {
        if (as->kind != TG_J_STRING || as->u.s.len == 0)
            return mfail(M, as->off, "\"as\" must name the element, such as \"name\"");
        e->vars[0] = as->u.s.p;
        e->varlen[0] = as->u.s.len;
    }
    if (with) {
        if (with->kind != TG_J_OBJECT)
            return mfail(M, with->off, "\"with\" is %s; expected an object of name: parallel "
                                       "column",
                         tg_i_json_kind_name(with->kind));
        for (i = 0; i < with->n; i++) {
            const tg_jmember *m = &with->u.members[i];
            if (e->nvars == MAX_VARS)
                return mfail(M, m->off, "\"with\" takes at most %d columns", MAX_VARS - 1);
            e->vars[e->nvars] = m->key;
            e->varlen[e->nvars] = m->klen;
            if ((st = compile_value(M, &e->with[e->nvars], &m->v, NULL, NULL, 0)) != TG_OK)
                return st;
            e->nvars++;
        }
    }
    if ((st = strip_key(M, j, "as", &copy)) != TG_OK ||
        (st = strip_key(M, &copy, "with", &copy)) != TG_OK ||
        (st = strip_key(M, &copy, "split", &copy)) != TG_OK)
        return st;
    return compile_value(M, &e->each, &copy, NULL, NULL, 0);
}

static tg_status compile_entity(mapping *M, mapent *e, const tg_jval *j)
{
    static const char *const keys[] = {"name", "each", "id", "labels", "properties", "when",
                                       NULL};
    const tg_jval *x;
    tg_status st;
    uint32_t i;

    if (j->kind != TG_J_OBJECT)
        return mfail(M, j->off, "entity spec is %s; expected an object",
                     tg_i_json_kind_name(j->kind));
    if ((st = only_keys(M, j, "an entity spec", keys)) != TG_OK)
        return st;
    x = jget(j, "name");
    if (!x || x->kind != TG_J_STRING || x->u.s.len == 0)
        return mfail(M, x ? x->off : j->off, "entity spec needs a \"name\" that relations use "
                                             "in \"from\" and \"to\"");
    e->name = x->u.s.p;
    e->namelen = x->u.s.len;
    if ((x = jget(j, "each")) != NULL && (st = compile_each(M, e, x)) != TG_OK)
        return st;
    if (!(x = jget(j, "id")))
        return mfail(M, j->off, "entity spec has no \"id\"; expected a value such as "
                                "{\"column\": \"id\"} or {\"template\": \"...\", \"slug\": true}");
    if ((st = compile_value(M, &e->id, x, e, NULL, 0)) != TG_OK)
        return st;
    x = jget(j, "labels");
    if (!x || x->kind != TG_J_ARRAY || x->n == 0)
        return mfail(M, x ? x->off : j->off, "entity spec needs \"labels\": a non-empty list of "
                                             "labels or label values");
    e->labels = calloc(x->n, sizeof *e->labels);
    if (!e->labels)
        return moom(M);
    for (i = 0; i < x->n; i++)
        if ((st = compile_value(M, &e->labels[e->nlabels++], &x->u.items[i], e, NULL, 1)) !=
            TG_OK)
            return st;
    if ((st = compile_props(M, &e->props, &e->nprops, jget(j, "properties"), e, NULL)) != TG_OK)
        return st;
    return compile_cond(M, &e->when, jget(j, "when"), e, NULL);
}

static tg_status compile_relation(mapping *M, maprel *r, const tg_jval *j)
{
    static const char *const keys[] = {"type", "from", "to", "id", "properties", "when", NULL};
    const tg_jval *x;
    tg_status st;
    int k;

    if (j->kind != TG_J_OBJECT)
        return mfail(M, j->off, "relation spec is %s; expected an object",
                     tg_i_json_kind_name(j->kind));
    if ((st = only_keys(M, j, "a relation spec", keys)) != TG_OK)
        return st;
    for (k = 0; k < 2; k++) {
        const char *key = k ? "to" : "from";
        int e;
        x = jget(j, key);
        if (!x || x->kind != TG_J_STRING)
            return mfail(M, x ? x->off : j->off, "relation spec needs \"%s\": the name of an "
                                                 "entity spec",
                         key);
        e = find_ent(M, x->u.s.p, x->u.s.len);
        if (e < 0)
            return mfail(M, x->off, "relation \"%s\" names no entity spec; expected one of the "
                                    "entity specs' \"name\"s",
                         key);
        if (k)
            r->to = e;
        else
            r->from = e;
    }
    if (!(x = jget(j, "type")))
        return mfail(M, j->off, "relation spec has no \"type\"; expected one such as "
                                "\"FINANCES\"");
    if ((st = compile_value(M, &r->type, x, NULL, r, 1)) != TG_OK)
        return st;
    if ((x = jget(j, "id")) != NULL) {
        r->has_id = 1;
        if ((st = compile_value(M, &r->id, x, NULL, r, 0)) != TG_OK)
            return st;
    }
    if ((st = compile_props(M, &r->props, &r->nprops, jget(j, "properties"), NULL, r)) != TG_OK)
        return st;
    return compile_cond(M, &r->when, jget(j, "when"), NULL, r);
}

/* "sources": [{"id": "aiddata-gcdf-3", "title": ..., ...}] make records once;
 * "cite": [{"source": VALUE, "fragment": VALUE}, {"each": ..., "source": VALUE,
 *           "fields": {"url": VALUE, ...}}] make citations per row. */
static tg_status compile_cite(mapping *M, msource *s, const tg_jval *j)
{
    static const char *const keys[] = {"source", "fragment", "each", "fields", NULL};
    const tg_jval *x;
    tg_status st;
    uint32_t i;
    mapent tmp;

    if (j->kind != TG_J_OBJECT)
        return mfail(M, j->off, "citation is %s; expected an object such as {\"source\": "
                                "{\"value\": \"aspi\"}, \"fragment\": \"row id\"}",
                     tg_i_json_kind_name(j->kind));
    if ((st = only_keys(M, j, "a citation", keys)) != TG_OK)
        return st;
    memset(&tmp, 0, sizeof tmp);
    if ((x = jget(j, "each")) != NULL) {
        if ((st = compile_each(M, &tmp, x)) != TG_OK)
            return st;
        s->has_each = 1;
        s->each = tmp.each;
        s->each_sep = tmp.each_sep;
    }
    if (!(x = jget(j, "source")))
        return mfail(M, j->off, "citation has no \"source\"; expected the source id's value");
    /* within a citation, the element is the variable "value" */
    if ((st = compile_value(M, &s->id, x, s->has_each ? &tmp : NULL, NULL, 0)) != TG_OK)
        return st;
    if ((x = jget(j, "fragment")) != NULL) {
        s->has_fragment = 1;
        if ((st = compile_value(M, &s->fragment, x, s->has_each ? &tmp : NULL, NULL, 0)) != TG_OK)
            return st;
    }
    if ((x = jget(j, "fields")) != NULL) {
        if (x->kind != TG_J_OBJECT)
            return mfail(M, x->off, "\"fields\" is %s; expected an object of field: value",
                         tg_i_json_kind_name(x->kind));
        s->fields = calloc(x->n + 1, sizeof *s->fields);
        s->field_keys = calloc(x->n + 1, sizeof *s->field_keys);
        if (!s->fields || !s->field_keys)
            return moom(M);
        for (i = 0; i < x->n; i++) {
            const tg_jmember *m = &x->u.members[i];
            if (!(s->field_keys[i] = tg_graph_intern(M->g, m->key, m->klen)))
                return moom(M);
            /* each element's parallel columns are not offered here: split fields
             * are split alongside the "each" column by evaluation */
            if ((st = compile_value(M, &s->fields[i], &m->v, s->has_each ? &tmp : NULL, NULL,
                                    0)) != TG_OK)
                return st;
            s->nfields++;
        }
    }
    return TG_OK;
}

/* Applies the mapping's fixed "sources" records once. */
static tg_status put_sources(mapping *M, tg_importer *imp, const tg_jval *arr)
{
    uint32_t i, k;

    if (!arr)
        return TG_OK;
    if (arr->kind != TG_J_ARRAY)
        return mfail(M, arr->off, "\"sources\" is %s; expected a list of source records",
                     tg_i_json_kind_name(arr->kind));
    for (i = 0; i < arr->n; i++) {
        const tg_jval *o = &arr->u.items[i], *id = jget(o, "id");
        tg_isource s;
        size_t nf = 0;
        tg_status st;
        if (!o || o->kind != TG_J_OBJECT || !id || id->kind != TG_J_STRING || !id->u.s.len)
            return mfail(M, o->off, "source record needs an \"id\" string");
        if (tg_i_grow((void **)&M->fields, &M->capfields, o->n + 1, sizeof *M->fields) != 0)
            return moom(M);
        for (k = 0; k < o->n; k++) {
            const tg_jmember *m = &o->u.members[k];
            if (jkey(m, "id"))
                continue;
            if (m->v.kind != TG_J_STRING)
                return mfail(M, m->v.off, "source field is %s; expected a string",
                             tg_i_json_kind_name(m->v.kind));
            M->fields[nf].key = tg_graph_intern(M->g, m->key, m->klen);
            M->fields[nf].value =
                m->v.u.s.len ? tg_graph_intern(M->g, m->v.u.s.p, m->v.u.s.len) : 0;
            if (!M->fields[nf].key || (m->v.u.s.len && !M->fields[nf].value))
                return moom(M);
            nf++;
        }
        memset(&s, 0, sizeof s);
        s.id = id->u.s.p;
        s.id_len = id->u.s.len;
        s.fields = M->fields;
        s.nfields = nf;
        if ((st = tg_importer_source(imp, &s)) != TG_OK)
            return st;
    }
    return TG_OK;
}

static tg_status compile(mapping *M, const tg_jval *root, tg_importer *imp)
{
    static const char *const keys[] = {"format", "description", "csv", "sources", "cite",
                                       "entities", "relations", NULL};
    const tg_jval *x, *arr;
    tg_status st;
    uint32_t i;

    if (root->kind != TG_J_OBJECT)
        return mfail(M, root->off, "the mapping is %s; expected an object with \"format\": "
                                   "\"tiegraph-mapping/1\"",
                     tg_i_json_kind_name(root->kind));
    if ((st = only_keys(M, root, "the mapping", keys)) != TG_OK)
        return st;
    x = jget(root, "format");
    if (!x || x->kind != TG_J_STRING || x->u.s.len != 18 ||
        memcmp(x->u.s.p, "tiegraph-mapping/1", 18) != 0)
        return mfail(M, x ? x->off : root->off,
                     "expected \"format\": \"tiegraph-mapping/1\" at the top of the mapping");
    arr = jget(root, "entities");
    if (!arr || arr->kind != TG_J_ARRAY || arr->n == 0)
        return mfail(M, arr ? arr->off : root->off,
                     "the mapping needs \"entities\": a non-empty list of entity specs");
    M->ents = calloc(arr->n, sizeof *M->ents);
    M->insts = calloc(arr->n, sizeof *M->insts);
    M->ninst = calloc(arr->n, sizeof *M->ninst);
    M->capinst = calloc(arr->n, sizeof *M->capinst);
    if (!M->ents || !M->insts || !M->ninst || !M->capinst)
        return moom(M);
    /* names first, so that "count" conditions can name later specs */
    for (i = 0; i < arr->n; i++) {
        const tg_jval *nm = jget(&arr->u.items[i], "name");
        if (nm && nm->kind == TG_J_STRING) {
            if (find_ent(M, nm->u.s.p, nm->u.s.len) >= 0 && nm->u.s.len)
                return mfail(M, nm->off, "two entity specs are named \"%.*s\"; expected "
                                         "distinct names",
                             (int)nm->u.s.len, nm->u.s.p);
            M->ents[i].name = nm->u.s.p;
            M->ents[i].namelen = nm->u.s.len;
        }
        M->nents = i + 1;
    }
    for (i = 0; i < arr->n; i++)
        if ((st = compile_entity(M, &M->ents[i], &arr->u.items[i])) != TG_OK)
            return st;
    if ((arr = jget(root, "relations")) != NULL) {
        if (arr->kind != TG_J_ARRAY)
            return mfail(M, arr->off, "\"relations\" is %s; expected a list of relation specs",
                         tg_i_json_kind_name(arr->kind));
        M->rels = calloc(arr->n + 1, sizeof *M->rels);
        if (!M->rels)
            return moom(M);
        for (i = 0; i < arr->n; i++)
            if ((st = compile_relation(M, &M->rels[M->nrels++], &arr->u.items[i])) != TG_OK)
                return st;
    }
    if ((arr = jget(root, "cite")) != NULL) {
        if (arr->kind != TG_J_ARRAY)
            return mfail(M, arr->off, "\"cite\" is %s; expected a list of citations",
                         tg_i_json_kind_name(arr->kind));
        M->srcs = calloc(arr->n + 1, sizeof *M->srcs);
        if (!M->srcs)
            return moom(M);
        for (i = 0; i < arr->n; i++)
            if ((st = compile_cite(M, &M->srcs[M->nsrcs++], &arr->u.items[i])) != TG_OK)
                return st;
    }
    return put_sources(M, imp, jget(root, "sources"));
}

/* ---- evaluating values for a row ---------------------------------------------- */

static int pool_add(mapping *M, const char *s, size_t n, size_t *off)
{
    if (tg_i_grow((void **)&M->pool, &M->pcap, M->plen + n + 1, 1) != 0)
        return -1;
    memcpy(M->pool + M->plen, s, n);
    *off = M->plen;
    M->plen += n;
    M->pool[M->plen++] = '\0';
    return 0;
}

/* An output buffer for a value being built. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static int sb_add(sbuf *b, const char *s, size_t n)
{
    if (tg_i_grow((void **)&b->p, &b->cap, b->n + n + 1, 1) != 0)
        return -1;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

static const struct {
    const char *name;
    const char *utf8;
} entities_html[] = {
    {"amp", "&"},        {"lt", "<"},          {"gt", ">"},          {"quot", "\""},
    {"apos", "'"},       {"nbsp", " "},        {"rsquo", "\xE2\x80\x99"}, {"lsquo", "\xE2\x80\x98"},
    {"rdquo", "\xE2\x80\x9D"}, {"ldquo", "\xE2\x80\x9C"}, {"ndash", "\xE2\x80\x93"},
    {"mdash", "\xE2\x80\x94"}, {"hellip", "\xE2\x80\xA6"}, {"eacute", "\xC3\xA9"},
    {"egrave", "\xC3\xA8"}, {"uuml", "\xC3\xBC"}, {"ouml", "\xC3\xB6"}, {"auml", "\xC3\xA4"},
    {"ccedil", "\xC3\xA7"}, {"aacute", "\xC3\xA1"}, {"oacute", "\xC3\xB3"}, {"iacute", "\xC3\xAD"},
    {"uacute", "\xC3\xBA"}, {"ntilde", "\xC3\xB1"}, {"szlig", "\xC3\x9F"}, {"copy", "\xC2\xA9"},
    {"reg", "\xC2\xAE"}, {"euro", "\xE2\x82\xAC"}, {"pound", "\xC2\xA3"}, {"deg", "\xC2\xB0"},
};


/* Whether the tag t[0..n) ("p", "/div", "br/") breaks a line: a block
 * element, so the text on either side must not run together. */
static int block_tag(const char *t, size_t n)
{
    static const char *const blocks[] = {"p", "br", "div", "li", "ul", "ol", "tr", "td", "th",
                                         "h1", "h2", "h3", "h4", "h5", "h6", "table",
                                         "blockquote", "hr", "section", "article"};
    size_t i, k = 0;

    if (n && t[0] == '/') {
        t++;
        n--;
    }
    while (k < n && ((t[k] >= 'a' && t[k] <= 'z') || (t[k] >= 'A' && t[k] <= 'Z') ||
                     (t[k] >= '0' && t[k] <= '9')))
        k++;
    for (i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (strlen(blocks[i]) == k && strncasecmp(blocks[i], t, k) == 0)
            return 1;
    return 0;
}

/* Strips HTML tags (a block tag or <br> becomes a space), decodes entities
 * and collapses runs of white space, in place. */
static size_t strip_html(char *s, size_t n)
{
    size_t i = 0, o = 0, k;
    int space = 0;

    while (i < n) {
        if (s[i] == '<') {
            const char *e = memchr(s + i, '>', n - i);
            if (!e) {
                s[o++] = s[i++];
                continue;
            }
            if (block_tag(s + i + 1, (size_t)(e - (s + i + 1))))
                space = o > 0;
            i = (size_t)(e - s) + 1;
            continue;
        }
        if (s[i] == '&') {
            const char *e = memchr(s + i, ';', n - i < 12 ? n - i : 12);
            if (e) {
                size_t len = (size_t)(e - (s + i + 1));
                char tmp[8];
                size_t w = 0;
                if (len > 1 && s[i + 1] == '#') {
                    unsigned long cp = s[i + 2] == 'x' || s[i + 2] == 'X'
                                           ? strtoul(s + i + 3, NULL, 16)
                                           : strtoul(s + i + 2, NULL, 10);
                    if (cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF))
                        w = tg_i_utf8_put(tmp, (unsigned)cp);
                } else {
                    for (k = 0; k < sizeof entities_html / sizeof entities_html[0]; k++)
                        if (strlen(entities_html[k].name) == len &&
                            memcmp(entities_html[k].name, s + i + 1, len) == 0) {
                            w = strlen(entities_html[k].utf8);
                            memcpy(tmp, entities_html[k].utf8, w);
                            break;
                        }
                }
                if (w && w <= len + 2) {
                    if (space && o > 0)
                        s[o++] = ' ';
                    space = 0;
                    if (w == 1 && tmp[0] == ' ') {
                        space = o > 0;
                    } else {
                        memcpy(s + o, tmp, w);
                        o += w;
                    }
                    i = (size_t)(e - s) + 1;
                    continue;
                }
            }
        }
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
            space = o > 0;
            i++;
            continue;
        }
        if (space)
            s[o++] = ' ';
        space = 0;
        s[o++] = s[i++];
    }
    return o;
}

/* The bytes of variable var of instance side (0 the spec's instance, 1 from,
 * 2 to). */
static void var_bytes(const mapping *M, int side, int var, const char **s, size_t *n)
{
    const inst *in = M->cur[side];

    if (!in) {
        *s = "";
        *n = 0;
        return;
    }
    *s = M->pool + in->var_off[var];
    *n = in->var_len[var];
}

/* Evaluates v for the current row into b (a string: the type is applied by
 * the caller). *cell gets the CSV cell it came from, when it came from one. */
static int eval(mapping *M, const value *v, sbuf *b, const tg_csv_field **cell)
{
    size_t i;
    const char *s = NULL;
    size_t n = 0;

    b->n = 0;
    if (sb_add(b, "", 0) != 0)
        return -1;
    *cell = NULL;
    switch (v->src) {
    case V_COLUMN:
        if (v->col < 0 || (size_t)v->col >= M->nrow)
            break;
        *cell = &M->row[v->col];
        s = M->row[v->col].p;
        n = M->row[v->col].len;
        break;
    case V_VAR: var_bytes(M, v->side, v->var, &s, &n); break;
    case V_LITERAL:
        s = v->lit;
        n = v->litlen;
        break;
    case V_TEMPLATE:
        for (i = 0; i < v->nparts; i++) {
            const tpart *p = &v->parts[i];
            const char *ps = p->lit;
            size_t pn = p->litlen;
            if (!p->lit) {
                if (p->var >= 0) {
                    var_bytes(M, p->side, p->var, &ps, &pn);
                } else if (p->col >= 0 && (size_t)p->col < M->nrow) {
                    ps = M->row[p->col].p;
                    pn = M->row[p->col].len;
                } else {
                    ps = "";
                    pn = 0;
                }
                /* an empty reference empties the whole template: no id
                 * "gcdf-" for a row without a record id */
                if (pn == 0) {
                    b->n = 0;
                    b->p[0] = '\0';
                    return 0;
                }
            }
            if (sb_add(b, ps, pn) != 0)
                return -1;
        }
        s = NULL;
        break;
    }
    if (s && sb_add(b, s, n) != 0)
        return -1;
    if (v->part) {
        /* the n-th part on the separator, "1 | Huawei" -> "Huawei" */
        size_t at = 0, k;
        int idx = 1;
        for (k = 0; k <= b->n; k++) {
            if (k == b->n || b->p[k] == v->sep) {
                if (idx == v->part) {
                    memmove(b->p, b->p + at, k - at);
                    b->n = k - at;
                    break;
                }
                idx++;
                at = k + 1;
            }
        }
        if (idx < v->part)
            b->n = 0;
        b->p[b->n] = '\0';
    }
    if (v->html)
        b->n = strip_html(b->p, b->n);
    if (v->trim) {
        size_t a = 0;
        while (a < b->n && (b->p[a] == ' ' || b->p[a] == '\t' || b->p[a] == '\r' || b->p[a] == '\n'))
            a++;
        while (b->n > a && (b->p[b->n - 1] == ' ' || b->p[b->n - 1] == '\t' ||
                            b->p[b->n - 1] == '\r' || b->p[b->n - 1] == '\n'))
            b->n--;
        memmove(b->p, b->p + a, b->n - a);
        b->n -= a;
    }
    b->p[b->n] = '\0';
    if (v->map) {
        uint32_t k;
        int hit = 0;
        for (k = 0; k < v->map->n; k++) {
            const tg_jmember *m = &v->map->u.members[k];
            if (m->klen == b->n && memcmp(m->key, b->p, b->n) == 0) {
                b->n = 0;
                if (m->v.kind == TG_J_STRING && sb_add(b, m->v.u.s.p, m->v.u.s.len) != 0)
                    return -1;
                hit = 1;
                break;
            }
        }
        if (!hit && v->dflt && b->n) {
            b->n = 0;
            if (v->dflt->kind == TG_J_STRING && sb_add(b, v->dflt->u.s.p, v->dflt->u.s.len) != 0)
                return -1;
        }
        *cell = hit ? NULL : *cell;
    } else if (v->dflt && b->n == 0 && v->dflt->kind == TG_J_STRING) {
        if (sb_add(b, v->dflt->u.s.p, v->dflt->u.s.len) != 0)
            return -1;
    }
    if (v->slug) {
        char *t = malloc(b->n * 2 + 2);
        if (!t)
            return -1;
        b->n = tg_i_slug(t, b->n * 2 + 2, b->p, b->n);
        memcpy(b->p, t, b->n + 1);
        free(t);
    }
    if (v->prefixlen && b->n) {
        size_t n = b->n;
        if (sb_add(b, v->prefix, v->prefixlen) != 0)
            return -1;
        memmove(b->p + v->prefixlen, b->p, n);
        memcpy(b->p, v->prefix, v->prefixlen);
    }
    b->p[b->n] = '\0';
    return 0;
}

/* ---- rows ------------------------------------------------------------------- */

typedef struct row_ctx {
    tg_importer *imp;
    sbuf b;     /* scratch value */
    sbuf each;  /* the "each" cell */
    sbuf par[MAX_VARS]; /* parallel cells */
    long line;  /* the row's first line */
    char adelim;
} row_ctx;

static tg_status row_oom(mapping *M)
{
    return moom(M);
}

/* An error about the value v of the current row: at its cell when it came
 * from one, else at the row. */
static tg_status row_fail(mapping *M, row_ctx *R, const tg_csv_field *cell, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static tg_status row_fail(mapping *M, row_ctx *R, const tg_csv_field *cell, const char *fmt, ...)
{
    char msg[TG_ERROR_MSG_MAX];
    va_list ap;

    (void)M;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tg_importer_fail(R->imp, TG_EDATA,
                            cell ? TG_IPOS(cell->line, cell->col) : TG_IPOS(R->line, 1), "%s", msg);
}

/* The k-th element (0-based) of s[0..n) split on sep, trimmed, in *e. */
static void element(const char *s, size_t n, char sep, size_t k, const char **e, size_t *en)
{
    size_t at = 0, i = 0;

    *e = "";
    *en = 0;
    while (at <= n) {
        const char *x = memchr(s + at, sep, n - at);
        size_t end = x ? (size_t)(x - s) : n;
        if (i == k) {
            while (at < end && (s[at] == ' ' || s[at] == '\t'))
                at++;
            while (end > at && (s[end - 1] == ' ' || s[end - 1] == '\t'))
                end--;
            *e = s + at;
            *en = end - at;
            return;
        }
        if (!x)
            return;
        i++;
        at = end + 1;
    }
}

static size_t count_elements(const char *s, size_t n, char sep)
{
    size_t c = 1, i;

    if (n == 0)
        return 0;
    for (i = 0; i < n; i++)
        c += s[i] == sep;
    return c;
}

static int cond_holds(mapping *M, row_ctx *R, const cond *c, int *err)
{
    const tg_csv_field *cell;

    *err = 0;
    if (c->kind == 0)
        return 1;
    if (c->kind == 4) {
        size_t i;
        for (i = 0; i < c->nall; i++)
            if (!cond_holds(M, R, &c->all[i], err))
                return 0;
        return 1;
    }
    if (c->kind == 3) {
        size_t total = 0;
        int k;
        for (k = 0; c->count_of[k] >= 0; k++)
            total += M->ninst[c->count_of[k]];
        return (long)total == c->count;
    }
    if (eval(M, &c->v, &R->b, &cell) != 0) {
        *err = 1;
        return 0;
    }
    if (c->kind == 1)
        return R->b.n > 0;
    return R->b.n == c->eqlen && memcmp(R->b.p, c->eq, c->eqlen) == 0;
}

/* Evaluates the properties of a spec into M->props; *np gets how many. */
static tg_status eval_props(mapping *M, row_ctx *R, const mprop *props, size_t n, size_t *np)
{
    size_t i;
    char msg[256];

    *np = 0;
    tg_i_cvals_reset(&M->vals);
    if (tg_i_grow((void **)&M->props, &M->capprops, n + 1, sizeof *M->props) != 0)
        return row_oom(M);
    for (i = 0; i < n; i++) {
        const mprop *p = &props[i];
        const tg_csv_field *cell;
        tg_iprop *ip = &M->props[*np];
        size_t bad;
        int e;
        tg_ctype t = p->v.type;
        char adelim = p->v.split ? p->v.split : R->adelim;
        if (!cond_holds(M, R, &p->when, &e)) {
            if (e)
                return row_oom(M);
            continue;
        }
        if (eval(M, &p->v, &R->b, &cell) != 0)
            return row_oom(M);
        if (R->b.n == 0)
            continue; /* empty: absent */
        memset(ip, 0, sizeof *ip);
        ip->key = p->key;
        ip->pos = cell ? TG_IPOS(cell->line, cell->col) : TG_IPOS(R->line, 1);
        int cv = tg_i_cvalue(M->g, R->b.p, R->b.n, &t, adelim, &M->vals, ip, msg, sizeof msg, &bad);
        if (cv == -2)
            return row_oom(M);
        if (cv != 0) {
            size_t klen;
            const char *key = tg_graph_str(M->g, p->key, &klen);
            return row_fail(M, R, cell, "%s (property \"%.*s\" of the mapping)", msg, (int)klen,
                            key);
        }
        (*np)++;
    }
    tg_i_cvals_fix(&M->vals, M->props, *np);
    return TG_OK;
}

static tg_status cite(mapping *M, tg_sym s)
{
    size_t k;

    for (k = 0; k < M->ncites; k++)
        if (M->cites[k] == s)
            return TG_OK;
    if (tg_i_grow((void **)&M->cites, &M->capcites, M->ncites + 1, sizeof *M->cites) != 0)
        return row_oom(M);
    M->cites[M->ncites++] = s;
    return TG_OK;
}

/* Citations (and source records) of the row. */
static tg_status row_sources(mapping *M, row_ctx *R)
{
    size_t s, k, n, f;
    tg_status st;

    M->ncites = 0;
    for (s = 0; s < M->nsrcs; s++) {
        const msource *src = &M->srcs[s];
        const tg_csv_field *cell;
        inst tmp;
        n = 1;
        memset(&tmp, 0, sizeof tmp);
        if (src->has_each) {
            if (eval(M, &src->each, &R->each, &cell) != 0)
                return row_oom(M);
            n = count_elements(R->each.p, R->each.n, src->each_sep);
        }
        for (k = 0; k < n; k++) {
            tg_isource rec;
            size_t idlen;
            char *id;
            if (src->has_each) {
                const char *e;
                size_t en;
                element(R->each.p, R->each.n, src->each_sep, k, &e, &en);
                if (en == 0)
                    continue;
                if (pool_add(M, e, en, &tmp.var_off[0]) != 0)
                    return row_oom(M);
                tmp.var_len[0] = en;
                M->cur[0] = &tmp;
            }
            if (eval(M, &src->id, &R->b, &cell) != 0)
                return row_oom(M);
            if (R->b.n == 0)
                continue;
            idlen = R->b.n;
            id = tg_i_memdup(R->b.p, idlen);
            if (!id)
                return row_oom(M);
            if (src->nfields) {
                if (tg_i_grow((void **)&M->fields, &M->capfields, src->nfields + 1,
                              sizeof *M->fields) != 0) {
                    free(id);
                    return row_oom(M);
                }
                memset(&rec, 0, sizeof rec);
                rec.fields = M->fields;
                for (f = 0; f < src->nfields; f++) {
                    const char *e;
                    size_t en;
                    if (eval(M, &src->fields[f], &R->b, &cell) != 0) {
                        free(id);
                        return row_oom(M);
                    }
                    e = R->b.p;
                    en = R->b.n;
                    if (src->fields[f].split && src->has_each)
                        element(R->b.p, R->b.n, src->fields[f].split, k, &e, &en);
                    if (en == 0)
                        continue;
                    M->fields[rec.nfields].key = src->field_keys[f];
                    M->fields[rec.nfields].value = tg_graph_intern(M->g, e, en);
                    if (!M->fields[rec.nfields].value) {
                        free(id);
                        return row_oom(M);
                    }
                    rec.nfields++;
                }
                rec.id = id;
                rec.id_len = idlen;
                rec.pos = TG_IPOS(R->line, 1);
                st = tg_importer_source(R->imp, &rec);
                if (st != TG_OK) {
                    free(id);
                    return st;
                }
            }
            if (src->has_fragment) {
                if (eval(M, &src->fragment, &R->b, &cell) != 0) {
                    free(id);
                    return row_oom(M);
                }
            } else {
                R->b.n = 0;
            }
            {
                size_t total = idlen + (R->b.n ? R->b.n + 1 : 0);
                char *c = malloc(total + 1);
                tg_sym sym;
                if (!c) {
                    free(id);
                    return row_oom(M);
                }
                memcpy(c, id, idlen);
                if (R->b.n) {
                    c[idlen] = '#';
                    memcpy(c + idlen + 1, R->b.p, R->b.n);
                }
                sym = tg_graph_intern(M->g, c, total);
                free(c);
                free(id);
                if (!sym)
                    return row_oom(M);
                if ((st = cite(M, sym)) != TG_OK)
                    return st;
            }
        }
        M->cur[0] = NULL;
    }
    return TG_OK;
}

static tg_status one_instance(mapping *M, row_ctx *R, size_t e, inst *in)
{
    const mapent *ent = &M->ents[e];
    const tg_csv_field *cell;
    tg_ientity rec;
    size_t k, nl = 0, np;
    tg_status st;

    memset(&rec, 0, sizeof rec);
    M->cur[0] = in;
    if (eval(M, &ent->id, &R->b, &cell) != 0)
        return row_oom(M);
    if (R->b.n == 0)
        return TG_OK;
    for (k = 0; k < M->ninst[e]; k++) {
        const inst *o = &M->insts[e][k];
        if (o->id_len == R->b.n && memcmp(M->pool + o->id_off, R->b.p, R->b.n) == 0)
            return TG_OK; /* one id once per row and spec */
    }
    if (pool_add(M, R->b.p, R->b.n, &in->id_off) != 0)
        return row_oom(M);
    in->id_len = R->b.n;
    rec.id_pos = cell ? TG_IPOS(cell->line, cell->col) : TG_IPOS(R->line, 1);
    if (tg_i_grow((void **)&M->labels, &M->caplabels, ent->nlabels + 1, sizeof *M->labels) != 0)
        return row_oom(M);
    for (k = 0; k < ent->nlabels; k++) {
        tg_sym l;
        size_t j;
        if (eval(M, &ent->labels[k], &R->b, &cell) != 0)
            return row_oom(M);
        if (R->b.n == 0)
            continue;
        if (!(l = tg_graph_intern(M->g, R->b.p, R->b.n)))
            return row_oom(M);
        for (j = 0; j < nl && M->labels[j] != l; j++)
            ;
        if (j == nl)
            M->labels[nl++] = l;
    }
    if ((st = eval_props(M, R, ent->props, ent->nprops, &np)) != TG_OK)
        return st;
    if (nl == 0)
        return row_fail(M, R, NULL, "entity spec \"%.*s\" made entity \"%.*s\" without a label; "
                                    "expected a label or a \"default\" in the label's \"map\"",
                        (int)ent->namelen, ent->name, (int)in->id_len, M->pool + in->id_off);
    if (tg_i_grow((void **)&M->insts[e], &M->capinst[e], M->ninst[e] + 1, sizeof **M->insts) !=
        0)
        return row_oom(M);
    M->insts[e][M->ninst[e]++] = *in;
    rec.id = M->pool + in->id_off;
    rec.id_len = in->id_len;
    rec.labels = M->labels;
    rec.nlabels = nl;
    rec.props = M->props;
    rec.nprops = np;
    rec.sources = M->cites;
    rec.nsources = M->ncites;
    rec.pos = TG_IPOS(R->line, 1);
    return tg_importer_entity(R->imp, &rec);
}

static tg_status row_entities(mapping *M, row_ctx *R)
{
    size_t e, k, n, v;
    tg_status st;
    int err;

    for (e = 0; e < M->nents; e++) {
        const mapent *ent = &M->ents[e];
        const tg_csv_field *cell;
        inst in;
        M->ninst[e] = 0;
        M->cur[0] = NULL;
        if (!cond_holds(M, R, &ent->when, &err)) {
            if (err)
                return row_oom(M);
            continue;
        }
        memset(&in, 0, sizeof in);
        if (!ent->has_each) {
            if ((st = one_instance(M, R, e, &in)) != TG_OK)
                return st;
            continue;
        }
        if (eval(M, &ent->each, &R->each, &cell) != 0)
            return row_oom(M);
        for (v = 1; v < (size_t)ent->nvars; v++)
            if (eval(M, &ent->with[v], &R->par[v], &cell) != 0)
                return row_oom(M);
        n = count_elements(R->each.p, R->each.n, ent->each_sep);
        for (k = 0; k < n; k++) {
            const char *s;
            size_t sn;
            memset(&in, 0, sizeof in);
            element(R->each.p, R->each.n, ent->each_sep, k, &s, &sn);
            if (sn == 0)
                continue;
            if (pool_add(M, s, sn, &in.var_off[0]) != 0)
                return row_oom(M);
            in.var_len[0] = sn;
            for (v = 1; v < (size_t)ent->nvars; v++) {
                element(R->par[v].p, R->par[v].n, ent->each_sep, k, &s, &sn);
                if (pool_add(M, s, sn, &in.var_off[v]) != 0)
                    return row_oom(M);
                in.var_len[v] = sn;
            }
            if ((st = one_instance(M, R, e, &in)) != TG_OK)
                return st;
        }
    }
    M->cur[0] = NULL;
    return TG_OK;
}

static tg_status row_relations(mapping *M, row_ctx *R)
{
    size_t r, a, b, np;
    tg_status st;
    int err;

    for (r = 0; r < M->nrels; r++) {
        const maprel *rel = &M->rels[r];
        const tg_csv_field *cell;
        tg_sym type;
        if (!M->ninst[rel->from] || !M->ninst[rel->to])
            continue;
        for (a = 0; a < M->ninst[rel->from]; a++)
            for (b = 0; b < M->ninst[rel->to]; b++) {
                tg_irelation rec;
                const inst *fi = &M->insts[rel->from][a], *ti = &M->insts[rel->to][b];
                char *idcopy = NULL;
                M->cur[0] = NULL;
                M->cur[1] = fi;
                M->cur[2] = ti;
                if (!cond_holds(M, R, &rel->when, &err)) {
                    if (err)
                        return row_oom(M);
                    continue;
                }
                if (eval(M, &rel->type, &R->b, &cell) != 0)
                    return row_oom(M);
                if (R->b.n == 0)
                    continue;
                if (!(type = tg_graph_intern(M->g, R->b.p, R->b.n)))
                    return row_oom(M);
                memset(&rec, 0, sizeof rec);
                if (rel->has_id) {
                    if (eval(M, &rel->id, &R->b, &cell) != 0)
                        return row_oom(M);
                    if (R->b.n) {
                        idcopy = tg_i_memdup(R->b.p, R->b.n);
                        if (!idcopy)
                            return row_oom(M);
                        rec.id = idcopy;
                        rec.id_len = R->b.n;
                        rec.id_pos = cell ? TG_IPOS(cell->line, cell->col) : TG_IPOS(R->line, 1);
                    }
                }
                if ((st = eval_props(M, R, rel->props, rel->nprops, &np)) != TG_OK) {
                    free(idcopy);
                    return st;
                }
                rec.type = type;
                rec.from = M->pool + fi->id_off;
                rec.from_len = fi->id_len;
                rec.to = M->pool + ti->id_off;
                rec.to_len = ti->id_len;
                rec.from_pos = rec.to_pos = rec.pos = TG_IPOS(R->line, 1);
                rec.props = M->props;
                rec.nprops = np;
                rec.sources = M->cites;
                rec.nsources = M->ncites;
                st = tg_importer_relation(R->imp, &rec);
                free(idcopy);
                if (st != TG_OK)
                    return st;
            }
    }
    M->cur[1] = M->cur[2] = NULL;
    return TG_OK;
}

/* ---- entry points ----------------------------------------------------------- */

static void cond_free(cond *c)
{
    size_t i;

    for (i = 0; i < c->nall; i++)
        cond_free(&c->all[i]);
    free(c->all);
    free(c->v.parts);
}

static void mapping_free(mapping *M)
{
    size_t i, k;

    for (i = 0; i < M->nents; i++) {
        mapent *e = &M->ents[i];
        free(e->id.parts);
        free(e->each.parts);
        for (k = 0; k < MAX_VARS; k++)
            free(e->with[k].parts);
        for (k = 0; k < e->nlabels; k++)
            free(e->labels[k].parts);
        for (k = 0; k < e->nprops; k++) {
            free(e->props[k].v.parts);
            cond_free(&e->props[k].when);
        }
        cond_free(&e->when);
        free(e->labels);
        free(e->props);
        free(M->insts ? M->insts[i] : NULL);
    }
    for (i = 0; i < M->nrels; i++) {
        maprel *r = &M->rels[i];
        free(r->type.parts);
        free(r->id.parts);
        cond_free(&r->when);
        for (k = 0; k < r->nprops; k++) {
            free(r->props[k].v.parts);
            cond_free(&r->props[k].when);
        }
        free(r->props);
    }
    for (i = 0; i < M->nsrcs; i++) {
        msource *s = &M->srcs[i];
        free(s->each.parts);
        free(s->id.parts);
        free(s->fragment.parts);
        for (k = 0; k < s->nfields; k++)
            free(s->fields[k].parts);
        free(s->fields);
        free(s->field_keys);
    }
    for (i = 0; i < M->nhdr; i++)
        free(M->hdr_names[i]);
    free(M->hdr_names);
    free((void *)M->hdr);
    free(M->ents);
    free(M->rels);
    free(M->srcs);
    free(M->insts);
    free(M->ninst);
    free(M->capinst);
    free(M->pool);
    free(M->cites);
    free(M->props);
    free(M->labels);
    free(M->fields);
    free(M->scratch);
    tg_i_cvals_free(&M->vals);
    tg_i_json_destroy(&M->p);
    free(M->text);
}

/* Loads and parses the mapping (a file, or a built-in one by name). */
static tg_status load_mapping(mapping *M, const tg_read_options *o, const char *builtin,
                              tg_jval *root, char *name, size_t namecap)
{
    tg_status st;

    if (o && o->map) {
        tg_input in;
        snprintf(name, namecap, "%s", o->map);
        M->file = name;
        if ((st = tg_i_input_open(&in, o->map, o->max_record, M->err)) != TG_OK)
            return st;
        st = tg_i_input_all(&in, &M->text, &M->len, M->err);
        tg_i_input_close(&in);
        if (st != TG_OK)
            return st;
    } else {
        size_t len;
        const char *t = tg_i_builtin_mapping(builtin, &len);
        snprintf(name, namecap, "loaders/mappings/%s.json", builtin);
        M->file = name;
        if (!t)
            return tg_error_set(M->err, TG_EINTERNAL, name, 0, 0,
                                "the built-in mapping \"%s\" is missing from this build", builtin);
        M->text = malloc(len + 1);
        if (!M->text)
            return moom(M);
        memcpy(M->text, t, len);
        M->text[len] = '\0';
        M->len = len;
    }
    tg_i_json_reset(&M->p, M->text, M->len, 0);
    if (M->len >= 3 && memcmp(M->text, "\xEF\xBB\xBF", 3) == 0)
        M->p.pos = 3;
    if (tg_i_json_skip_ws(&M->p) >= M->len)
        return mfail(M, 0, "empty mapping file: expected a JSON object with \"format\": "
                           "\"tiegraph-mapping/1\"");
    if (tg_i_json_value(&M->p, root) != 0) {
        if (M->p.status == TG_ENOMEM)
            return moom(M);
        return mfail(M, M->p.err_off, "%s", M->p.err_msg);
    }
    if (tg_i_json_skip_ws(&M->p) < M->len)
        return mfail(M, M->p.pos, "trailing characters after the mapping's JSON object");
    return TG_OK;
}

tg_status tg_i_read_csv_mapped(tg_importer *imp, const char *path, const tg_read_options *o,
                               const char *builtin, tg_load_counts *counts, tg_error *err)
{
    mapping M;
    tg_csv csv;
    row_ctx R;
    tg_jval root;
    const tg_csv_field *f;
    size_t n, i;
    int r, csv_open = 0;
    char name[512];
    char delim = o && o->delimiter ? o->delimiter : 0;
    tg_import_file_options fo;
    tg_status st;

    memset(&M, 0, sizeof M);
    memset(&R, 0, sizeof R);
    memset(&csv, 0, sizeof csv);
    M.err = err;
    M.g = tg_importer_graph(imp);
    R.imp = imp;
    R.adelim = o && o->array_delimiter ? o->array_delimiter : ';';
    tg_i_json_init(&M.p);
    if ((st = load_mapping(&M, o, builtin, &root, name, sizeof name)) != TG_OK)
        goto done;
    {
        const tg_jval *c = jget(&root, "csv"), *x;
        if (c && c->kind == TG_J_OBJECT) {
            if ((x = jget(c, "delimiter")) && x->kind == TG_J_STRING && x->u.s.len == 1 && !delim)
                delim = x->u.s.p[0];
            if ((x = jget(c, "array_delimiter")) && x->kind == TG_J_STRING && x->u.s.len == 1 &&
                !(o && o->array_delimiter))
                R.adelim = x->u.s.p[0];
        }
    }
    memset(&fo, 0, sizeof fo);
    fo.dups = TG_IMPORT_DUP_MERGE; /* the same lender in many rows is one entity */
    tg_importer_begin(imp, path, &fo, err);
    if ((st = tg_csv_open(&csv, path, delim, o ? o->max_record : 0, err)) != TG_OK)
        goto done;
    csv_open = 1;
    r = tg_csv_next(&csv, &f, &n, err);
    if (r <= 0) {
        st = r == 0 ? tg_error_set(err, TG_EDATA, path, 1, 1,
                                   "empty file: expected a header line naming the columns")
                    : err->status;
        goto done;
    }
    M.hdr_names = calloc(n + 1, sizeof *M.hdr_names);
    M.hdr = calloc(n + 1, sizeof *M.hdr);
    if (!M.hdr_names || !M.hdr) {
        st = moom(&M);
        goto done;
    }
    for (i = 0; i < n; i++) {
        if (!(M.hdr_names[i] = tg_i_memdup(f[i].p, f[i].len))) {
            st = moom(&M);
            goto done;
        }
        ((tg_csv_field *)M.hdr)[i] = f[i];
        ((tg_csv_field *)M.hdr)[i].p = M.hdr_names[i];
        M.nhdr = i + 1;
    }
    if ((st = compile(&M, &root, imp)) != TG_OK)
        goto done;
    while ((r = tg_csv_next(&csv, &f, &n, err)) == 1) {
        if (n != M.nhdr) {
            const tg_csv_field *where = n > M.nhdr ? &f[M.nhdr] : &f[n - 1];
            st = tg_importer_fail(imp, TG_EDATA, TG_IPOS(where->line, where->col),
                                  "this row has %zu field%s; the header has %zu", n,
                                  n == 1 ? "" : "s", M.nhdr);
            goto done;
        }
        M.row = f;
        M.nrow = n;
        M.plen = 0;
        R.line = tg_csv_row_line(&csv);
        if ((st = row_sources(&M, &R)) != TG_OK || (st = row_entities(&M, &R)) != TG_OK ||
            (st = row_relations(&M, &R)) != TG_OK)
            goto done;
        if (o && o->progress && (csv.in.line & 0xFFFF) == 0)
            o->progress->fn(o->progress->ctx, csv.in.done, csv.in.size);
    }
    if (r < 0) {
        st = err ? err->status : TG_EDATA;
        goto done;
    }
    st = tg_importer_end(imp, counts);
done:
    if (csv_open)
        tg_csv_close(&csv);
    free(R.b.p);
    free(R.each.p);
    for (i = 0; i < MAX_VARS; i++)
        free(R.par[i].p);
    mapping_free(&M);
    return st;
}

tg_status tg_i_read_gcdf(tg_importer *imp, const char *path, const tg_read_options *o,
                         tg_load_counts *counts, tg_error *err)
{
    tg_read_options x;

    memset(&x, 0, sizeof x);
    if (o)
        x = *o;
    x.map = NULL;
    return tg_i_read_csv_mapped(imp, path, &x, "gcdf", counts, err);
}

tg_status tg_i_read_aspi(tg_importer *imp, const char *path, const tg_read_options *o,
                         tg_load_counts *counts, tg_error *err)
{
    tg_read_options x;

    memset(&x, 0, sizeof x);
    if (o)
        x = *o;
    x.map = NULL;
    return tg_i_read_csv_mapped(imp, path, &x, "aspi", counts, err);
}

/* Whether the first line of head contains w. */
static int first_line_has(const char *head, size_t n, const char *w)
{
    const char *nl = memchr(head, '\n', n);
    size_t len = nl ? (size_t)(nl - head) : n, wl = strlen(w), i;

    for (i = 0; i + wl <= len; i++)
        if (memcmp(head + i, w, wl) == 0)
            return 1;
    return 0;
}

int tg_i_sniff_gcdf(const char *head, size_t n)
{
    return first_line_has(head, n, "AidData Record ID") &&
                   first_line_has(head, n, "Funding Agencies")
               ? 95
               : 0;
}

int tg_i_sniff_aspi(const char *head, size_t n)
{
    return first_line_has(head, n, "company_overseas_infrastructure_id") ? 95 : 0;
}
