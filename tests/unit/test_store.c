/* test_store.c — the SQLite store.
 *
 * - round trips: save, load, compare (tg_graph_equal), the empty store;
 * - small writes: a table of changes, each applied to a store and to an
 *   in-memory copy; the store must hold them as change-log rows (not a new
 *   base), and reading it back, folded or not, must equal the copy;
 * - several writes in a row, then vacuum (deleted items dropped);
 * - a reader's snapshot does not move while a writer commits; a second
 *   writer fails after the busy timeout with a message naming the store;
 * - versions: version 1 read and upgraded, a newer version refused, files
 *   that are not stores (junk, someone's database, one with a trigger)
 *   refused and left byte for byte as they were;
 * - a damaged lazily read part is reported by tg_graph_status.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "graph.h"
#include "store.h"
#include "temporal.h"
#include "tg_test.h"

static tg_sym S(tg_graph *g, const char *s)
{
    return tg_graph_intern(g, s, strlen(s));
}

static tg_ent find(tg_graph *g, const char *id)
{
    return tg_graph_find_entity(g, id, strlen(id));
}

static void set_str(tg_graph *g, tg_side side, uint32_t item, const char *key, const char *val)
{
    tg_pval v;

    memset(&v, 0, sizeof v);
    v.type = TG_V_STRING;
    v.u.s = S(g, val);
    TG_CHECK(tg_graph_set_prop(g, side, item, S(g, key), &v, NULL) == TG_OK);
}

static void set_num(tg_graph *g, tg_side side, uint32_t item, const char *key, int is_float,
                    double f, int64_t i)
{
    tg_pval v;

    memset(&v, 0, sizeof v);
    v.type = is_float ? TG_V_FLOAT : TG_V_INT;
    if (is_float)
        v.u.f = f;
    else
        v.u.i = i;
    TG_CHECK(tg_graph_set_prop(g, side, item, S(g, key), &v, NULL) == TG_OK);
}

static tg_graph *sample(void)
{
    tg_graph *g = tg_graph_new();
    const char *ids[] = {"exim", "gov-ec", "ecu911", "cetc", "hikvision"};
    tg_ent e[5];
    tg_rel r;
    tg_pval v, item;
    size_t i;
    tg_source_field f[2];

    for (i = 0; i < 5; i++) {
        tg_graph_add_entity(g, ids[i], strlen(ids[i]), &e[i], NULL);
        tg_graph_add_label(g, e[i], S(g, i ? "Company" : "Lender"), NULL);
        set_str(g, TG_ENTITY, e[i], "name", "名字 \"<script>\" 🚀");
    }
    tg_graph_add_relation(g, e[0], e[1], S(g, "FINANCES"), &r, NULL);
    set_num(g, TG_RELATION, r, "amount", 1, 240000000.0, 0);
    memset(&item, 0, sizeof item);
    item.type = TG_V_STRING;
    item.u.s = S(g, "aspi-2019#47");
    tg_graph_make_list(g, &item, 1, &v, NULL);
    tg_graph_set_prop(g, TG_RELATION, r, S(g, "sources"), &v, NULL);
    tg_graph_add_relation(g, e[3], e[4], S(g, "OWNS"), NULL, NULL);
    tg_graph_add_relation(g, e[3], e[4], S(g, "OWNS"), NULL, NULL);
    f[0].key = S(g, "title");
    f[0].value = S(g, "Mapping China's Tech Giants");
    f[1].key = S(g, "date");
    f[1].value = S(g, "2019-04-18");
    tg_graph_put_source(g, S(g, "aspi-2019"), f, 2, NULL, NULL);
    return g;
}

/* A fresh store at path holding g as its base. */
static void make_store(const char *path, tg_graph *g)
{
    tg_store *s = NULL;
    tg_error err;

    unlink(path);
    TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_OK);
    TG_CHECK(s && tg_store_save(s, g, &err) == TG_OK);
    tg_store_close(s);
}

