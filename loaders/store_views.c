/* store_views.c — the SQL views of a store: entity, relation, property,
 * source (and imports, the history of version 1).
 *
 * The base is binary (the engine's arrays, cut into chunks: store.c), so
 * the views decode it in plain SQL: a byte is found by instr() in a table
 * of the 256 byte values, a uint32 is four of them, an int64 eight (with
 * its sign), a double is rebuilt from sign, exponent and mantissa with
 * power(), a string is cut out of its chunk between two offsets. Each view
 * is then the base minus what the change log overrides, plus the change
 * log's latest rows. No extension is needed: the sqlite3 shell, Python's
 * sqlite3 module or any SQL tool reads them (power() needs SQLite's math
 * functions, built in since 3.35). Decoding costs a few microseconds a
 * value: fine for the graphs analysts build by hand, slow for millions of
 * rows (docs/store.md has the figures).
 *
 * The SQL text is generated here once, at schema creation, from the small
 * expression builders below.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "store_internal.h"

const char *const tg_i_store_objects[] = {"meta",
                                          "base",
                                          "base_segment",
                                          "base_labelset",
                                          "base_column",
                                          "base_source",
                                          "write_log",
                                          "write_file",
                                          "change_entity",
                                          "change_relation",
                                          "change_property",
                                          "change_source", "change_string",
                                          "sqlite_autoindex_meta_1",
                                          "sqlite_autoindex_base_1",
                                          "sqlite_autoindex_base_segment_1",
                                          "sqlite_autoindex_base_column_1",
                                          "sqlite_autoindex_base_source_1",
                                          "_base_entity",
                                          "_base_relation",
                                          "_base_property",
                                          "entity",
                                          "relation",
                                          "property",
                                          "source",
                                          "imports",
                                          NULL};

/* A growable string. */
typedef struct sbuf {
    char *s;
    size_t n, cap;
    int oom;
} sbuf;

static void add(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int need;

    if (b->oom)
        return;
    va_start(ap, fmt);
    need = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    if (need < 0) {
        b->oom = 1;
        return;
    }
    if (!b->s || b->n + (size_t)need + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *ns;
        while (cap < b->n + (size_t)need + 1)
            cap *= 2;
        if (!(ns = realloc(b->s, cap))) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
        va_start(ap, fmt);
        vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
    }
    b->n += (size_t)need;
}

/* The expressions below append SQL text decoding bytes of blob expression
 * `b` at byte offset expression `o` (both SQL text). */

static char bytes_table[2 * 256 + 4];

/* The byte table is the column hx.t of a one-row CTE every view declares
 * (HX below): written once per view, not once per byte decoded, it keeps the
 * schema small, and SQLite parses the schema at every open. */
static void u8(sbuf *q, const char *b, const char *o)
{
    add(q, "(instr(hx.t,substr(%s,(%s)+1,1))-1)", b, o);
}

/* f(b, o + k): the decoder f at k bytes past offset o. */
static void at(sbuf *q, void (*f)(sbuf *, const char *, const char *), const char *b, const char *o,
               int k)
{
    sbuf off = {0};

    add(&off, "(%s)+%d", o, k);
    if (off.oom)
        q->oom = 1;
    else
        f(q, b, off.s);
    free(off.s);
}

static void u8k(sbuf *q, const char *b, const char *o, int k)
{
    at(q, u8, b, o, k);
}

static void u32(sbuf *q, const char *b, const char *o)
{
    add(q, "(");
    u8k(q, b, o, 0);
    add(q, "+");
    u8k(q, b, o, 1);
    add(q, "*256+");
    u8k(q, b, o, 2);
    add(q, "*65536+");
    u8k(q, b, o, 3);
    add(q, "*16777216)");
}

static void u32k(sbuf *q, const char *b, const char *o, int k)
{
    at(q, u32, b, o, k);
}

/* A little-endian int64: seven bytes and the signed top one. */
static void i64(sbuf *q, const char *b, const char *o)
{
    static const char *const scale[] = {"1",          "256",           "65536",          "16777216",
                                        "4294967296", "1099511627776", "281474976710656"};
    int k;

    add(q, "(");
    for (k = 0; k < 7; k++) {
        u8k(q, b, o, k);
        add(q, "*%s+", scale[k]);
    }
    add(q, "(");
    u8k(q, b, o, 7);
    add(q, "-256*(");
    u8k(q, b, o, 7);
    add(q, ">=128))*72057594037927936)");
}

