/* csv_loader.c — CSV with Neo4j bulk-import headers into the importer.
 *
 * A header names each column `name:type` or a special kind:
 *   id:ID, :ID, :ID(Group)          the entity id (a name stores it as that property too)
 *   :LABEL                          labels, separated by the array delimiter
 *   :START_ID, :END_ID (Group)      a relation's endpoints
 *   :TYPE                           a relation's type
 *   :IGNORE                         a column left out
 *   sources:string[]                the evidence ("aspi-2019#47"), as in tiegraph/1
 *   id (on relations)               the relation's identity (merges on re-import)
 *   name, name:string, year:int, amount:float, flag:boolean, tags:string[]
 * With a group, an id is stored as "Group:value" (Neo4j keeps one id space
 * per group; tiegraph has one for the whole store).
 *
 * A file is a nodes file when its header has an :ID column, a relationships
 * file when it has :START_ID and :END_ID, a sources file when given with
 * --sources; the role from the command line wins. Empty unquoted cells are
 * absent; "" is the empty string (for string columns). Every row must have
 * as many fields as the header. Errors name the file, line and column of the
 * cell (or of the header column).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_reader.h"
#include "csv_values.h"
#include "readers.h"
#include "text.h"

enum kind { K_PROP, K_ID, K_LABEL, K_START, K_END, K_TYPE, K_IGNORE, K_SOURCES, K_RELID };

typedef struct column {
    enum kind kind;
    tg_sym key; /* K_PROP, and K_ID with a name */
    tg_ctype type;
    char *group; /* for K_ID, K_START, K_END: NULL or the group (owned) */
} column;

typedef struct reader {
    tg_importer *imp;
    tg_graph *g;
    tg_error *err;
    const tg_read_options *o;
    tg_csv csv;
    const char *path;
    char adelim;
    tg_csv_role role;
    column *cols;
    size_t ncols;
    long header_line;
    /* fixed labels / type from the command line */
    tg_sym *fixed;
    size_t nfixed, capfixed;
    tg_sym fixed_type;
    /* per-row scratch */
    tg_iprop *props;
    size_t capprops;
    tg_sym *labels, *srcs;
    size_t caplabels, capsrcs;
    tg_cvals vals;
    char *idbuf[2];
    size_t idcap[2];
    tg_source_field *fields;
    size_t capfields;
} reader;

static tg_status oom(reader *R)
{
    return tg_error_set(R->err, TG_ENOMEM, R->path, 0, 0, "out of memory reading \"%s\"",
                        R->path);
}