static tg_graph *read_store(const char *path)
{
    tg_store *s = NULL;
    tg_graph *g = NULL;
    tg_error err;

    TG_CHECK(tg_store_open(path, TG_STORE_READ, &s, &err) == TG_OK);
    if (s)
        TG_CHECK(tg_store_load(s, &g, &err) == TG_OK);
    tg_store_close(s); /* the graph keeps the store open while it reads lazily */
    if (g) {
        TG_CHECK(tg_graph_load_all(g, &err) == TG_OK);
        TG_CHECK(tg_graph_status(g, &err) == TG_OK);
    }
    return g;
}

static long long sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    long long v = -1;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static int sql_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);

    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* Whole-file contents, to prove a refused file was not touched. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long len;

    *n = 0;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return buf;
}

/* ---- round trips ----------------------------------------------------------- */

static void t_roundtrip(void)
{
    const char *path = tg_test_path("rt.db");
    tg_store *s = NULL;
    tg_graph *g = sample(), *back = NULL, *empty = NULL;
    tg_error err;

    unlink(path);
    TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_OK);
    TG_CHECK(tg_store_load(s, &empty, &err) == TG_OK);
    TG_CHECK(empty && tg_graph_entity_count(empty) == 0);
    TG_CHECK(tg_store_save(s, g, &err) == TG_OK);
    tg_store_close(s);
    s = NULL;
    TG_CHECK(tg_store_open(path, TG_STORE_READ, &s, &err) == TG_OK);
    TG_CHECK(tg_store_load(s, &back, &err) == TG_OK);
    TG_CHECK(back && tg_graph_equal(g, back));
    /* a store opened for reading refuses to be written */
    TG_CHECK(tg_store_save(s, g, &err) == TG_EIO);
    TG_CHECK(strstr(err.message, "reading only") != NULL);
    tg_store_close(s);
    /* a graph that was not loaded from the store replaces it whole */
    s = NULL;
    TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_OK);
    tg_graph_add_entity(back, "new", 3, NULL, NULL);
    TG_CHECK(tg_store_save(s, back, &err) == TG_OK);
    tg_graph_free(empty);
    empty = NULL;
    tg_store_close(s);
    empty = read_store(path);
    TG_CHECK(empty && tg_graph_entity_count(empty) == 6);
    TG_CHECK(empty && tg_graph_equal(empty, back));
    tg_graph_free(empty);
    tg_graph_free(back);
    tg_graph_free(g);
    unlink(path);
}

/* ---- small writes: a table of changes -------------------------------------- */

static void op_add_entity(tg_graph *g)
{
    tg_ent e;
    TG_CHECK(tg_graph_add_entity(g, "dji", 3, &e, NULL) == TG_OK);
    tg_graph_add_label(g, e, S(g, "Company"), NULL);
    tg_graph_add_label(g, e, S(g, "NewLabel"), NULL);
    set_str(g, TG_ENTITY, e, "name", "DJI");
}

static void op_add_relation(tg_graph *g)
{
    tg_rel r;
    TG_CHECK(tg_graph_add_relation(g, find(g, "exim"), find(g, "cetc"), S(g, "SUPPLIES"), &r,
                                   NULL) == TG_OK);
    set_num(g, TG_RELATION, r, "year", 0, 0, 2011);
}

static void op_set_old(tg_graph *g)
{
    set_str(g, TG_ENTITY, find(g, "cetc"), "name", "China Electronics Technology Group");
    set_num(g, TG_RELATION, 0, "amount", 1, 1.5e8, 0);
    set_str(g, TG_ENTITY, find(g, "gov-ec"), "country", "EC"); /* a new key on an old item */
}

static void op_remove_prop(tg_graph *g)
{
    TG_CHECK(tg_graph_set_prop(g, TG_ENTITY, find(g, "hikvision"), S(g, "name"),
                               &(tg_pval){.type = TG_V_NULL}, NULL) == TG_OK);
    TG_CHECK(tg_graph_set_prop(g, TG_RELATION, 0, S(g, "sources"), &(tg_pval){.type = TG_V_NULL},
                               NULL) == TG_OK);
}

static void op_labels(tg_graph *g)
{
    TG_CHECK(tg_graph_add_label(g, find(g, "hikvision"), S(g, "Subsidiary"), NULL) == TG_OK);
    TG_CHECK(tg_graph_remove_label(g, find(g, "exim"), S(g, "Lender"), NULL) == TG_OK);
}