/* An IEEE double from its two words; NaN reads as NULL (SQLite has none). */
static void f64(sbuf *q, const char *b, const char *o)
{
    add(q, "(SELECT CASE WHEN e=2047 THEN (CASE WHEN m=0 THEN (1-2*sg)*9e999 END)"
           " WHEN e=0 THEN (1-2*sg)*m*power(2,-1074)"
           " ELSE (1-2*sg)*(1.0+m/4503599627370496.0)*power(2,e-1023) END"
           " FROM (SELECT hi>>31 AS sg, (hi>>20)&2047 AS e, (hi&1048575)*4294967296+lo AS m"
           " FROM (SELECT ");
    u32k(q, b, o, 4);
    add(q, " AS hi, ");
    u32k(q, b, o, 0);
    add(q, " AS lo)))");
}

/* The string of symbol expression `sym`. */
static void str(sbuf *q, const char *sym)
{
    add(q, "(SELECT CAST(substr(sd,o0+1,o1-o0) AS TEXT) FROM (SELECT data AS sd, ");
    u32(q, "data", "4*(ss&255)");
    add(q, " AS o0, ");
    u32(q, "data", "4*(ss&255)+4");
    add(q, " AS o1 FROM (SELECT (%s) AS ss) JOIN base ON seg='str' AND k=ss>>8))", sym);
}

/* Whether bit `i` of tombstone segment `seg` is set (0 when there is none). */
static void dead(sbuf *q, const char *seg, const char *i)
{
    sbuf off = {0};

    add(&off, "((%s)>>3)%%%d", i, 8 * TG_I_CHUNK);
    add(q, "coalesce((SELECT (");
    if (off.oom)
        q->oom = 1;
    else
        u8(q, "dd.data", off.s);
    free(off.s);
    add(q, ">>((%s)&7))&1 FROM base dd WHERE dd.seg='%s' AND dd.k=((%s)>>3)/%d),0)", i, seg, i,
        8 * TG_I_CHUNK);
}

/* The id of entity expression `e`: from the change log, else the base. */
static void entity_id(sbuf *q, const char *e)
{
    sbuf t = {0};

    u32(&t, "ci.data", "4*((ei)%" TG_I_CHUNK_TEXT ")");
    if (t.oom) {
        free(t.s);
        q->oom = 1;
        return;
    }
    add(q, "(SELECT coalesce((SELECT id FROM change_entity x WHERE x.ent=ei LIMIT 1),"
           "(SELECT ");
    str(q, t.s);
    free(t.s);
    add(q, " FROM base ci WHERE ci.seg='ent.id' AND ci.k=ei/%d)) FROM (SELECT (%s) AS ei))",
        TG_I_CHUNK, e);
}

/* A scalar value (16 bytes at offset o of blob b) as SQL; lists elsewhere. */
static void scalar(sbuf *q, const char *b, const char *o, int json_bool)
{
    sbuf o8 = {0};
    const char *off;

    add(q, "CASE ");
    u8(q, b, o);
    add(q, " WHEN 1 THEN ");
    if (json_bool) {
        add(q, "json(CASE WHEN ");
        u8k(q, b, o, 8);
        add(q, " THEN 'true' ELSE 'false' END)");
    } else {
        u8k(q, b, o, 8);
    }
    add(q, " WHEN 2 THEN ");
    add(&o8, "(%s)+8", o);
    if (o8.oom) {
        q->oom = 1;
        return;
    }
    off = o8.s;
    i64(q, b, off);
    add(q, " WHEN 3 THEN ");
    f64(q, b, off);
    add(q, " WHEN 4 THEN ");
    {
        sbuf t = {0};
        u32(&t, b, off);
        if (t.oom) {
            q->oom = 1;
        } else {
            str(q, t.s);
        }
        free(t.s);
    }
    free(o8.s);
}

/* A value blob `pv` (16 bytes) as (type, value) expressions. */
static void value_type(sbuf *q, const char *pv)
{
    add(q, "CASE ");
    u8(q, pv, "0");
    add(q, " WHEN 1 THEN 'bool' WHEN 2 THEN 'int' WHEN 3 THEN 'float' WHEN 4 THEN 'string'"
           " WHEN 5 THEN 'list<'||(CASE ");
    u8(q, pv, "1");
    add(q, " WHEN 1 THEN 'bool' WHEN 2 THEN 'int' WHEN 3 THEN 'float' WHEN 4 THEN 'string'"
           " WHEN %d THEN 'date' WHEN %d THEN 'localtime' WHEN %d THEN 'time'"
           " WHEN %d THEN 'localdatetime' WHEN %d THEN 'datetime' WHEN %d THEN 'duration'"
           " ELSE '' END)||'>'"
           " WHEN %d THEN 'date' WHEN %d THEN 'localtime' WHEN %d THEN 'time'"
           " WHEN %d THEN 'localdatetime' WHEN %d THEN 'datetime' WHEN %d THEN 'duration'"
           " ELSE 'raw' END",
        TG_V_DATE, TG_V_LOCALTIME, TG_V_TIME, TG_V_LOCALDATETIME, TG_V_DATETIME, TG_V_DURATION,
        TG_V_DATE, TG_V_LOCALTIME, TG_V_TIME, TG_V_LOCALDATETIME, TG_V_DATETIME, TG_V_DURATION);
}

