/* store.c — the SQLite store (see store.h).
 *
 * Schema version 1:
 *   meta(key TEXT PRIMARY KEY, value TEXT)       format, byte order, counts
 *   segment(name TEXT PRIMARY KEY, data BLOB)    the graph's segments
 *   imports(id INTEGER PRIMARY KEY, file, bytes, entities, relations, at)
 * A save deletes every segment row and inserts the new ones in one
 * transaction. Loading reads each BLOB with sqlite3_blob_read straight into
 * the buffer the engine adopts as its array, so a segment is copied once.
 * The page cache is kept small: the blobs are read once and never again.
 */
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SCHEMA_VERSION 1

struct tg_store {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *find; /* rowid and size of a segment by name */
};

static const char *byte_order(void)
{
    const uint16_t one = 1;

    return *(const unsigned char *)&one ? "little" : "big";
}

static tg_status db_error(tg_store *s, const char *what, tg_error *err)
{
    return tg_error_set(err, TG_EIO, s ? s->path : NULL, 0, 0, "%s: %s", what,
                        s && s->db ? sqlite3_errmsg(s->db) : "cannot open");
}

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static int get_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);

    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    else
        rc = SQLITE_ERROR;
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

static int create_schema(sqlite3 *db)
{
    char sql[512];

    snprintf(sql, sizeof sql,
             "BEGIN;"
             "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
             "CREATE TABLE segment(name TEXT PRIMARY KEY, data BLOB NOT NULL);"
             "CREATE TABLE imports(id INTEGER PRIMARY KEY, file TEXT NOT NULL, bytes INTEGER,"
             " entities INTEGER, relations INTEGER, at TEXT DEFAULT CURRENT_TIMESTAMP);"
             "INSERT INTO meta VALUES('format','tiegraph-store'),('byte_order','%s');"
             "PRAGMA user_version=%d;"
             "COMMIT;",
             byte_order(), SCHEMA_VERSION);
    return exec(db, sql) == SQLITE_OK ? 0 : -1;
}

/* Checks that the open file is a tiegraph store this build can read. */
static tg_status check_store(tg_store *s, tg_error *err)
{
    sqlite3_stmt *st = NULL;
    int version = -1, ok_format = 0, ok_order = 0;
    tg_status rc = TG_OK;

    if (get_version(s->db, &version) != 0)
        return tg_error_set(err, TG_EIO, s->path, 0, 0,
                            "not a tiegraph store (not an SQLite database)");
    if (version != SCHEMA_VERSION)
        return tg_error_set(err, TG_EIO, s->path, 0, 0,
                            "store schema version %d; this tiegraph reads version %d",
                            version, SCHEMA_VERSION);
    if (sqlite3_prepare_v2(s->db, "SELECT key, value FROM meta", -1, &st, NULL) != SQLITE_OK)
        return tg_error_set(err, TG_EIO, s->path, 0, 0, "not a tiegraph store (no meta table)");
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (k && v && !strcmp(k, "format") && !strcmp(v, "tiegraph-store"))
            ok_format = 1;
        if (k && v && !strcmp(k, "byte_order"))
            ok_order = !strcmp(v, byte_order());
    }
    sqlite3_finalize(st);
    if (!ok_format)
        rc = tg_error_set(err, TG_EIO, s->path, 0, 0, "not a tiegraph store");
    else if (!ok_order)
        rc = tg_error_set(err, TG_EIO, s->path, 0, 0,
                          "the store was written on a machine of another byte order");
    return rc;
}

tg_status tg_store_open(const char *path, tg_store_mode mode, tg_store **out, tg_error *err)
{
    tg_store *s = NULL;
    struct stat sb;
    int exists, flags, version = 0;
    tg_status st = TG_OK;
    int memory = strcmp(path, ":memory:") == 0;

    *out = NULL;
    exists = memory || stat(path, &sb) == 0;
    if (!exists && mode == TG_STORE_READ)
        return tg_error_set(err, TG_EIO, path, 0, 0,
                            "no store here; create one with `tiegraph import --db %s FILE`", path);
    if (exists && !memory && S_ISDIR(sb.st_mode))
        return tg_error_set(err, TG_EIO, path, 0, 0, "is a directory, not a store");
    s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    flags = mode == TG_STORE_READ && !memory ? SQLITE_OPEN_READONLY
                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        st = db_error(s, "cannot open the store", err);
        goto done;
    }
    sqlite3_busy_timeout(s->db, 5000);
    exec(s->db, "PRAGMA cache_size=-2000");
    if (get_version(s->db, &version) != 0) {
        st = tg_error_set(err, TG_EIO, path, 0, 0, "not a tiegraph store (not an SQLite database)");
        goto done;
    }
    if (version == 0 && mode == TG_STORE_WRITE) {
        /* A new file (or an empty database): lay down the schema. Large
         * pages suit a store made of a few large BLOBs. */
        sqlite3_stmt *q = NULL;
        int empty = 1;
        if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW)
            empty = sqlite3_column_int(q, 0) == 0;
        sqlite3_finalize(q);
        if (!empty) {
            st = tg_error_set(err, TG_EIO, path, 0, 0,
                              "is an SQLite database but not a tiegraph store; refusing to change it");
            goto done;
        }
        exec(s->db, "PRAGMA page_size=65536");
        if (create_schema(s->db) != 0) {
            st = db_error(s, "cannot create the store", err);
            goto done;
        }
    }
    if ((st = check_store(s, err)) != TG_OK)
        goto done;
    if (sqlite3_prepare_v2(s->db, "SELECT rowid, length(data) FROM segment WHERE name = ?1", -1,
                           &s->find, NULL) != SQLITE_OK) {
        st = db_error(s, "cannot read the store", err);
        goto done;
    }
    *out = s;
    s = NULL;