static void op_delete(tg_graph *g)
{
    TG_CHECK(tg_graph_delete_relation(g, 1, NULL) == TG_OK);
    TG_CHECK(tg_graph_delete_entity(g, find(g, "exim"), 1, NULL) == TG_OK);
}

static void op_create_then_delete(tg_graph *g)
{
    tg_ent e;
    tg_rel r;
    TG_CHECK(tg_graph_add_entity(g, "ghost", 5, &e, NULL) == TG_OK);
    TG_CHECK(tg_graph_add_relation(g, e, find(g, "cetc"), S(g, "OWNS"), &r, NULL) == TG_OK);
    set_str(g, TG_RELATION, r, "note", "gone soon");
    TG_CHECK(tg_graph_delete_entity(g, e, 1, NULL) == TG_OK);
    /* and the id again, alive */
    TG_CHECK(tg_graph_add_entity(g, "ghost", 5, &e, NULL) == TG_OK);
}

static void op_values(tg_graph *g)
{
    tg_ent e = find(g, "ecu911");
    tg_pval v, items[3];
    size_t i;

    set_num(g, TG_ENTITY, e, "min", 0, 0, INT64_MIN);
    set_num(g, TG_ENTITY, e, "max", 0, 0, INT64_MAX);
    set_num(g, TG_ENTITY, e, "neg0", 1, -0.0, 0);
    set_num(g, TG_ENTITY, e, "tiny", 1, 4.9e-324, 0);
    set_num(g, TG_ENTITY, e, "huge", 1, 1.7976931348623157e308, 0);
    set_num(g, TG_ENTITY, e, "inf", 1, -INFINITY, 0);
    set_num(g, TG_ENTITY, e, "nan", 1, NAN, 0);
    memset(&v, 0, sizeof v);
    v.type = TG_V_BOOL;
    v.u.b = 1;
    TG_CHECK(tg_graph_set_prop(g, TG_ENTITY, e, S(g, "flag"), &v, NULL) == TG_OK);
    memset(items, 0, sizeof items);
    for (i = 0; i < 3; i++) {
        items[i].type = TG_V_INT;
        items[i].u.i = i == 0 ? INT64_MAX : (int64_t)i - 2;
    }
    TG_CHECK(tg_graph_make_list(g, items, 3, &v, NULL) == TG_OK);
    TG_CHECK(tg_graph_set_prop(g, TG_ENTITY, e, S(g, "ints"), &v, NULL) == TG_OK);
    for (i = 0; i < 3; i++) {
        items[i].type = TG_V_FLOAT;
        items[i].u.f = i == 0 ? 0.1 : i == 1 ? NAN : INFINITY;
    }
    TG_CHECK(tg_graph_make_list(g, items, 3, &v, NULL) == TG_OK);
    TG_CHECK(tg_graph_set_prop(g, TG_ENTITY, e, S(g, "floats"), &v, NULL) == TG_OK);
    for (i = 0; i < 3; i++) {
        items[i].type = TG_V_STRING;
        items[i].u.s = S(g, i == 0 ? "a \"q\" \\ b" : i == 1 ? "名字" : "");
    }
    TG_CHECK(tg_graph_make_list(g, items, 3, &v, NULL) == TG_OK);
    TG_CHECK(tg_graph_set_prop(g, TG_ENTITY, e, S(g, "strings"), &v, NULL) == TG_OK);
    for (i = 0; i < 2; i++) {
        items[i].type = TG_V_BOOL;
        items[i].u.b = (int)i;
    }
    TG_CHECK(tg_graph_make_list(g, items, 2, &v, NULL) == TG_OK);
    TG_CHECK(tg_graph_set_prop(g, TG_ENTITY, e, S(g, "bools"), &v, NULL) == TG_OK);
    TG_CHECK(tg_graph_make_list(g, items, 0, &v, NULL) == TG_OK);
    TG_CHECK(tg_graph_set_prop(g, TG_ENTITY, e, S(g, "empty"), &v, NULL) == TG_OK);
}

