/* export_csv.c — Neo4j bulk-import CSV out: a folder that
 * `neo4j-admin database import full` reads as it is, and that
 * `tiegraph import --nodes ... --relationships ... --sources ...` reads back
 * into the same store.
 *
 * Files: entities.csv (id:ID, :LABEL, one typed column per property key,
 * sources:string[]), relations.csv (:START_ID, :END_ID, :TYPE, id, typed
 * columns, sources:string[]), sources.csv (the source records, as nodes of
 * the id group Source for Neo4j), and import.txt with both commands.
 *
 * A CSV column has one type. When a key holds values of several types on
 * different items (a year as 2015 here and "2015?" there), the items are
 * split into several files, one per combination of types, so that nothing
 * is converted: entities-1.csv, entities-2.csv, ... (the order of entities
 * then follows the files). Integers are written as long, floats as double
 * (shortest form that reads back, NaN and Infinity as Java writes them),
 * the empty string as "" (an empty cell is an absent value). An empty list
 * has no CSV form and is left out. The list delimiter is ';' unless a list
 * element or label contains it; then the first of | ^ ~ \x1f that none
 * contains, named in import.txt.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "export.h"
#include "numfmt.h"
#include "output.h"
#include "readers.h"
#include "temporal.h"
#include "text.h"

/* A property column: a key and, for a file, the type written. */
typedef struct ccol {
    tg_sym key;
    int type; /* tg_vtype; for lists TG_V_LIST with elem */
    int elem;
} ccol;

/* Type codes per key: 0 absent, else 1 + type (lists: LIST_CODE + elem). */
#define LIST_CODE 16
static int code_of(const tg_pval *v)
{
    if (v->type == TG_V_LIST)
        return v->len ? LIST_CODE + v->elem : 0;
    return 1 + v->type;
}

typedef struct keyinfo {
    tg_sym key;
    int slot;   /* index among the side's keys */
    int mixed;  /* more than one type */
    int code;   /* the one type when not mixed */
} keyinfo;

typedef struct side_plan {
    tg_side side;
    keyinfo *keys;
    size_t nkeys;
    /* partition: per item, its signature group (0.. ngroups-1) */
    uint32_t *group;
    size_t ngroups;
    int **sig; /* per group, the code of each mixed key (by key index) */
} side_plan;

typedef struct cw {
    const tg_graph *g;
    tg_xplan plan;
    tg_sym s_id, s_sources;
    char adelim;
    int multiline; /* some value holds a line break: Neo4j needs --multiline-fields */
    tg_error *err;
} cw;

static int scan_code(void *ctx, tg_sym key, const tg_pval *v);

typedef struct scan_ctx {
    cw *w;
    side_plan *sp;
    int *codes; /* per key: the code seen on this item */
    int *first; /* per key: first code seen overall (0: none yet) */
} scan_ctx;