static void value(sbuf *q, const char *pv)
{
    scalar(q, pv, "0", 0);
    add(q, " WHEN 5 THEN (CASE WHEN ");
    u32(q, pv, "4");
    add(q, "=0 THEN '[]' ELSE (WITH RECURSIVE m(j) AS (SELECT 0 UNION ALL SELECT j+1 FROM m WHERE "
           "j+1<");
    u32(q, pv, "4");
    add(q, ") SELECT json_group_array(ev) FROM (SELECT ");
    scalar(q, "el", "0", 1);
    add(q, " END AS ev FROM (SELECT substr(p.data,16*((lo+m.j)%%%d)+1,16) AS el FROM m,",
        TG_I_CHUNK);
    add(q, ""
           " (SELECT ");
    u32(q, pv, "8");
    add(q,
        " AS lo) JOIN base p ON p.seg='list.pool' AND p.k=(lo+m.j)/%d ORDER BY m.j))) END)",
        TG_I_CHUNK);
    /* a date as ISO text (years 0 to 9999, SQLite's range); the other
     * temporals as their stored bytes: exact, not pretty (the change log
     * holds every temporal as ISO text) */
    add(q, " WHEN %d THEN date(", TG_V_DATE);
    i64(q, pv, "8");
    add(q, "*86400,'unixepoch') ELSE hex(%s) END", pv);
}

/* n(i): 0 .. TG_I_CHUNK - 1, the items of a chunk; hx(t): the 256 byte
 * values (filled in by tg_i_store_create_views) */
static const char numbers[] =
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i<" TG_I_CHUNK_TEXT
    "-1), hx(t) AS (SELECT X'%s') ";