/* Temporal values (issue 11): a datetime and a duration live in the list
 * pool, so the change log must hold them by content, not by offset. */
static void op_temporal(tg_graph *g)
{
    static const char *const texts[] = {"2019-04-18", "12:31:14.645876123", "12:31+01:00",
                                        "1984-10-11T12:31:14", "1984-10-11T12:31:14.645+01:00[Europe/Stockholm]",
                                        "P12Y5M14DT16H13M10.5S", "2015-07-21T21:40:32.142Z"};
    tg_ent e = find(g, "gov-ec");
    tg_pval v, items[2];
    size_t i;

    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        tg_temporal t;
        char key[16];
        TG_CHECK(tg_time_parse(texts[i], strlen(texts[i]), TG_V_NULL, &t, NULL) == TG_OK);
        TG_CHECK(tg_graph_make_temporal(g, &t, &v, NULL) == TG_OK);
        snprintf(key, sizeof key, "t%zu", i);
        TG_CHECK(tg_graph_set_prop(g, TG_ENTITY, e, S(g, key), &v, NULL) == TG_OK);
        if (i >= 5)
            items[i - 5] = v;
    }
    TG_CHECK(tg_graph_make_list(g, items, 1, &v, NULL) == TG_OK); /* a list of one duration */
    TG_CHECK(tg_graph_set_prop(g, TG_RELATION, 2, S(g, "when"), &v, NULL) == TG_OK);
}

static void op_sources(tg_graph *g)
{
    tg_source_field f[2];

    f[0].key = S(g, "url");
    f[0].value = S(g, "https://chinatechmap.aspi.org.au/");
    TG_CHECK(tg_graph_put_source(g, S(g, "aspi-2019"), f, 1, NULL, NULL) == TG_OK);
    f[0].key = S(g, "title");
    f[0].value = S(g, "Data sharing creates woes");
    f[1].key = S(g, "publisher");
    f[1].value = S(g, "Asia Times");
    TG_CHECK(tg_graph_put_source(g, S(g, "asiatimes-2020"), f, 2, NULL, NULL) == TG_OK);
}

static void op_everything(tg_graph *g)
{
    op_add_entity(g);
    op_add_relation(g);
    op_set_old(g);
    op_values(g);
    op_labels(g);
    op_sources(g);
    op_create_then_delete(g);
    op_remove_prop(g);
    op_delete(g);
}

static const struct {
    const char *name;
    void (*apply)(tg_graph *g);
} changes[] = {
    {"add an entity", op_add_entity},
    {"add a relation between old entities", op_add_relation},
    {"set properties of old items", op_set_old},
    {"remove properties", op_remove_prop},
    {"add and remove labels", op_labels},
    {"delete a relation and an entity", op_delete},
    {"create then delete in one write", op_create_then_delete},
    {"values of every type", op_values},
    {"new and changed sources", op_sources},
    {"temporal values", op_temporal},
    {"all of them", op_everything},
};

static void t_small_writes(void)
{
    const char *path = tg_test_path("delta.db");
    size_t c;
    int fold;

    for (c = 0; c < sizeof changes / sizeof changes[0]; c++) {
        for (fold = 0; fold < 2; fold++) {
            tg_graph *base = sample(), *want = sample(), *g = NULL, *back;
            tg_store *s = NULL;
            tg_error err;
            long long base_chunks;
            int failures = tg_test_failures;

            make_store(path, base);
            base_chunks = sql_int(path, "SELECT count(*) FROM base");
            TG_CHECK(base_chunks > 0);
            setenv("TG_STORE_FOLD_ROWS", fold ? "0" : "10000", 1);
            TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_OK);
            TG_CHECK(s && tg_store_load(s, &g, &err) == TG_OK);
            if (g) {
                changes[c].apply(g);
                changes[c].apply(want);
                TG_CHECK(tg_store_save(s, g, &err) == TG_OK);
            }
            tg_graph_free(g);
            tg_store_close(s);
            unsetenv("TG_STORE_FOLD_ROWS");
            if (!fold) /* logged as changes: the base did not move */
                TG_CHECK(sql_int(path, "SELECT (SELECT count(*) FROM change_entity) +"
                                       " (SELECT count(*) FROM change_relation) +"
                                       " (SELECT count(*) FROM change_property) +"
                                       " (SELECT count(*) FROM change_source)") > 0);
            else
                TG_CHECK(sql_int(path, "SELECT count(*) FROM change_property") == 0);
            TG_CHECK(sql_int(path, "SELECT count(*) FROM write_log") == 2);
            back = read_store(path);
            TG_CHECK(back && tg_graph_equal(back, want));
            TG_CHECK(back && tg_graph_entity_count(back) == tg_graph_entity_count(want));
            if (tg_test_failures != failures)
                fprintf(stderr, "  (case \"%s\", %s)\n", changes[c].name,
                        fold ? "folded" : "logged");
            tg_graph_free(back);
            tg_graph_free(want);
            tg_graph_free(base);
        }
    }
    unlink(path);
}