static tg_status at(reader *R, const tg_csv_field *f, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static tg_status at(reader *R, const tg_csv_field *f, const char *fmt, ...)
{
    char msg[TG_ERROR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tg_importer_fail(R->imp, TG_EDATA, TG_IPOS(f->line, f->col), "%s", msg);
}

/* An error at header cell f of file (the data file, or a separate header
 * file given with the group). */
static tg_status hat(reader *R, const tg_csv_field *f, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static tg_status hat(reader *R, const tg_csv_field *f, const char *fmt, ...)
{
    char msg[TG_ERROR_MSG_MAX];
    va_list ap;
    const char *file = R->o && R->o->header ? R->o->header : R->path;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tg_error_set(R->err, TG_EDATA, file, f->line, f->col, "%s", msg);
}

/* The last ':' in s[0..len), or NULL. */
static const char *last_colon(const char *s, size_t len)
{
    while (len-- > 0)
        if (s[len] == ':')
            return s + len;
    return NULL;
}

/* Splits s on the array delimiter into interned labels appended to *out. */
static tg_status split_labels(reader *R, const char *s, size_t len, char delim, tg_sym **out,
                              size_t *n, size_t *cap)
{
    size_t at_ = 0;

    while (at_ < len) {
        const char *e = memchr(s + at_, delim, len - at_);
        size_t end = e ? (size_t)(e - s) : len, k;
        if (end > at_) {
            tg_sym l = tg_graph_intern(R->g, s + at_, end - at_);
            if (!l)
                return oom(R);
            for (k = 0; k < *n && (*out)[k] != l; k++)
                ;
            if (k == *n) {
                if (tg_i_grow((void **)out, cap, *n + 1, sizeof **out) != 0)
                    return oom(R);
                (*out)[(*n)++] = l;
            }
        }
        at_ = end + 1;
    }
    return TG_OK;
}

/* ---- the header ------------------------------------------------------------ */

static const struct {
    const char *name;
    enum kind kind;
} specials[] = {{"ID", K_ID},         {"LABEL", K_LABEL}, {"START_ID", K_START},
                {"END_ID", K_END},    {"TYPE", K_TYPE},   {"IGNORE", K_IGNORE}};

static tg_status header_column(reader *R, const tg_csv_field *f, column *c)
{
    const char *colon = last_colon(f->p, f->len), *t, *paren;
    size_t nlen, tlen, k;
    char q[96];

    memset(c, 0, sizeof *c);
    c->kind = K_PROP;
    c->type.vtype = TG_V_STRING;
    if (f->len == 0)
        return hat(R, f, "empty column name in the header; expected a name such as \"name\" or "
                        "\"amount:float\", or :IGNORE");
    if (!colon) {
        colon = f->p + f->len;
        t = colon;
        tlen = 0;
    } else {
        t = colon + 1;
        tlen = f->len - (size_t)(t - f->p);
    }
    nlen = (size_t)(colon - f->p);
    /* special kinds, with an optional (Group) */
    paren = tlen ? memchr(t, '(', tlen) : NULL;
    for (k = 0; k < sizeof specials / sizeof specials[0]; k++) {
        size_t sl = strlen(specials[k].name);
        size_t base = paren ? (size_t)(paren - t) : tlen;
        if (base != sl || strncasecmp(t, specials[k].name, sl) != 0)
            continue;
        c->kind = specials[k].kind;
        if (paren) {
            size_t glen = tlen - (size_t)(paren - t);
            if (glen < 3 || t[tlen - 1] != ')' ||
                (c->kind != K_ID && c->kind != K_START && c->kind != K_END))
                return hat(R, f, "bad column %s; expected an id group written as :ID(Group)",
                          tg_i_quote(q, sizeof q, f->p, f->len));
            c->group = tg_i_memdup(paren + 1, glen - 2);
            if (!c->group)
                return oom(R);
        }
        if (nlen && c->kind == K_ID) {
            c->key = tg_graph_intern(R->g, f->p, nlen);
            if (!c->key)
                return oom(R);
        }
        return TG_OK;
    }
    if (tlen && tg_i_ctype_parse(t, tlen, &c->type) != 0) {
        if (tlen == 5 && strncasecmp(t, "point", 5) == 0)
            return hat(R, f, "column %s: the point type is not supported; expected one of "
                            TG_CTYPE_NAMES,
                      tg_i_quote(q, sizeof q, f->p, f->len));
        return hat(R, f, "unknown type \"%.*s\" in column %s; expected one of " TG_CTYPE_NAMES,
                  (int)tlen, t, tg_i_quote(q, sizeof q, f->p, f->len));
    }
    if (nlen == 0)
        return hat(R, f, "column %s has no name; expected name:type such as \"amount:float\"",
                  tg_i_quote(q, sizeof q, f->p, f->len));
    c->key = tg_graph_intern(R->g, f->p, nlen);
    if (!c->key)
        return oom(R);
    if (nlen == 7 && memcmp(f->p, "sources", 7) == 0) {
        if (c->type.vtype != TG_V_STRING)
            return hat(R, f, "column \"sources\" holds source ids; expected sources:string[]");
        c->kind = K_SOURCES;
    } else if (nlen == 6 && memcmp(f->p, "labels", 6) == 0 && !tlen) {
        c->kind = K_LABEL; /* a plain "labels" column, as some exports write */
    }
    return TG_OK;
}

/* Reads the header row (from the file, or from o->header) and decides the
 * role. */
static tg_status read_header(reader *R)
{
    const tg_csv_field *f;
    size_t n, i;
    int r, has[K_RELID + 1] = {0};
    tg_csv hc, *src = &R->csv;
    tg_status st = TG_OK;
    const char *hpath = R->o && R->o->header ? R->o->header : NULL;
    char q[96];

    if (hpath) {
        if ((st = tg_csv_open(&hc, hpath, R->csv.delim, R->o->max_record, R->err)) != TG_OK)
            return st;
        src = &hc;
    }
    r = tg_csv_next(src, &f, &n, R->err);
    if (r <= 0) {
        if (r == 0)
            st = tg_error_set(R->err, TG_EDATA, hpath ? hpath : R->path, 1, 1,
                              "empty file: expected a header line such as "
                              "\"id:ID,:LABEL,name\"");
        else
            st = R->err->status;
        goto done;
    }
    R->header_line = tg_csv_row_line(src);
    R->cols = calloc(n, sizeof *R->cols);
    if (!R->cols) {
        st = oom(R);
        goto done;
    }
    R->ncols = n;
    for (i = 0; i < n; i++) {
        st = header_column(R, &f[i], &R->cols[i]);
        if (st != TG_OK)
            goto done;
        has[R->cols[i].kind]++;
        if (R->cols[i].kind != K_PROP && R->cols[i].kind != K_IGNORE && has[R->cols[i].kind] > 1 &&
            R->cols[i].kind != K_ID) {
            st = hat(R, &f[i], "column %s is given twice in the header",
                    tg_i_quote(q, sizeof q, f[i].p, f[i].len));
            goto done;
        }
        for (size_t k = 0; k < i; k++)
            if (R->cols[i].kind == K_PROP && R->cols[k].kind == K_PROP &&
                R->cols[k].key == R->cols[i].key) {
                st = hat(R, &f[i], "property column %s is given twice in the header",
                        tg_i_quote(q, sizeof q, f[i].p, f[i].len));
                goto done;
            }
    }
    if (R->role == TG_CSV_AUTO)
        R->role = has[K_START] || has[K_END] ? TG_CSV_RELATIONSHIPS
                  : has[K_ID]                ? TG_CSV_NODES
                                             : TG_CSV_AUTO;
    if (R->role == TG_CSV_AUTO) {
        st = tg_error_set(R->err, TG_EDATA, hpath ? hpath : R->path, R->header_line, 1,
                          "the header has no id:ID column (entities) and no :START_ID/:END_ID "
                          "columns (relations), so this is not a Neo4j bulk-import CSV; "
                          "expected such a header, or a mapping that says what the columns "
                          "mean: tiegraph import --map MAP.json FILE (docs/formats.md, "
                          "\"Mappings\")");
        goto done;
    }
    if (R->role == TG_CSV_NODES && has[K_ID] != 1)
        st = tg_error_set(R->err, TG_EDATA, hpath ? hpath : R->path, R->header_line, 1,
                          "the header has %d :ID columns; expected one such as \"id:ID\" "
                          "(entities need an id)",
                          has[K_ID]);
    else if (R->role == TG_CSV_RELATIONSHIPS && (!has[K_START] || !has[K_END]))
        st = tg_error_set(R->err, TG_EDATA, hpath ? hpath : R->path, R->header_line, 1,
                          "the header has no %s column; expected :START_ID and :END_ID",
                          has[K_START] ? ":END_ID" : ":START_ID");
    else if (R->role == TG_CSV_RELATIONSHIPS && !has[K_TYPE] && !R->fixed_type)
        st = tg_error_set(R->err, TG_EDATA, hpath ? hpath : R->path, R->header_line, 1,
                          "the header has no :TYPE column; expected one, or the type given as "
                          "--relationships TYPE=FILE");
    else if (R->role == TG_CSV_SOURCES && has[K_ID] != 1)
        st = tg_error_set(R->err, TG_EDATA, hpath ? hpath : R->path, R->header_line, 1,
                          "a sources file needs one id:ID column; expected a header such as "
                          "\"id:ID,title,publisher,date,url\"");
    if (st == TG_OK && R->role == TG_CSV_RELATIONSHIPS)
        for (i = 0; i < n; i++)
            if (R->cols[i].kind == K_PROP && R->cols[i].key == tg_graph_intern(R->g, "id", 2)) {
                if (R->cols[i].type.vtype != TG_V_STRING || R->cols[i].type.list) {
                    st = hat(R, &f[i], "a relation's \"id\" is its identity; expected a string "
                                      "column");
                    break;
                }
                R->cols[i].kind = K_RELID;
            }
done:
    if (hpath)
        tg_csv_close(&hc);
    return st;
}

/* ---- rows ------------------------------------------------------------------- */

/* The id of cell f for a column with this group: the value, or Group:value.
 * slot picks one of two buffers (a relation needs two at once). */
static tg_status make_id(reader *R, const column *c, const tg_csv_field *f, int slot,
                         const char **id, size_t *len)
{
    size_t glen;

    if (!c->group) {
        *id = f->p;
        *len = f->len;
        return TG_OK;
    }
    glen = strlen(c->group);
    if (tg_i_grow((void **)&R->idbuf[slot], &R->idcap[slot], glen + f->len + 2, 1) != 0)
        return oom(R);
    memcpy(R->idbuf[slot], c->group, glen);
    R->idbuf[slot][glen] = ':';
    memcpy(R->idbuf[slot] + glen + 1, f->p, f->len);
    *id = R->idbuf[slot];
    *len = glen + 1 + f->len;
    return TG_OK;
}

static tg_status row(reader *R, const tg_csv_field *f, size_t n)
{
    size_t i, np = 0, nl = 0, ns = 0, nfields = 0;
    const tg_csv_field *idf = NULL, *startf = NULL, *endf = NULL, *typef = NULL, *relidf = NULL;
    const column *idc = NULL, *startc = NULL, *endc = NULL;
    tg_sym type = R->fixed_type;
    tg_status st;
    char msg[256];
    size_t bad;

    if (n != R->ncols) {
        const tg_csv_field *where = n > R->ncols ? &f[R->ncols] : &f[n - 1];
        return at(R, where, "this row has %zu field%s; the header (line %ld) has %zu", n,
                  n == 1 ? "" : "s", R->header_line, R->ncols);
    }
    if (tg_i_grow((void **)&R->props, &R->capprops, n + 1, sizeof *R->props) != 0 ||
        tg_i_grow((void **)&R->fields, &R->capfields, n + 1, sizeof *R->fields) != 0)
        return oom(R);
    tg_i_cvals_reset(&R->vals);
    for (i = 0; i < R->nfixed; i++) {
        if (tg_i_grow((void **)&R->labels, &R->caplabels, nl + 1, sizeof *R->labels) != 0)
            return oom(R);
        R->labels[nl++] = R->fixed[i];
    }
    for (i = 0; i < n; i++) {
        const column *c = &R->cols[i];
        int empty = f[i].len == 0 && !f[i].quoted;
        switch (c->kind) {
        case K_IGNORE: break;
        case K_ID:
            idf = &f[i];
            idc = c;
            if (c->key && !empty && R->role != TG_CSV_SOURCES) {
                tg_iprop *p = &R->props[np++];
                memset(p, 0, sizeof *p);
                p->key = c->key;
                p->pos = TG_IPOS(f[i].line, f[i].col);
                p->v.type = TG_V_STRING;
                p->v.u.s = tg_graph_intern(R->g, f[i].p, f[i].len);
                if (!p->v.u.s)
                    return oom(R);
                if (c->key == tg_graph_intern(R->g, "id", 2))
                    np--; /* the id itself reads as the property "id" */
            }
            break;
        case K_LABEL:
            if ((st = split_labels(R, f[i].p, f[i].len, R->adelim, &R->labels, &nl,
                                   &R->caplabels)) != TG_OK)
                return st;
            break;
        case K_START:
            startf = &f[i];
            startc = c;
            break;
        case K_END:
            endf = &f[i];
            endc = c;
            break;
        case K_TYPE: typef = &f[i]; break;
        case K_RELID:
            if (!empty)
                relidf = &f[i];
            break;
        case K_SOURCES:
            if (!empty && (st = split_labels(R, f[i].p, f[i].len, R->adelim, &R->srcs, &ns,
                                             &R->capsrcs)) != TG_OK)
                return st;
            break;
        case K_PROP:
            if (empty)
                break;
            if (f[i].len == 0 && c->type.vtype != TG_V_STRING)
                break; /* "" in a typed column: absent */
            if (R->role == TG_CSV_SOURCES) {
                tg_source_field *sf = &R->fields[nfields++];
                sf->key = c->key;
                sf->value = tg_graph_intern(R->g, f[i].p, f[i].len);
                if (f[i].len && !sf->value)
                    return oom(R);
                break;
            }
            {
                tg_iprop *p = &R->props[np];
                memset(p, 0, sizeof *p);
                p->key = c->key;
                p->pos = TG_IPOS(f[i].line, f[i].col);
                int cv = tg_i_cvalue(R->g, f[i].p, f[i].len, &c->type, R->adelim, &R->vals, p,
                                     msg, sizeof msg, &bad);
                if (cv == -2)
                    return oom(R);
                if (cv != 0) {
                    tg_csv_field where = f[i];
                    size_t len;
                    const char *key = tg_graph_str(R->g, c->key, &len);
                    if (!f[i].quoted && !memchr(f[i].p, '\n', bad))
                        where.col += (long)bad;
                    return at(R, &where, "%s (column \"%.*s\")", msg, (int)len, key);
                }
                np++;
            }
            break;
        }
    }
    tg_i_cvals_fix(&R->vals, R->props, np);
    if (R->role == TG_CSV_SOURCES) {
        tg_isource s;
        if (!idf || idf->len == 0)
            return at(R, idf ? idf : &f[0], "source has no id; expected a non-empty id");
        memset(&s, 0, sizeof s);
        s.id = idf->p;
        s.id_len = idf->len;
        s.fields = R->fields;
        s.nfields = nfields;
        s.pos = TG_IPOS(f[0].line, f[0].col);
        return tg_importer_source(R->imp, &s);
    }
    if (R->role == TG_CSV_NODES) {
        tg_ientity e;
        memset(&e, 0, sizeof e);
        if (idf->len == 0)
            return at(R, idf, "entity has no id (empty :ID cell); expected a non-empty id");
        if ((st = make_id(R, idc, idf, 0, &e.id, &e.id_len)) != TG_OK)
            return st;
        if (nl == 0)
            return at(R, idf, "entity \"%.*s\" has no label; expected a :LABEL column value or "
                              "labels given as --nodes Label=FILE",
                      (int)(idf->len > 60 ? 60 : idf->len), idf->p);
        e.id_pos = TG_IPOS(idf->line, idf->col);
        e.labels = R->labels;
        e.nlabels = nl;
        e.props = R->props;
        e.nprops = np;
        e.sources = R->srcs;
        e.nsources = ns;
        e.pos = TG_IPOS(f[0].line, f[0].col);
        return tg_importer_entity(R->imp, &e);
    }
    {
        tg_irelation r;
        memset(&r, 0, sizeof r);
        if (typef) {
            if (typef->len == 0 && !R->fixed_type)
                return at(R, typef, "relation has no type (empty :TYPE cell); expected a type "
                                    "such as OWNS");
            if (typef->len) {
                type = tg_graph_intern(R->g, typef->p, typef->len);
                if (!type)
                    return oom(R);
            }
        }
        if (startf->len == 0)
            return at(R, startf, "relation has no start (empty :START_ID cell); expected an "
                                 "entity id");
        if (endf->len == 0)
            return at(R, endf, "relation has no end (empty :END_ID cell); expected an entity id");
        if ((st = make_id(R, startc, startf, 0, &r.from, &r.from_len)) != TG_OK ||
            (st = make_id(R, endc, endf, 1, &r.to, &r.to_len)) != TG_OK)
            return st;
        r.type = type;
        r.from_pos = TG_IPOS(startf->line, startf->col);
        r.to_pos = TG_IPOS(endf->line, endf->col);
        if (relidf) {
            r.id = relidf->p;
            r.id_len = relidf->len;
            r.id_pos = TG_IPOS(relidf->line, relidf->col);
        }
        r.props = R->props;
        r.nprops = np;
        r.sources = R->srcs;
        r.nsources = ns;
        r.pos = TG_IPOS(f[0].line, f[0].col);
        return tg_importer_relation(R->imp, &r);
    }
}

tg_status tg_i_read_csv_neo4j(tg_importer *imp, const char *path, const tg_read_options *o,
                              tg_load_counts *counts, tg_error *err)
{
    reader R;
    const tg_csv_field *f;
    size_t n, i;
    int r;
    tg_status st;
    tg_read_options none;
    char delim;

    memset(&none, 0, sizeof none);
    if (!o)
        o = &none;
    memset(&R, 0, sizeof R);
    R.imp = imp;
    R.g = tg_importer_graph(imp);
    R.err = err;
    R.o = o;
    R.path = path;
    R.role = o->role;
    R.adelim = o->array_delimiter ? o->array_delimiter : ';';
    delim = o->delimiter;
    if (!delim) {
        size_t len = strlen(path);
        delim = len > 4 && strcasecmp(path + len - 4, ".tsv") == 0 ? '\t' : ',';
    }
    tg_importer_begin(imp, path, NULL, err);
    if ((st = tg_csv_open(&R.csv, path, delim, o->max_record, err)) != TG_OK)
        goto done;
    if (o->labels && (st = split_labels(&R, o->labels, strlen(o->labels), ':', &R.fixed,
                                        &R.nfixed, &R.capfixed)) != TG_OK)
        goto done;
    if (o->type && *o->type && !(R.fixed_type = tg_graph_intern(R.g, o->type, strlen(o->type)))) {
        st = oom(&R);
        goto done;
    }
    if ((st = read_header(&R)) != TG_OK)
        goto done;
    while ((r = tg_csv_next(&R.csv, &f, &n, err)) == 1) {
        if ((st = row(&R, f, n)) != TG_OK)
            goto done;
        if (o->progress && (R.csv.in.line & 0xFFFF) == 0)
            o->progress->fn(o->progress->ctx, R.csv.in.done, R.csv.in.size);
    }
    if (r < 0) {
        st = err ? err->status : TG_EDATA;
        goto done;
    }
    if (o->progress)
        o->progress->fn(o->progress->ctx, R.csv.in.done, R.csv.in.size);
    st = tg_importer_end(imp, counts);
done:
    tg_csv_close(&R.csv);
    for (i = 0; i < R.ncols; i++)
        free(R.cols[i].group);
    free(R.cols);
    free(R.fixed);
    free(R.props);
    free(R.labels);
    free(R.srcs);
    free(R.fields);
    free(R.idbuf[0]);
    free(R.idbuf[1]);
    tg_i_cvals_free(&R.vals);
    return st;
}

tg_status tg_i_read_csv(tg_importer *imp, const char *path, const tg_read_options *o,
                        tg_load_counts *counts, tg_error *err)
{
    if (o && o->map)
        return tg_i_read_csv_mapped(imp, path, o, NULL, counts, err);
    return tg_i_read_csv_neo4j(imp, path, o, counts, err);
}

/* Whether s[0..len) contains w. */
static int contains(const char *s, size_t len, const char *w)
{
    size_t n = strlen(w), i;

    for (i = 0; i + n <= len; i++)
        if (memcmp(s + i, w, n) == 0)
            return 1;
    return 0;
}

/* A first line with Neo4j header columns (":ID", ":START_ID", ":LABEL") is
 * surely CSV; any other line with commas or tabs and no '{' probably is. */
int tg_i_sniff_csv(const char *head, size_t n)
{
    const char *nl = memchr(head, '\n', n);
    size_t len = nl ? (size_t)(nl - head) : n;

    if (len == 0 || head[0] == '{' || head[0] == '<' || head[0] == '[')
        return 0;
    if (contains(head, len, ":ID") || contains(head, len, ":START_ID") ||
        contains(head, len, ":LABEL"))
        return 80;
    return memchr(head, ',', len) || memchr(head, '\t', len) ? 20 : 0;
}