int tg_i_store_create_views(sqlite3 *db)
{
    sbuf q = {0};
    int i, rc;

    for (i = 0; i < 256; i++)
        snprintf(bytes_table + 2 * i, 3, "%02X", i);
    /* the base, decoded item by item */
    add(&q, "CREATE VIEW _base_entity AS ");
    add(&q, numbers, bytes_table);
    add(&q, "SELECT c.k*%d+n.i AS ent, ", TG_I_CHUNK);
    u32(&q, "c.data", "4*n.i");
    add(&q, " AS idsym, ");
    u32(&q, "l.data", "4*n.i");
    add(&q, " AS lset FROM base c JOIN base l ON l.seg='ent.lset' AND l.k=c.k"
            " JOIN n ON n.i<length(c.data)/4 JOIN hx WHERE c.seg='ent.id';\n");
    add(&q, "CREATE VIEW _base_relation AS ");
    add(&q, numbers, bytes_table);
    add(&q, "SELECT f.k*%d+n.i AS rel, ", TG_I_CHUNK);
    u32(&q, "f.data", "4*n.i");
    add(&q, " AS src, ");
    u32(&q, "t.data", "4*n.i");
    add(&q, " AS dst, ");
    u32(&q, "y.data", "4*n.i");
    add(&q, " AS typesym FROM base f JOIN base t ON t.seg='rel.to' AND t.k=f.k"
            " JOIN base y ON y.seg='rel.type' AND y.k=f.k JOIN n ON n.i<length(f.data)/4"
            " JOIN hx WHERE f.seg='rel.from';\n");
    add(&q, "CREATE VIEW _base_property AS ");
    add(&q, numbers, bytes_table);
    add(&q, "SELECT bc.side AS side, ");
    u32(&q, "r.data", "4*n.i");
    add(&q,
        " AS item, bc.key AS key, substr(v.data,16*n.i+1,16) AS pv FROM base_column bc"
        " JOIN base r ON r.seg=(CASE bc.side WHEN 'entity' THEN 'e.' ELSE 'r.' END)||bc.k||'.rows'"
        " JOIN base v ON v.seg=(CASE bc.side WHEN 'entity' THEN 'e.' ELSE 'r.' END)||bc.k||'.vals'"
        " AND v.k=r.k JOIN n ON n.i<length(r.data)/4 JOIN hx;\n");
    /* entity(ent, id, labels) */
    add(&q, "CREATE VIEW entity AS WITH hx(t) AS (SELECT X'%s') SELECT b.ent AS ent, ",
        bytes_table);
    str(&q, "b.idsym");
    add(&q, " AS id, (SELECT labels FROM base_labelset WHERE lset=b.lset) AS labels"
            " FROM _base_entity b, hx WHERE NOT ");
    dead(&q, "ent.dead", "b.ent");
    add(&q, " AND NOT EXISTS (SELECT 1 FROM change_entity c WHERE c.ent=b.ent)"
            " UNION ALL SELECT c.ent, c.id, c.labels FROM change_entity c"
            " WHERE c.write_id=(SELECT max(write_id) FROM change_entity x WHERE x.ent=c.ent)"
            " AND c.deleted=0;\n");
    /* relation(rel, type, src, dst, src_id, dst_id) */
    add(&q, "CREATE VIEW relation AS WITH hx(t) AS (SELECT X'%s') SELECT rel, type, src, dst, ",
        bytes_table);
    entity_id(&q, "src");
    add(&q, " AS src_id, ");
    entity_id(&q, "dst");
    add(&q, " AS dst_id FROM (SELECT b.rel AS rel, ");
    str(&q, "b.typesym");
    add(&q, " AS type, b.src AS src, b.dst AS dst FROM _base_relation b, hx WHERE NOT ");
    dead(&q, "rel.dead", "b.rel");
    add(&q, " AND NOT EXISTS (SELECT 1 FROM change_relation c WHERE c.rel=b.rel)"
            " UNION ALL SELECT c.rel, c.type, c.src, c.dst FROM change_relation c"
            " WHERE c.write_id=(SELECT max(write_id) FROM change_relation x WHERE x.rel=c.rel)"
            " AND c.deleted=0), hx;\n");
    /* property(side, item, key, type, value): an item deleted in the log or
     * in the base has none */
    add(&q,
        "CREATE VIEW property AS WITH hx(t) AS (SELECT X'%s') SELECT side, item, key, type, "
        "value FROM (SELECT b.side AS side, b.item AS item, b.key AS key, ",
        bytes_table);
    value_type(&q, "b.pv");
    add(&q, " AS type, ");
    value(&q, "b.pv");
    add(&q, " AS value FROM _base_property b, hx WHERE NOT (CASE b.side WHEN 'entity' THEN ");
    dead(&q, "ent.dead", "b.item");
    add(&q, " ELSE ");
    dead(&q, "rel.dead", "b.item");
    add(&q, " END) AND NOT EXISTS (SELECT 1 FROM change_property c WHERE c.side=b.side"
            " AND c.item=b.item AND c.key=b.key)"
            " UNION ALL SELECT c.side, c.item, c.key, c.type, c.value FROM change_property c"
            " WHERE c.write_id=(SELECT max(write_id) FROM change_property x WHERE x.side=c.side"
            " AND x.item=c.item AND x.key=c.key) AND c.type<>'removed')"
            " WHERE NOT EXISTS (SELECT 1 FROM change_entity d WHERE side='entity' AND d.ent=item"
            " AND d.deleted)"
            " AND NOT EXISTS (SELECT 1 FROM change_relation d WHERE side='relation' AND d.rel=item"
            " AND d.deleted);\n");
    /* source(id, title, publisher, date, url, fields) */
    add(&q,
        "CREATE VIEW source AS SELECT id, json_extract(fields,'$.title') AS title,"
        " json_extract(fields,'$.publisher') AS publisher, json_extract(fields,'$.date') AS date,"
        " json_extract(fields,'$.url') AS url, fields FROM ("
        "SELECT id, fields FROM base_source b WHERE NOT EXISTS"
        " (SELECT 1 FROM change_source c WHERE c.id=b.id)"
        " UNION ALL SELECT id, fields FROM change_source c"
        " WHERE c.write_id=(SELECT max(write_id) FROM change_source x WHERE x.id=c.id));\n");
    /* the import history of version 1, kept under its name */
    add(&q, "CREATE VIEW imports AS SELECT f.rowid AS id, f.file AS file, f.bytes AS bytes,"
            " f.entities AS entities, f.relations AS relations, w.at AS at"
            " FROM write_file f JOIN write_log w ON w.id=f.write_id;\n");
    if (q.oom) {
        free(q.s);
        return SQLITE_NOMEM;
    }
    rc = sqlite3_exec(db, q.s, NULL, NULL, NULL);
    free(q.s);
    return rc;
}