/* Many writes in a row, each through its own handle, then vacuum. */
static void t_writes_then_vacuum(void)
{
    const char *path = tg_test_path("seq.db");
    tg_graph *want = sample(), *back;
    tg_store *s;
    tg_error err;
    tg_vacuum_report rep;
    size_t c;

    make_store(path, want);
    for (c = 0; c < sizeof changes / sizeof changes[0] - 1; c++) {
        tg_graph *g = NULL;
        s = NULL;
        TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_OK);
        TG_CHECK(s && tg_store_load(s, &g, &err) == TG_OK);
        if (!g)
            break;
        changes[c].apply(g);
        changes[c].apply(want);
        TG_CHECK(tg_store_save_statement(s, g, "CREATE (x)", 10, NULL, &err) == TG_OK);
        tg_graph_free(g);
        tg_store_close(s);
        back = read_store(path);
        TG_CHECK(back && tg_graph_equal(back, want));
        tg_graph_free(back);
    }
    TG_CHECK(sql_int(path, "SELECT count(*) FROM write_log WHERE kind = 'statement'") ==
             (long long)(sizeof changes / sizeof changes[0] - 1));
    s = NULL;
    TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_OK);
    TG_CHECK(s && tg_store_vacuum(s, &rep, &err) == TG_OK);
    tg_store_close(s);
    TG_CHECK(rep.changes_folded > 0);
    TG_CHECK(rep.entities_dropped == 2); /* exim and the first ghost */
    TG_CHECK(rep.relations_dropped >= 2);
    back = read_store(path);
    TG_CHECK(back && tg_graph_equal(back, want));
    TG_CHECK(back && tg_graph_entity_count(back) == tg_graph_live_entity_count(want));
    TG_CHECK(sql_int(path, "SELECT count(*) FROM change_entity") == 0);
    tg_graph_free(back);
    tg_graph_free(want);
    unlink(path);
}

/* ---- concurrency ------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void t_snapshot_and_busy(void)
{
    const char *path = tg_test_path("snap.db");
    tg_graph *g = sample(), *r = NULL, *w = NULL, *after;
    tg_store *rs = NULL, *ws = NULL, *w2 = NULL;
    tg_error err;
    double t0;

    make_store(path, g);
    /* a reader opens first; the relations stay in the store */
    TG_CHECK(tg_store_open(path, TG_STORE_READ, &rs, &err) == TG_OK);
    TG_CHECK(rs && tg_store_load(rs, &r, &err) == TG_OK);
    tg_store_close(rs);
    /* a writer adds a relation and commits */
    TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &ws, &err) == TG_OK);
    TG_CHECK(ws && tg_store_load(ws, &w, &err) == TG_OK);
    if (w) {
        op_add_relation(w);
        TG_CHECK(tg_store_save(ws, w, &err) == TG_OK);
    }
    /* a second writer waits, then gives up naming the store */
    tg_store_set_busy_timeout(200);
    t0 = now();
    TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &w2, &err) == TG_EIO);
    TG_CHECK(now() - t0 >= 0.15);
    TG_CHECK(strstr(err.file, "snap.db") != NULL);
    TG_CHECK(strstr(err.message, "another tiegraph is writing") != NULL);
    TG_CHECK(w2 == NULL);
    tg_store_set_busy_timeout(5000);
    /* the reader still sees the state of its snapshot, relations included */
    TG_CHECK(r && tg_graph_relation_count(r) == 3);
    TG_CHECK(r && tg_graph_load_all(r, &err) == TG_OK && tg_graph_equal(r, g));
    tg_graph_free(w);
    tg_store_close(ws);
    after = read_store(path);
    TG_CHECK(after && tg_graph_relation_count(after) == 4);
    tg_graph_free(after);
    tg_graph_free(r);
    tg_graph_free(g);
    unlink(path);
}