done:
    tg_store_close(s);
    return st;
}

void tg_store_close(tg_store *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->find);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

const char *tg_store_path(const tg_store *s)
{
    return s->path;
}

/* ---- loading ------------------------------------------------------------- */

static int fetch_segment(void *ctx, const char *name, void **data, size_t *size)
{
    tg_store *s = ctx;
    sqlite3_int64 rowid;
    sqlite3_int64 len;
    sqlite3_blob *blob = NULL;
    void *buf = NULL;
    int rc = -1;

    sqlite3_reset(s->find);
    sqlite3_bind_text(s->find, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(s->find) != SQLITE_ROW)
        goto done;
    rowid = sqlite3_column_int64(s->find, 0);
    len = sqlite3_column_int64(s->find, 1);
    buf = malloc(len > 0 ? (size_t)len : 1);
    if (!buf)
        goto done;
    if (len > 0) {
        if (sqlite3_blob_open(s->db, "main", "segment", "data", rowid, 0, &blob) != SQLITE_OK ||
            sqlite3_blob_read(blob, buf, (int)len, 0) != SQLITE_OK)
            goto done;
    }
    *data = buf;
    *size = (size_t)len;
    buf = NULL;
    rc = 0;
done:
    sqlite3_blob_close(blob);
    sqlite3_reset(s->find);
    free(buf);
    return rc;
}

tg_status tg_store_load(tg_store *s, tg_graph **out, tg_error *err)
{
    sqlite3_stmt *q = NULL;
    int has_graph = 0;
    tg_status st;

    *out = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM segment WHERE name = 'meta'", -1, &q, NULL) != SQLITE_OK)
        return db_error(s, "cannot read the store", err);
    has_graph = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    if (!has_graph) {
        *out = tg_graph_new();
        return *out ? TG_OK : tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    st = tg_graph_load_segments(fetch_segment, s, out, err);
    if (st != TG_OK && err && !err->file[0])
        snprintf(err->file, sizeof err->file, "%s", s->path);
    return st;
}

/* ---- saving -------------------------------------------------------------- */

typedef struct save_ctx {
    tg_store *s;
    sqlite3_stmt *ins;
} save_ctx;

static int put_segment(void *vctx, const char *name, const void *data, size_t size)
{
    save_ctx *c = vctx;
    int rc;

    if (size > 0x7FFFFFFF) /* SQLite's BLOB limit */
        return -1;
    sqlite3_reset(c->ins);
    sqlite3_bind_text(c->ins, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(c->ins, 2, data, (int)size, SQLITE_STATIC);
    rc = sqlite3_step(c->ins);
    sqlite3_reset(c->ins);
    sqlite3_clear_bindings(c->ins);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int set_meta(sqlite3 *db, const char *key, long long value)
{
    char sql[256];

    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta VALUES('%s','%lld')", key, value);
    return exec(db, sql);
}

tg_status tg_store_save_import(tg_store *s, const tg_graph *g, const tg_import_record *recs,
                               size_t nrecs, tg_error *err)
{
    save_ctx c = {s, NULL};
    sqlite3_stmt *log = NULL;
    tg_status st = TG_OK;
    size_t i;

    if (exec(s->db, "BEGIN IMMEDIATE") != SQLITE_OK)
        return db_error(s, "cannot write the store", err);
    if (exec(s->db, "DELETE FROM segment") != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT INTO segment(name, data) VALUES(?1, ?2)", -1, &c.ins,
                           NULL) != SQLITE_OK) {
        st = db_error(s, "cannot write the store", err);
        goto rollback;
    }
    st = tg_graph_save_segments(g, put_segment, &c, err);
    if (st != TG_OK) {
        if (st == TG_EIO)
            st = db_error(s, "cannot write the store", err);
        goto rollback;
    }
    if (set_meta(s->db, "entities", (long long)tg_graph_live_entity_count(g)) != SQLITE_OK ||
        set_meta(s->db, "relations", (long long)tg_graph_live_relation_count(g)) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "INSERT INTO imports(file, bytes, entities, relations) VALUES(?1,?2,?3,?4)",
                           -1, &log, NULL) != SQLITE_OK) {
        st = db_error(s, "cannot write the store", err);
        goto rollback;
    }
    for (i = 0; i < nrecs; i++) {
        sqlite3_reset(log);
        sqlite3_bind_text(log, 1, recs[i].file, -1, SQLITE_STATIC);
        sqlite3_bind_int64(log, 2, recs[i].bytes);
        sqlite3_bind_int64(log, 3, recs[i].entities);
        sqlite3_bind_int64(log, 4, recs[i].relations);
        if (sqlite3_step(log) != SQLITE_DONE) {
            st = db_error(s, "cannot write the store", err);
            goto rollback;
        }
    }
    sqlite3_finalize(c.ins);
    sqlite3_finalize(log);
    c.ins = log = NULL;
    if (exec(s->db, "COMMIT") != SQLITE_OK) {
        st = db_error(s, "cannot commit to the store", err);
        goto rollback;
    }
    return TG_OK;
rollback:
    sqlite3_finalize(c.ins);
    sqlite3_finalize(log);
    exec(s->db, "ROLLBACK");
    return st;
}

tg_status tg_store_save(tg_store *s, const tg_graph *g, tg_error *err)
{
    return tg_store_save_import(s, g, NULL, 0, err);
}

long long tg_store_import_count(tg_store *s)
{
    sqlite3_stmt *q = NULL;
    long long n = 0;

    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM imports", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}