static int key_index(const side_plan *sp, tg_sym key)
{
    size_t lo = 0, hi = sp->nkeys;

    /* keys are sorted by symbol for this lookup */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sp->keys[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sp->nkeys && sp->keys[lo].key == key ? (int)lo : -1;
}

static int scan_code(void *ctx, tg_sym key, const tg_pval *v)
{
    scan_ctx *c = ctx;
    int k = key_index(c->sp, key);

    if (k < 0)
        return 0;
    c->codes[k] = code_of(v);
    return 0;
}

static int cmp_keyinfo(const void *a, const void *b)
{
    const keyinfo *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

static int selected(const cw *w, tg_side side, size_t i)
{
    return side == TG_ENTITY ? tg_i_xplan_has_ent(&w->plan, (uint32_t)i)
                             : tg_i_xplan_has_rel(&w->plan, (uint32_t)i);
}

/* Finds the keys of a side, which ones hold several types, and groups the
 * items by the types of those keys. */
static tg_status plan_side(cw *w, side_plan *sp, tg_side side)
{
    const tg_sym *keys;
    size_t nk = tg_graph_prop_keys(w->g, side, &keys), n, i, k;
    int *codes = NULL, *first = NULL, **sigs = NULL;
    size_t nmixed = 0, cap = 0;
    scan_ctx sc;
    tg_status st = TG_OK;

    memset(sp, 0, sizeof *sp);
    sp->side = side;
    n = side == TG_ENTITY ? tg_graph_entity_count(w->g) : tg_graph_relation_count(w->g);
    sp->keys = calloc(nk + 1, sizeof *sp->keys);
    codes = calloc(nk + 1, sizeof *codes);
    first = calloc(nk + 1, sizeof *first);
    sp->group = calloc(n + 1, sizeof *sp->group);
    if (!sp->keys || !codes || !first || !sp->group)
        goto nomem;
    for (i = 0; i < nk; i++) {
        if (keys[i] == w->s_sources || (keys[i] == w->s_id))
            continue; /* written in their own columns */
        sp->keys[sp->nkeys].key = keys[i];
        sp->nkeys++;
    }
    qsort(sp->keys, sp->nkeys, sizeof *sp->keys, cmp_keyinfo);
    sc.w = w;
    sc.sp = sp;
    sc.codes = codes;
    sc.first = first;
    /* pass 1: which keys are mixed */
    for (i = 0; i < n; i++) {
        if (!selected(w, side, i))
            continue;
        memset(codes, 0, (nk + 1) * sizeof *codes);
        tg_graph_each_prop(w->g, side, (uint32_t)i, scan_code, &sc);
        for (k = 0; k < sp->nkeys; k++) {
            if (!codes[k])
                continue;
            if (!first[k])
                first[k] = codes[k];
            else if (first[k] != codes[k])
                sp->keys[k].mixed = 1;
        }
    }
    for (k = 0; k < sp->nkeys; k++) {
        sp->keys[k].code = first[k];
        if (sp->keys[k].mixed)
            sp->keys[k].slot = (int)nmixed++;
    }
    /* pass 2: group items by the codes of the mixed keys */
    if (nmixed) {
        for (i = 0; i < n; i++) {
            size_t gi;
            if (!selected(w, side, i))
                continue;
            memset(codes, 0, (nk + 1) * sizeof *codes);
            tg_graph_each_prop(w->g, side, (uint32_t)i, scan_code, &sc);
            for (gi = 0; gi < sp->ngroups; gi++) {
                for (k = 0; k < sp->nkeys; k++)
                    if (sp->keys[k].mixed && sigs[gi][sp->keys[k].slot] != codes[k])
                        break;
                if (k == sp->nkeys)
                    break;
            }
            if (gi == sp->ngroups) {
                if (tg_i_grow((void **)&sigs, &cap, sp->ngroups + 1, sizeof *sigs) != 0 ||
                    !(sigs[sp->ngroups] = calloc(nmixed, sizeof **sigs)))
                    goto nomem;
                for (k = 0; k < sp->nkeys; k++)
                    if (sp->keys[k].mixed)
                        sigs[sp->ngroups][sp->keys[k].slot] = codes[k];
                sp->ngroups++;
            }
            sp->group[i] = (uint32_t)gi;
        }
    } else {
        sp->ngroups = 1;
    }
    sp->sig = sigs;
    sigs = NULL;
    goto done;
nomem:
    st = tg_error_set(w->err, TG_ENOMEM, NULL, 0, 0, "out of memory planning the CSV export");
done:
    free(codes);
    free(first);
    if (sigs) {
        for (i = 0; i < sp->ngroups; i++)
            free(sigs[i]);
        free(sigs);
    }
    return st;
}

static void side_free(side_plan *sp)
{
    size_t i;

    for (i = 0; sp->sig && i < sp->ngroups; i++)
        free(sp->sig[i]);
    free(sp->sig);
    free(sp->keys);
    free(sp->group);
}

/* The code key k is written with in group gi (0: not in this file). */
static int group_code(const side_plan *sp, size_t k, size_t gi)
{
    if (!sp->keys[k].mixed)
        return sp->keys[k].code;
    return sp->sig ? sp->sig[gi][sp->keys[k].slot] : 0;
}

/* The Neo4j type of a code: long, double, boolean, string, a temporal
 * (date, localtime, time, localdatetime, datetime, duration), or a list. */
static const char *type_name(int code)
{
    /* by tg_vtype */
    static const char *const names[] = {"string", "boolean",       "long",     "double",
                                        "string", "string",        "date",     "localtime",
                                        "time",   "localdatetime", "datetime", "duration"};
    static const char *const lists[] = {"string[]", "boolean[]",       "long[]",     "double[]",
                                        "string[]", "string[]",        "date[]",     "localtime[]",
                                        "time[]",   "localdatetime[]", "datetime[]", "duration[]"};
    int list = code >= LIST_CODE, t = list ? code - LIST_CODE : code - 1;

    if (t < 0 || t >= (int)(sizeof names / sizeof names[0]))
        t = 0;
    return list ? lists[t] : names[t];
}

/* ---- cells -------------------------------------------------------------------- */

static void cell_string(cw *w, tg_out *o, const char *s, size_t len)
{
    size_t i;
    int quote = len == 0;

    for (i = 0; i < len && !quote; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            quote = 1;
    if (memchr(s, '\n', len) || memchr(s, '\r', len))
        w->multiline = 1;
    if (!quote) {
        tg_i_out_write(o, s, len);
        return;
    }
    tg_i_out_char(o, '"');
    for (i = 0; i < len; i++) {
        if (s[i] == '"')
            tg_i_out_char(o, '"');
        tg_i_out_char(o, s[i]);
    }
    tg_i_out_char(o, '"');
}

/* A scalar as the text of a cell (before quoting); buf holds
 * TG_TIME_TEXT_MAX bytes. */
static size_t scalar_text(const cw *w, const tg_pval *v, char *buf, const char **s)
{
    switch (v->type) {
    case TG_V_BOOL: *s = v->u.b ? "true" : "false"; return strlen(*s);
    case TG_V_INT:
        snprintf(buf, 32, "%lld", (long long)v->u.i);
        *s = buf;
        return strlen(buf);
    case TG_V_FLOAT:
        tg_format_double(v->u.f, buf);
        *s = buf;
        return strlen(buf);
    case TG_V_STRING: {
        size_t len;
        *s = tg_graph_str(w->g, v->u.s, &len);
        return len;
    }
    default: {
        tg_temporal t;
        if (!tg_graph_temporal(w->g, v, &t)) {
            *s = "";
            return 0;
        }
        *s = buf;
        return tg_time_format(&t, buf); /* ISO 8601, as neo4j-admin reads it */
    }
    }
}

/* Writes value v as a cell; a list joined with the array delimiter. */
static tg_status cell_value(cw *w, tg_out *o, const tg_pval *v, char **tmp, size_t *tcap)
{
    char buf[TG_TIME_TEXT_MAX];
    const char *s;
    size_t len, n = 0, i;

    if (v->type != TG_V_LIST) {
        len = scalar_text(w, v, buf, &s);
        cell_string(w, o, s, len);
        return TG_OK;
    }
    {
        const tg_pval *items = tg_graph_list(w->g, v);
        for (i = 0; i < v->len; i++) {
            len = scalar_text(w, &items[i], buf, &s);
            if (tg_i_grow((void **)tmp, tcap, n + len + 2, 1) != 0)
                return tg_error_set(w->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            if (i)
                (*tmp)[n++] = w->adelim;
            memcpy(*tmp + n, s, len);
            n += len;
        }
    }
    if (n == 0 && v->len == 1) {
        /* [""]: a quoted empty cell reads back as one empty string */
        tg_i_out_puts(o, "\"\"");
        return TG_OK;
    }
    cell_string(w, o, *tmp ? *tmp : "", n);
    return TG_OK;
}

/* Whether c occurs in any label, list element or string source citation. */
static int delimiter_used(const cw *w, char c)
{
    size_t i, n;
    const tg_sym *labels;

    n = tg_graph_entity_count(w->g);
    for (i = 0; i < n; i++) {
        size_t nl, k;
        if (!tg_i_xplan_has_ent(&w->plan, (uint32_t)i))
            continue;
        nl = tg_graph_labels(w->g, (tg_ent)i, &labels);
        for (k = 0; k < nl; k++) {
            size_t len;
            const char *s = tg_graph_str(w->g, labels[k], &len);
            if (memchr(s, c, len))
                return 1;
        }
    }
    return 0;
}

typedef struct lscan {
    const cw *w;
    char c;
    int found;
} lscan;

static int list_has(void *ctx, tg_sym key, const tg_pval *v)
{
    lscan *l = ctx;
    const tg_pval *items;
    uint32_t i;

    (void)key;
    if (v->type != TG_V_LIST || v->elem != TG_V_STRING)
        return 0;
    items = tg_graph_list(l->w->g, v);
    for (i = 0; i < v->len; i++) {
        size_t len;
        const char *s = tg_graph_str(l->w->g, items[i].u.s, &len);
        if (memchr(s, l->c, len)) {
            l->found = 1;
            return 1;
        }
    }
    return 0;
}

static char choose_delimiter(const cw *w, char wanted)
{
    static const char cands[] = {';', '|', '^', '~', '\x1f'};
    size_t k, i;

    for (k = 0; k < sizeof cands; k++) {
        char c = k == 0 && wanted ? wanted : cands[k];
        lscan l = {w, c, 0};
        if (delimiter_used(w, c))
            continue;
        for (i = 0; i < tg_graph_entity_count(w->g) && !l.found; i++)
            if (tg_i_xplan_has_ent(&w->plan, (uint32_t)i))
                tg_graph_each_prop(w->g, TG_ENTITY, (uint32_t)i, list_has, &l);
        for (i = 0; i < tg_graph_relation_count(w->g) && !l.found; i++)
            if (tg_i_xplan_has_rel(&w->plan, (uint32_t)i))
                tg_graph_each_prop(w->g, TG_RELATION, (uint32_t)i, list_has, &l);
        if (!l.found)
            return c;
        if (wanted && k == 0)
            return wanted; /* the user's choice, even if ambiguous: they asked */
    }
    return '\x1f';
}

/* ---- files ---------------------------------------------------------------------- */

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (p)
        snprintf(p, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return p;
}

static void file_name(char *buf, size_t cap, const char *base, const side_plan *sp, size_t gi)
{
    if (sp->ngroups <= 1)
        snprintf(buf, cap, "%s.csv", base);
    else
        snprintf(buf, cap, "%s-%zu.csv", base, gi + 1);
}

static tg_status write_side(cw *w, const char *dir, const side_plan *sp, size_t gi,
                            const char *fname)
{
    tg_out o;
    char *path = join(dir, fname), *tmp = NULL;
    size_t tcap = 0, n, i, k;
    tg_status st;
    int any = 0;

    if (!path)
        return tg_error_set(w->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    if ((st = tg_i_out_open(&o, path, w->err)) != TG_OK) {
        free(path);
        return st;
    }
    /* header */
    if (sp->side == TG_ENTITY)
        tg_i_out_puts(&o, "id:ID,:LABEL");
    else
        tg_i_out_puts(&o, ":START_ID,:END_ID,:TYPE,id");
    for (k = 0; k < sp->nkeys; k++) {
        size_t len;
        const char *key;
        int code = group_code(sp, k, gi);
        if (!code)
            continue;
        key = tg_graph_str(w->g, sp->keys[k].key, &len);
        tg_i_out_char(&o, ',');
        /* a key with ':' or ',' would break the header: quote it */
        {
            char h[512];
            snprintf(h, sizeof h, "%.*s:%s", (int)(len > 400 ? 400 : len), key, type_name(code));
            cell_string(w, &o, h, strlen(h));
        }
    }
    tg_i_out_puts(&o, ",sources:string[]\n");
    n = sp->side == TG_ENTITY ? tg_graph_entity_count(w->g) : tg_graph_relation_count(w->g);
    for (i = 0; i < n && st == TG_OK; i++) {
        if (!selected(w, sp->side, i) || (sp->ngroups > 1 && sp->group[i] != gi))
            continue;
        any = 1;
        if (sp->side == TG_ENTITY) {
            const tg_sym *labels;
            size_t nl = tg_graph_labels(w->g, (tg_ent)i, &labels), len, j, m = 0;
            const char *s = tg_graph_str(w->g, tg_graph_entity_id(w->g, (tg_ent)i), &len);
            cell_string(w, &o, s, len);
            tg_i_out_char(&o, ',');
            for (j = 0; j < nl; j++) {
                size_t ll;
                const char *l = tg_graph_str(w->g, labels[j], &ll);
                if (tg_i_grow((void **)&tmp, &tcap, m + ll + 2, 1) != 0) {
                    st = tg_error_set(w->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
                    break;
                }
                if (j)
                    tmp[m++] = w->adelim;
                memcpy(tmp + m, l, ll);
                m += ll;
            }
            if (nl)
                cell_string(w, &o, tmp, m);
        } else {
            size_t len;
            const tg_pval *id = tg_graph_prop(w->g, TG_RELATION, (uint32_t)i, w->s_id);
            const char *s = tg_graph_str(w->g, tg_graph_entity_id(w->g, tg_graph_rel_from(w->g, (tg_rel)i)), &len);
            cell_string(w, &o, s, len);
            tg_i_out_char(&o, ',');
            s = tg_graph_str(w->g, tg_graph_entity_id(w->g, tg_graph_rel_to(w->g, (tg_rel)i)), &len);
            cell_string(w, &o, s, len);
            tg_i_out_char(&o, ',');
            s = tg_graph_str(w->g, tg_graph_rel_type(w->g, (tg_rel)i), &len);
            cell_string(w, &o, s, len);
            tg_i_out_char(&o, ',');
            if (id && id->type == TG_V_STRING) {
                s = tg_graph_str(w->g, id->u.s, &len);
                cell_string(w, &o, s, len);
            }
        }
        for (k = 0; k < sp->nkeys && st == TG_OK; k++) {
            const tg_pval *v;
            int code = group_code(sp, k, gi);
            if (!code)
                continue;
            tg_i_out_char(&o, ',');
            v = tg_graph_prop(w->g, sp->side, (uint32_t)i, sp->keys[k].key);
            if (v && code_of(v) == code)
                st = cell_value(w, &o, v, &tmp, &tcap);
        }
        tg_i_out_char(&o, ',');
        {
            const tg_pval *src = tg_graph_prop(w->g, sp->side, (uint32_t)i, w->s_sources);
            if (src && src->type == TG_V_LIST && src->elem == TG_V_STRING && src->len)
                st = cell_value(w, &o, src, &tmp, &tcap);
        }
        tg_i_out_char(&o, '\n');
    }
    free(tmp);
    (void)any;
    if (st != TG_OK) {
        tg_i_out_abort(&o);
        free(path);
        return st;
    }
    st = tg_i_out_commit(&o, w->err);
    free(path);
    return st;
}

static tg_status write_sources(cw *w, const char *dir, int *wrote)
{
    size_t n = tg_graph_source_count(w->g), i, k, j, nkeys = 0, cap = 0;
    tg_sym *keys = NULL;
    tg_out o;
    char *path;
    tg_status st;

    *wrote = 0;
    if (!w->plan.nsrcs)
        return TG_OK;
    for (i = 0; i < n; i++) {
        const tg_source_field *f;
        size_t nf;
        if (!w->plan.srcs[i])
            continue;
        nf = tg_graph_source_fields(w->g, (uint32_t)i, &f);
        for (k = 0; k < nf; k++) {
            for (j = 0; j < nkeys && keys[j] != f[k].key; j++)
                ;
            if (j < nkeys)
                continue;
            if (tg_i_grow((void **)&keys, &cap, nkeys + 1, sizeof *keys) != 0) {
                free(keys);
                return tg_error_set(w->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            }
            keys[nkeys++] = f[k].key;
        }
    }
    if (!(path = join(dir, "sources.csv"))) {
        free(keys);
        return tg_error_set(w->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if ((st = tg_i_out_open(&o, path, w->err)) != TG_OK) {
        free(keys);
        free(path);
        return st;
    }
    tg_i_out_puts(&o, "id:ID(Source),:LABEL");
    for (j = 0; j < nkeys; j++) {
        size_t len;
        const char *s = tg_graph_str(w->g, keys[j], &len);
        char h[512];
        snprintf(h, sizeof h, "%.*s:string", (int)(len > 400 ? 400 : len), s);
        tg_i_out_char(&o, ',');
        cell_string(w, &o, h, strlen(h));
    }
    tg_i_out_char(&o, '\n');
    for (i = 0; i < n; i++) {
        const tg_source_field *f;
        size_t nf, len;
        const char *s;
        if (!w->plan.srcs[i])
            continue;
        s = tg_graph_str(w->g, tg_graph_source_id(w->g, (uint32_t)i), &len);
        cell_string(w, &o, s, len);
        tg_i_out_puts(&o, ",Source");
        nf = tg_graph_source_fields(w->g, (uint32_t)i, &f);
        for (j = 0; j < nkeys; j++) {
            tg_i_out_char(&o, ',');
            for (k = 0; k < nf && f[k].key != keys[j]; k++)
                ;
            if (k < nf) {
                s = tg_graph_str(w->g, f[k].value, &len);
                cell_string(w, &o, s, len);
            }
        }
        tg_i_out_char(&o, '\n');
    }
    free(keys);
    st = tg_i_out_commit(&o, w->err);
    free(path);
    *wrote = st == TG_OK;
    return st;
}

/* import.txt: the commands that read the folder back. */
static tg_status write_readme(cw *w, const char *dir, const side_plan *es, const side_plan *rs,
                              int sources)
{
    tg_out o;
    char *path = join(dir, "import.txt"), name[64], delim[16];
    size_t gi;
    tg_status st;

    if (!path)
        return tg_error_set(w->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    if ((st = tg_i_out_open(&o, path, w->err)) != TG_OK) {
        free(path);
        return st;
    }
    if (w->adelim == '\x1f')
        snprintf(delim, sizeof delim, "$'\\x1f'");
    else
        snprintf(delim, sizeof delim, "'%c'", w->adelim);
    tg_i_out_puts(&o, "# Written by `tiegraph export --to csv`: Neo4j bulk-import files.\n"
                      "# Run the commands in this folder.\n\n# Neo4j 5 (the database must be "
                      "new or stopped):\nneo4j-admin database import full --array-delimiter=");
    tg_i_out_puts(&o, delim);
    if (w->multiline)
        tg_i_out_puts(&o, " --multiline-fields=true");
    for (gi = 0; gi < es->ngroups; gi++) {
        file_name(name, sizeof name, "entities", es, gi);
        tg_i_out_puts(&o, " --nodes=");
        tg_i_out_puts(&o, name);
    }
    if (sources)
        tg_i_out_puts(&o, " --nodes=sources.csv");
    for (gi = 0; gi < rs->ngroups; gi++) {
        file_name(name, sizeof name, "relations", rs, gi);
        tg_i_out_puts(&o, " --relationships=");
        tg_i_out_puts(&o, name);
    }
    tg_i_out_puts(&o, " neo4j\n\n# tiegraph (gives back the same store):\ntiegraph import "
                      "--array-delimiter ");
    tg_i_out_puts(&o, delim);
    if (sources)
        tg_i_out_puts(&o, " --sources sources.csv");
    for (gi = 0; gi < es->ngroups; gi++) {
        file_name(name, sizeof name, "entities", es, gi);
        tg_i_out_puts(&o, " --nodes ");
        tg_i_out_puts(&o, name);
    }
    for (gi = 0; gi < rs->ngroups; gi++) {
        file_name(name, sizeof name, "relations", rs, gi);
        tg_i_out_puts(&o, " --relationships ");
        tg_i_out_puts(&o, name);
    }
    tg_i_out_puts(&o, "\n");
    st = tg_i_out_commit(&o, w->err);
    free(path);
    return st;
}

tg_status tg_i_write_csv(const tg_graph *g, const char *out, const tg_write_options *opt,
                         tg_error *err)
{
    cw w;
    side_plan es, rs;
    size_t gi;
    char name[64];
    int sources = 0;
    tg_status st;
    struct stat sb;

    memset(&w, 0, sizeof w);
    memset(&es, 0, sizeof es);
    memset(&rs, 0, sizeof rs);
    w.g = g;
    w.err = err;
    w.s_id = tg_graph_sym(g, "id", 2);
    w.s_sources = tg_graph_sym(g, "sources", 7);
    if (stat(out, &sb) == 0 && !S_ISDIR(sb.st_mode))
        return tg_error_set(err, TG_EIO, out, 0, 0,
                            "cannot write CSV files into \"%s\": it is a file; expected a folder "
                            "(created when missing)",
                            out);
    if (stat(out, &sb) != 0 && mkdir(out, 0777) != 0)
        return tg_error_set(err, TG_EIO, out, 0, 0, "cannot create the folder \"%s\": %s", out,
                            strerror(errno));
    if ((st = tg_i_xplan_init(&w.plan, g, opt ? opt->sel : NULL, err)) != TG_OK)
        return st;
    w.adelim = choose_delimiter(&w, opt ? opt->array_delimiter : 0);
    if ((st = plan_side(&w, &es, TG_ENTITY)) != TG_OK || (st = plan_side(&w, &rs, TG_RELATION)) != TG_OK)
        goto done;
    for (gi = 0; gi < es.ngroups && st == TG_OK; gi++) {
        file_name(name, sizeof name, "entities", &es, gi);
        st = write_side(&w, out, &es, gi, name);
    }
    for (gi = 0; gi < rs.ngroups && st == TG_OK; gi++) {
        file_name(name, sizeof name, "relations", &rs, gi);
        st = write_side(&w, out, &rs, gi, name);
    }
    if (st == TG_OK)
        st = write_sources(&w, out, &sources);
    if (st == TG_OK)
        st = write_readme(&w, out, &es, &rs, sources);
done:
    side_free(&es);
    side_free(&rs);
    tg_i_xplan_destroy(&w.plan);
    return st;
}