/* ---- versions and refusals --------------------------------------------------- */

typedef struct v1_ctx {
    sqlite3 *db;
    sqlite3_stmt *ins;
} v1_ctx;

static int v1_sink(void *ctx, const char *name, const void *data, size_t size)
{
    v1_ctx *c = ctx;
    sqlite3_reset(c->ins);
    sqlite3_bind_text(c->ins, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(c->ins, 2, data, (int)size, SQLITE_TRANSIENT);
    return sqlite3_step(c->ins) == SQLITE_DONE ? 0 : -1;
}

/* A store as tiegraph 0.1 wrote it (schema version 1, whole segments). */
static void make_v1(const char *path, const tg_graph *g)
{
    v1_ctx c = {NULL, NULL};

    unlink(path);
    TG_CHECK(sqlite3_open(path, &c.db) == SQLITE_OK);
    TG_CHECK(
        sqlite3_exec(
            c.db,
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE segment(name TEXT PRIMARY KEY, data BLOB NOT NULL);"
            "CREATE TABLE imports(id INTEGER PRIMARY KEY, file TEXT NOT NULL, bytes INTEGER,"
            " entities INTEGER, relations INTEGER, at TEXT DEFAULT CURRENT_TIMESTAMP);"
            "INSERT INTO meta VALUES('format','tiegraph-store'),('byte_order','little');"
            "INSERT INTO imports(file, bytes, entities, relations) VALUES('old.json', 10, 5, 3);"
            "PRAGMA user_version=1;",
            NULL, NULL, NULL) == SQLITE_OK);
    TG_CHECK(sqlite3_prepare_v2(c.db, "INSERT INTO segment VALUES(?1, ?2)", -1, &c.ins, NULL) ==
             SQLITE_OK);
    TG_CHECK(tg_graph_save_segments(g, v1_sink, &c, NULL) == TG_OK);
    sqlite3_finalize(c.ins);
    sqlite3_close(c.db);
}

static void t_versions(void)
{
    const char *path = tg_test_path("v1.db");
    tg_graph *g = sample(), *back = NULL;
    tg_store *s = NULL;
    tg_error err;
    char *before, *after;
    size_t nb, na;

    /* version 1 reads as it is, and is upgraded by the first write */
    make_v1(path, g);
    back = read_store(path);
    TG_CHECK(back && tg_graph_equal(back, g));
    tg_graph_free(back);
    back = NULL;
    TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_OK);
    TG_CHECK(s && tg_store_import_count(s) == 1);
    TG_CHECK(s && tg_store_load(s, &back, &err) == TG_OK);
    if (back) {
        op_add_entity(back);
        op_add_entity(g);
        TG_CHECK(tg_store_save(s, back, &err) == TG_OK);
    }
    tg_graph_free(back);
    tg_store_close(s);
    TG_CHECK(sql_int(path, "PRAGMA user_version") == TG_STORE_VERSION);
    TG_CHECK(sql_int(path, "SELECT count(*) FROM imports") == 1); /* history kept */
    TG_CHECK(sql_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'segment'") == 0);
    back = read_store(path);
    TG_CHECK(back && tg_graph_equal(back, g));
    tg_graph_free(back);
    /* a newer version is refused, untouched */
    TG_CHECK(sql_exec(path, "PRAGMA user_version=3") == SQLITE_OK);
    before = slurp(path, &nb);
    s = NULL;
    TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_EIO);
    TG_CHECK(strstr(err.message, "newer tiegraph") != NULL);
    TG_CHECK(tg_store_open(path, TG_STORE_READ, &s, &err) == TG_EIO);
    after = slurp(path, &na);
    TG_CHECK(before && after && nb == na && memcmp(before, after, nb) == 0);
    free(before);
    free(after);
    tg_graph_free(g);
    unlink(path);
}

/* A file that is not ours is refused and never written: junk, a one-byte
 * file, someone's SQLite database, a store with a trigger in it. */
static void t_refusals(void)
{
    static const struct {
        const char *name;
        const char *content; /* NULL: made with SQL below */
        const char *sql;
        const char *message;
    } files[] = {
        {"junk", "this is not sqlite at all, not at all", NULL, "not an SQLite database"},
        {"one byte", "x", NULL, "not an SQLite database"},
        {"someone's database", NULL, "CREATE TABLE t(x); INSERT INTO t VALUES(1);",
         "not a tiegraph store"},
        {"a store with a trigger", NULL, "TRIGGER", "trigger"},
        {"a store with a foreign table", NULL, "CREATE TABLE extra(x);", "extra"},
    };
    const char *path = tg_test_path("refuse.db");
    size_t i;
    tg_store *s = NULL;
    tg_error err;

    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *before, *after;
        size_t nb, na;
        int failures = tg_test_failures;
        unlink(path);
        if (files[i].content) {
            tg_test_write_file("refuse.db", files[i].content, strlen(files[i].content));
        } else if (!strcmp(files[i].sql, "TRIGGER") ||
                   !strncmp(files[i].sql, "CREATE TABLE extra", 18)) {
            tg_graph *g = sample();
            make_store(path, g);
            tg_graph_free(g);
            TG_CHECK(sql_exec(path, !strcmp(files[i].sql, "TRIGGER")
                                        ? "CREATE TRIGGER evil AFTER INSERT ON write_log BEGIN"
                                          " DELETE FROM base; END;"
                                        : files[i].sql) == SQLITE_OK);
        } else {
            TG_CHECK(sql_exec(path, files[i].sql) == SQLITE_OK);
        }
        before = slurp(path, &nb);
        s = NULL;
        TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_EIO);
        TG_CHECK(s == NULL);
        TG_CHECK(strstr(err.message, files[i].message) != NULL);
        TG_CHECK(tg_store_open(path, TG_STORE_READ, &s, &err) == TG_EIO);
        after = slurp(path, &na);
        TG_CHECK(before && after && nb == na && memcmp(before, after, nb) == 0);
        if (tg_test_failures != failures)
            fprintf(stderr, "  (file \"%s\": %s)\n", files[i].name, err.message);
        free(before);
        free(after);
    }
    unlink(path);
    TG_CHECK(tg_store_open(tg_test_path("missing.db"), TG_STORE_READ, &s, &err) == TG_EIO);
    TG_CHECK(strstr(err.message, "no store") != NULL);
    TG_CHECK(tg_store_open("/", TG_STORE_WRITE, &s, &err) == TG_EIO);
    TG_CHECK(tg_store_open("", TG_STORE_WRITE, &s, &err) == TG_EINVAL);
    TG_CHECK(tg_store_open("file:x.db?mode=memory", TG_STORE_WRITE, &s, &err) == TG_EINVAL);
    TG_CHECK(access("file:x.db?mode=memory", F_OK) != 0);
    /* an empty file becomes a new store */
    tg_test_write_file("refuse.db", "", 0);
    TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_OK);
    tg_store_close(s);
    unlink(path);
    /* an in-memory store */
    s = NULL;
    TG_CHECK(tg_store_open(":memory:", TG_STORE_WRITE, &s, &err) == TG_OK);
    tg_store_close(s);
}

/* A damaged part that is read lazily: opening works, the damage is
 * reported when the part is needed, and nothing reads garbage. */
static void t_lazy_damage(void)
{
    const char *path = tg_test_path("damage.db");
    tg_graph *g = sample(), *r = NULL;
    tg_store *s = NULL;
    tg_error err;
    const tg_rel *rels;

    make_store(path, g);
    TG_CHECK(sql_exec(path, "UPDATE base SET data = X'00' WHERE seg = 'rel.to'") == SQLITE_OK);
    TG_CHECK(tg_store_open(path, TG_STORE_READ, &s, &err) == TG_OK);
    TG_CHECK(s && tg_store_load(s, &r, &err) == TG_OK);
    tg_store_close(s);
    if (r) {
        TG_CHECK(tg_graph_find_entity(r, "cetc", 4) == 3);
        TG_CHECK(tg_graph_status(r, &err) == TG_OK);
        TG_CHECK(tg_graph_out(r, 3, &rels) == 0);
        TG_CHECK(tg_graph_status(r, &err) == TG_EDATA);
        TG_CHECK(strstr(err.message, "rel.to") != NULL);
        TG_CHECK(tg_graph_rel_from(r, 0) == TG_NONE);
    }
    tg_graph_free(r);
    tg_graph_free(g);
    unlink(path);
}

/* A value past SQLite's length limit (1 GB; lowered here) is refused with
 * a clear message, and the store keeps what it had. */
static void t_too_big(void)
{
    const char *path = tg_test_path("big.db");
    tg_graph *g = sample(), *back;
    tg_store *s = NULL;
    tg_error err;
    char *huge = malloc(300001);
    int pass;

    make_store(path, g);
    memset(huge, 'x', 300000);
    huge[300000] = '\0';
    for (pass = 0; pass < 2; pass++) { /* 0: into the change log, 1: a fold */
        tg_graph *w = NULL;
        s = NULL;
        setenv("TG_STORE_MAX_LENGTH", "100000", 1);
        setenv("TG_STORE_FOLD_ROWS", pass ? "0" : "10000", 1);
        TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_OK);
        TG_CHECK(s && tg_store_load(s, &w, &err) == TG_OK);
        if (w) {
            set_str(w, TG_ENTITY, find(w, "cetc"), "name", huge);
            TG_CHECK(tg_store_save(s, w, &err) == TG_EIO);
            TG_CHECK(strstr(err.message, "larger than SQLite allows") != NULL);
            TG_CHECK(strstr(err.file, "big.db") != NULL);
        }
        tg_graph_free(w);
        tg_store_close(s);
        unsetenv("TG_STORE_MAX_LENGTH");
        unsetenv("TG_STORE_FOLD_ROWS");
        back = read_store(path);
        TG_CHECK(back && tg_graph_equal(back, g));
        tg_graph_free(back);
    }
    free(huge);
    tg_graph_free(g);
    unlink(path);
}

static void t_deletions_persist(void)
{
    const char *path = tg_test_path("del.db");
    tg_graph *g = sample(), *back;
    tg_error err;
    tg_ent cetc = find(g, "cetc");

    TG_CHECK(tg_graph_delete_relation(g, 0, &err) == TG_OK);
    TG_CHECK(tg_graph_delete_entity(g, cetc, 0, &err) == TG_EINVAL); /* two OWNS left */
    TG_CHECK(tg_graph_delete_entity(g, cetc, 1, &err) == TG_OK);
    make_store(path, g);
    back = read_store(path);
    TG_CHECK(back && tg_graph_equal(g, back));
    TG_CHECK(back && tg_graph_live_entity_count(back) == 4);
    TG_CHECK(back && tg_graph_live_relation_count(back) == 0);
    TG_CHECK(back && find(back, "cetc") == TG_NONE);
    TG_CHECK(back && !tg_graph_entity_is_live(back, cetc));
    TG_CHECK(back && tg_graph_add_entity(back, "cetc", 4, NULL, &err) == TG_OK);
    tg_graph_free(back);
    tg_graph_free(g);
    unlink(path);
}

int main(void)
{
    TG_RUN(t_roundtrip);
    TG_RUN(t_small_writes);
    TG_RUN(t_writes_then_vacuum);
    TG_RUN(t_snapshot_and_busy);
    TG_RUN(t_versions);
    TG_RUN(t_refusals);
    TG_RUN(t_lazy_damage);
    TG_RUN(t_too_big);
    TG_RUN(t_deletions_persist);
    return tg_test_finish();
}
