/* store.c — the SQLite store (see store.h and docs/store.md).
 *
 * Version 2 keeps the graph as a base plus a change log:
 * - the base is the engine's segments (engine/serial.c) cut into chunks of
 *   TG_I_CHUNK items, one row of `base` each. Opening reads the strings,
 *   entities, lists and sources; relations and property columns are read
 *   when the engine first needs them (tg_graph_open_segments), inside the
 *   same snapshot;
 * - a save writes what changed since the graph was loaded (the engine's
 *   change marks) as rows of change_entity / _relation / _property /
 *   _source, which opening replays onto the base. When the log would pass
 *   FOLD_ROWS rows the save writes a new base instead (a fold) and empties
 *   the log. So a small write costs what it changes, and opening never
 *   replays more than FOLD_ROWS rows;
 * - every save records one row of write_log (kind, text or files, counts);
 * - the views of store_views.c read base and log together for SQL users.
 *
 * Transactions: the connection holds a read transaction (READ) or the
 * write lock (WRITE, BEGIN IMMEDIATE) from open to close. A save commits
 * and takes the lock again at once; meta.generation, bumped by every
 * commit, tells whether another writer slipped in between (then this
 * handle refuses further saves: its graph is out of date). The journal is
 * WAL: readers see the last commit before their snapshot, never half of a
 * write, and do not wait for writers.
 *
 * The file is opened defensively (SQLITE_DBCONFIG_DEFENSIVE, no trusted
 * schema) and its schema checked against the list of objects we create, so
 * that a file with triggers or foreign tables is refused, never written.
 */
#include "store.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_internal.h"
#include "tgvec.h"
#include "temporal.h"
#include "store_internal.h"

#define FOLD_ROWS 10000 /* change-log rows beyond which a save folds */

/* The fold bound; $TG_STORE_FOLD_ROWS overrides it (tests use a small one
 * to reach the fold with small graphs). */
static long long fold_rows(void)
{
    const char *env = getenv("TG_STORE_FOLD_ROWS");
    char *end;
    long long v;

    if (!env || !*env)
        return FOLD_ROWS;
    v = strtoll(env, &end, 10);
    return *end || v < 0 ? FOLD_ROWS : v;
}
#define PROPS_GUESS 4 /* properties a new item has, to guess a save's rows */

static int busy_timeout_ms = 5000;

#define SIZE_CACHE 16

struct tg_store {
    sqlite3 *db;
    char *path;
    int refs; /* the caller's and each lazily read graph's */
    tg_store_mode mode;
    int txn;               /* 0 none, 1 read, 2 write */
    int version;           /* PRAGMA user_version once opened */
    int created;           /* this handle laid the schema down: WAL after the first commit */
    int hold;              /* opened for writing: keeps the lock from open to close */
    int stale;             /* another writer committed between our saves */
    long long generation;  /* meta.generation at our last look */
    long long pending;     /* rows in the change log */
    const tg_graph *graph; /* the graph loaded from this handle (deltas apply to it) */
    sqlite3_stmt *chunks;  /* SELECT data FROM base WHERE seg = ? ORDER BY k */
    sqlite3_stmt *segsize; /* SELECT bytes FROM base_segment WHERE name = ? */
    sqlite3_stmt *range;   /* SELECT k, data FROM base WHERE seg = ? AND k BETWEEN ? AND ? */
    int bind_rc;           /* the first failed bind since the last check */
    char *str_data;        /* str.data rebuilt along with str.len, until fetched */
    size_t str_data_size;
    /* the sizes of the base segments looked up so far (a page read needs
     * its segment's size; the base does not change under a snapshot) */
    struct {
        char name[24];
        long long bytes;
    } sizes[SIZE_CACHE];
    int nsizes;
};

void tg_store_set_busy_timeout(int ms)
{
    busy_timeout_ms = ms < 0 ? 0 : ms;
}

/* ---- errors ------------------------------------------------------------------ */

/* Reports the last SQLite failure of s as an error naming the store. */
static tg_status fail(tg_store *s, const char *what, tg_error *err)
{
    int code = s && s->db ? sqlite3_extended_errcode(s->db) : SQLITE_CANTOPEN;
    tg_status st = TG_EIO;
    const char *why;
    char buf[300];

    switch (code & 0xff) {
    case SQLITE_FULL: why = "the disk is full (or a file size limit was reached)"; break;
    case SQLITE_READONLY:
        why = "the store is read-only (check the file's and the folder's permissions)";
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        snprintf(buf, sizeof buf,
                 "another tiegraph is writing it; gave up after %.1f s (see --busy-timeout)",
                 busy_timeout_ms / 1000.0);
        why = buf;
        break;
    case SQLITE_NOMEM:
        st = TG_ENOMEM;
        why = "out of memory";
        break;
    case SQLITE_TOOBIG:
        why = "a value is larger than SQLite allows (1 GB); see docs/formats.md";
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: why = "the file is damaged or not an SQLite database"; break;
    case SQLITE_CANTOPEN: why = "cannot open the file (a missing folder, or permissions)"; break;
    case SQLITE_IOERR: {
        int e = s && s->db ? sqlite3_system_errno(s->db) : 0;
        if (e == ENOSPC || e == EDQUOT)
            why = "the disk is full (or the quota is used up)";
        else if (e == EFBIG)
            why = "the file size limit was reached (ulimit -f), as on a full disk";
        else if (e == EROFS || e == EACCES || e == EPERM)
            why = "the store is read-only (check the file's and the folder's permissions)";
        else if (code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_TRUNCATE)
            why = "writing failed: the disk is full, a file size limit was reached, or the "
                  "device failed";
        else {
            snprintf(buf, sizeof buf, "input/output error (%s)",
                     e            ? strerror(e)
                     : s && s->db ? sqlite3_errmsg(s->db)
                                  : "?");
            why = buf;
        }
        break;
    }
    default: why = s && s->db ? sqlite3_errmsg(s->db) : "cannot open"; break;
    }
    return tg_error_set(err, st, s ? s->path : NULL, 0, 0, "%s: %s", what, why);
}

static tg_status nomem(tg_error *err)
{
    return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- a little JSON, for the readable columns ----------------------------------- */

/* A growable string for JSON text; oom set when memory ran out. */
typedef struct jbuf {
    char *s;
    size_t n, cap;
    int oom;
} jbuf;

static void jb_raw(jbuf *b, const char *s, size_t len)
{
    if (b->oom)
        return;
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        char *ns;
        while (cap < b->n + len + 1)
            cap *= 2;
        if (!(ns = realloc(b->s, cap))) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
}

static void jb_puts(jbuf *b, const char *s)
{
    jb_raw(b, s, strlen(s));
}

/* s[0..len) as a JSON string: quotes, backslashes and control bytes escaped
 * (a NUL byte too, as \u0000); the rest is UTF-8 already. */
static void jb_str(jbuf *b, const char *s, size_t len)
{
    size_t i, run = 0;

    jb_raw(b, "\"", 1);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        jb_raw(b, s + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else
            snprintf(esc, sizeof esc, "\\u%04x", c);
        jb_puts(b, esc);
    }
    jb_raw(b, s + run, len - run);
    jb_raw(b, "\"", 1);
}

/* The finished text (owned), or NULL when memory ran out. */
static char *jb_done(jbuf *b)
{
    if (b->oom || !b->s) {
        free(b->s);
        return b->oom ? NULL : strdup("");
    }
    return b->s;
}

/* Parses text as one JSON value of the wanted kind into *v (borrowing p's
 * arena); -1 when it is not. */
static int json_parse(tg_jparser *p, const char *text, size_t len, tg_jkind want, tg_jval *v)
{
    tg_i_json_reset(p, text ? text : "", text ? len : 0, 0);
    return text && tg_i_json_value(p, v) == 0 && v->kind == want ? 0 : -1;
}

/* Binding can fail (a value past SQLite's length limit): then the column
 * would silently be NULL. Every bind of a write goes through these, and
 * bind_check turns a failure into an error before the row is written. */
static void bind_text(tg_store *s, sqlite3_stmt *q, int i, const char *t, int len,
                      void (*destroy)(void *))
{
    int rc = sqlite3_bind_text(q, i, t, len, destroy);

    if (rc != SQLITE_OK && !s->bind_rc)
        s->bind_rc = rc;
}

static void bind_blob(tg_store *s, sqlite3_stmt *q, int i, const void *b, int len,
                      void (*destroy)(void *))
{
    int rc = sqlite3_bind_blob(q, i, b, len, destroy);

    if (rc != SQLITE_OK && !s->bind_rc)
        s->bind_rc = rc;
}

static tg_status bind_check(tg_store *s, tg_error *err)
{
    int rc = s->bind_rc;

    s->bind_rc = 0;
    if (rc == SQLITE_OK)
        return TG_OK;
    if (rc == SQLITE_NOMEM)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    return tg_error_set(err, TG_EIO, s->path, 0, 0, "cannot write the store: %s",
                        rc == SQLITE_TOOBIG
                            ? "a value is larger than SQLite allows (1 GB); see docs/formats.md"
                            : sqlite3_errstr(rc));
}

/* Runs one bound INSERT (or UPDATE) to its end: the bindings checked, then
 * the step; 0, or -1 with *st set (the writers keep their status there). */
static int write_step(tg_store *s, sqlite3_stmt *q, tg_status *st, tg_error *err)
{
    if ((*st = bind_check(s, err)) != TG_OK)
        return -1;
    if (sqlite3_step(q) != SQLITE_DONE) {
        *st = fail(s, "cannot write the store", err);
        return -1;
    }
    return 0;
}

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static const char *byte_order(void)
{
    const uint16_t one = 1;

    return *(const unsigned char *)&one ? "little" : "big";
}

/* One integer from a query (0 when there is no row). */
static long long query_int(sqlite3 *db, const char *sql, int *ok)
{
    sqlite3_stmt *q = NULL;
    long long v = 0;
    int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            v = sqlite3_column_int64(q, 0);
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(q);
    if (ok)
        *ok = rc == SQLITE_OK;
    return v;
}

static int set_meta(sqlite3 *db, const char *key, long long value)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta VALUES(?1, ?2)", -1, &q, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, value);
        rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
    }
    sqlite3_finalize(q);
    return rc;
}

static long long get_meta(sqlite3 *db, const char *key)
{
    char sql[128];

    snprintf(sql, sizeof sql, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = '%s'", key);
    return query_int(db, sql, NULL);
}

/* ---- schema ------------------------------------------------------------------ */

static const char schema_v2[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE base(seg TEXT NOT NULL, k INTEGER NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY(seg, k));"
    "CREATE TABLE base_segment(name TEXT PRIMARY KEY, bytes INTEGER NOT NULL,"
    " items INTEGER NOT NULL);"
    "CREATE TABLE base_labelset(lset INTEGER PRIMARY KEY, labels TEXT NOT NULL);"
    "CREATE TABLE base_column(side TEXT NOT NULL, k INTEGER NOT NULL, key TEXT NOT NULL,"
    " rows INTEGER NOT NULL, PRIMARY KEY(side, k));"
    "CREATE TABLE base_source(id TEXT PRIMARY KEY, fields TEXT NOT NULL);"
    "CREATE TABLE write_log(id INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL,"
    " what TEXT, entities INTEGER, relations INTEGER, properties INTEGER, removed INTEGER,"
    " deleted INTEGER, changes INTEGER NOT NULL DEFAULT 0, folded INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE write_file(write_id INTEGER NOT NULL, file TEXT NOT NULL, bytes INTEGER,"
    " entities INTEGER, relations INTEGER);"
    "CREATE TABLE change_entity(ent INTEGER NOT NULL, write_id INTEGER NOT NULL,"
    " id TEXT NOT NULL, labels TEXT NOT NULL, deleted INTEGER NOT NULL,"
    " PRIMARY KEY(ent, write_id)) WITHOUT ROWID;"
    "CREATE TABLE change_relation(rel INTEGER NOT NULL, write_id INTEGER NOT NULL,"
    " type TEXT NOT NULL, src INTEGER NOT NULL, dst INTEGER NOT NULL, deleted INTEGER NOT NULL,"
    " PRIMARY KEY(rel, write_id)) WITHOUT ROWID;"
    "CREATE TABLE change_property(side TEXT NOT NULL, item INTEGER NOT NULL, key TEXT NOT NULL,"
    " write_id INTEGER NOT NULL, type TEXT NOT NULL, value,"
    " PRIMARY KEY(side, item, key, write_id)) WITHOUT ROWID;"
    "CREATE TABLE change_string(sym INTEGER PRIMARY KEY, write_id INTEGER NOT NULL,"
    " text TEXT NOT NULL);"
    "CREATE TABLE change_source(id TEXT NOT NULL, write_id INTEGER NOT NULL, fields TEXT NOT NULL,"
    " PRIMARY KEY(id, write_id)) WITHOUT ROWID;";

/* Objects of a version-1 store. */
static const char *const v1_objects[] = {
    "meta", "segment", "imports", "sqlite_autoindex_meta_1", "sqlite_autoindex_segment_1", NULL};

static int in_list(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (!strcmp(*list, name))
            return 1;
    return 0;
}

/* Refuses a file whose schema holds anything but our objects (a trigger, a
 * foreign table): such a file is not ours to write, and its triggers would
 * run on our writes. */
static tg_status check_objects(tg_store *s, const char *const *objects, tg_error *err)
{
    sqlite3_stmt *q = NULL;
    tg_status st = TG_OK;
    int rc;

    if (sqlite3_prepare_v2(s->db, "SELECT type, name FROM sqlite_master", -1, &q, NULL) !=
        SQLITE_OK)
        return fail(s, "cannot read the store's schema", err);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(q, 0);
        const char *name = (const char *)sqlite3_column_text(q, 1);
        if (!type || !name || !strcmp(type, "trigger") ||
            (!in_list(objects, name) && strncmp(name, "sqlite_stat", 11) != 0)) {
            st = tg_error_set(err, TG_EIO, s->path, 0, 0,
                              "not a tiegraph store: it holds the %s '%s', which tiegraph does "
                              "not make; refusing to use it",
                              type ? type : "object", name ? name : "?");
            break;
        }
    }
    if (st == TG_OK && rc != SQLITE_DONE)
        st = fail(s, "cannot read the store's schema", err);
    sqlite3_finalize(q);
    return st;
}

/* Checks meta's format and byte order. */
static tg_status check_meta(tg_store *s, tg_error *err)
{
    sqlite3_stmt *q = NULL;
    int ok_format = 0, ok_order = 0;

    if (sqlite3_prepare_v2(s->db, "SELECT key, value FROM meta", -1, &q, NULL) != SQLITE_OK)
        return tg_error_set(err, TG_EIO, s->path, 0, 0, "not a tiegraph store (no meta table)");
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(q, 0);
        const char *v = (const char *)sqlite3_column_text(q, 1);
        if (k && v && !strcmp(k, "format") && !strcmp(v, "tiegraph-store"))
            ok_format = 1;
        if (k && v && !strcmp(k, "byte_order"))
            ok_order = !strcmp(v, byte_order());
    }
    sqlite3_finalize(q);
    if (!ok_format)
        return tg_error_set(err, TG_EIO, s->path, 0, 0, "not a tiegraph store");
    if (!ok_order)
        return tg_error_set(err, TG_EIO, s->path, 0, 0,
                            "the store was written on a machine of another byte order");
    return TG_OK;
}

/* Lays down the SQL views; the SQL text is built with tiegraph's own
 * allocator, whose failure SQLite never sees. */
static tg_status create_views(tg_store *s, const char *what, tg_error *err)
{
    int rc = tg_i_store_create_views(s->db);

    if (rc == SQLITE_NOMEM)
        return tg_error_set(err, TG_ENOMEM, s->path, 0, 0, "%s: out of memory", what);
    return rc == SQLITE_OK ? TG_OK : fail(s, what, err);
}

static tg_status create_schema(tg_store *s, tg_error *err)
{
    tg_status st;
    char sql[256];

    if (exec(s->db, schema_v2) != SQLITE_OK)
        return fail(s, "cannot create the store", err);
    if ((st = create_views(s, "cannot create the store", err)) != TG_OK)
        return st;
    snprintf(sql, sizeof sql,
             "INSERT INTO meta VALUES('format','tiegraph-store'),('byte_order','%s'),"
             "('generation','0'),('pending','0');"
             "PRAGMA user_version=%d;",
             byte_order(), TG_STORE_VERSION);
    if (exec(s->db, sql) != SQLITE_OK)
        return fail(s, "cannot create the store", err);
    s->version = TG_STORE_VERSION;
    s->created = 1;
    return TG_OK;
}

/* Checks the open file inside the transaction just begun; lays the schema
 * down in an empty file opened for writing. */
static tg_status check_store(tg_store *s, tg_error *err)
{
    int ok, version = (int)query_int(s->db, "PRAGMA user_version", &ok);
    tg_status st;

    if (!ok)
        return fail(s, "not a tiegraph store", err);
    s->version = version;
    if (version == 0) {
        long long n = query_int(s->db, "SELECT count(*) FROM sqlite_master", &ok);
        if (!ok)
            return fail(s, "not a tiegraph store", err);
        if (n != 0)
            return tg_error_set(err, TG_EIO, s->path, 0, 0,
                                "is an SQLite database but not a tiegraph store; "
                                "refusing to change it");
        if (s->mode != TG_STORE_WRITE)
            return tg_error_set(err, TG_EIO, s->path, 0, 0,
                                "is empty, not a tiegraph store yet; create one with "
                                "`tiegraph import --db %s FILE`",
                                s->path);
        return create_schema(s, err);
    }
    if (version > TG_STORE_VERSION)
        return tg_error_set(err, TG_EIO, s->path, 0, 0,
                            "store version %d was written by a newer tiegraph; this one reads "
                            "versions 1 to %d (nothing was changed)",
                            version, TG_STORE_VERSION);
    if (version != 1 && version != TG_STORE_VERSION)
        return tg_error_set(err, TG_EIO, s->path, 0, 0, "not a tiegraph store (schema version %d)",
                            version);
    st = check_objects(s, version == 1 ? v1_objects : tg_i_store_objects, err);
    if (st == TG_OK)
        st = check_meta(s, err);
    if (st == TG_OK && version == TG_STORE_VERSION) {
        s->generation = get_meta(s->db, "generation");
        s->pending = get_meta(s->db, "pending");
    }
    return st;
}

/* ---- opening ------------------------------------------------------------------ */

static void store_free(tg_store *s)
{
    if (s->txn)
        exec(s->db, "ROLLBACK");
    sqlite3_finalize(s->chunks);
    sqlite3_finalize(s->segsize);
    sqlite3_finalize(s->range);
    sqlite3_close(s->db);
    free(s->str_data);
    free(s->path);
    free(s);
}

static void unref(tg_store *s)
{
    if (s && --s->refs == 0)
        store_free(s);
}

void tg_store_close(tg_store *s)
{
    unref(s);
}

/* The graph reading through s lets it go. */
static void graph_released(void *ctx)
{
    tg_store *s = ctx;

    s->graph = NULL;
    unref(s);
}

/* Whether the file at path starts like an SQLite database (an empty file
 * counts: SQLite lays a new database into it). */
static int looks_like_sqlite(const char *path, off_t size)
{
    char head[16];
    FILE *f;
    int ok;

    if (size == 0)
        return 1;
    f = fopen(path, "rb");
    if (!f)
        return 1; /* let SQLite say why it cannot be read */
    ok = fread(head, 1, sizeof head, f) == sizeof head && !memcmp(head, "SQLite format 3", 16);
    fclose(f);
    return ok;
}

static tg_status begin(tg_store *s, tg_error *err)
{
    if (s->mode == TG_STORE_WRITE) {
        if (exec(s->db, "BEGIN IMMEDIATE") != SQLITE_OK)
            return fail(s, "cannot lock the store for writing", err);
        s->txn = 2;
    } else {
        if (exec(s->db, "BEGIN") != SQLITE_OK)
            return fail(s, "cannot read the store", err);
        s->txn = 1;
    }
    return TG_OK;
}

static tg_status open_db(tg_store *s, int flags, const char *name, tg_error *err)
{
    if (sqlite3_open_v2(name, &s->db, flags, NULL) != SQLITE_OK)
        return fail(s,
                    s->mode == TG_STORE_WRITE ? "cannot open the store for writing"
                                              : "cannot open the store",
                    err);
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
#ifdef SQLITE_DBCONFIG_TRUSTED_SCHEMA
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
#endif
    exec(s->db, "PRAGMA trusted_schema=OFF");
    {
        /* $TG_STORE_MAX_LENGTH lowers SQLite's 1 GB value limit, so that
         * tests reach it with small data */
        const char *env = getenv("TG_STORE_MAX_LENGTH");
        if (env && atoi(env) > 0)
            sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, atoi(env));
    }
    sqlite3_busy_timeout(s->db, busy_timeout_ms);
    exec(s->db, "PRAGMA cache_size=-8000");
    exec(s->db, "PRAGMA synchronous=NORMAL"); /* see commit_and_relock */
    /* the base is read once, in big runs: map the file rather than copy
     * every page through pread (the store still works where mmap fails) */
    exec(s->db, "PRAGMA mmap_size=4294967296");
    return TG_OK;
}

tg_status tg_store_open(const char *path, tg_store_mode mode, tg_store **out, tg_error *err)
{
    tg_store *s = NULL;
    struct stat sb;
    int exists, memory, flags;
    tg_status st = TG_OK;

    *out = NULL;
    if (!path || !path[0])
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                            "the store needs a file name (an empty --db names none)");
    if (!strncmp(path, "file:", 5))
        return tg_error_set(err, TG_EINVAL, path, 0, 0,
                            "looks like an SQLite URI; give the store as a plain file path");
    memory = strcmp(path, ":memory:") == 0;
    exists = memory || stat(path, &sb) == 0;
    if (!exists && mode == TG_STORE_READ)
        return tg_error_set(err, TG_EIO, path, 0, 0,
                            "no store here; create one with `tiegraph import --db %s FILE`", path);
    if (exists && !memory && S_ISDIR(sb.st_mode))
        return tg_error_set(err, TG_EIO, path, 0, 0, "is a directory, not a store");
    if (exists && !memory && S_ISREG(sb.st_mode) && !looks_like_sqlite(path, sb.st_size))
        return tg_error_set(err, TG_EIO, path, 0, 0,
                            "not a tiegraph store (not an SQLite database); it was left unchanged");
    s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return nomem(err);
    }
    s->refs = 1;
    s->mode = mode;
    s->hold = mode == TG_STORE_WRITE;
    if (mode == TG_STORE_WRITE)
        flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    else /* a reader that can write may recover a crashed writer's journal */
        flags = memory || access(path, W_OK) == 0 ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    if ((st = open_db(s, flags, path, err)) != TG_OK)
        goto done;
    if (mode == TG_STORE_WRITE && (!exists || memory || sb.st_size == 0))
        exec(s->db, "PRAGMA page_size=65536"); /* before anything is written */
    st = begin(s, err);
    if (st == TG_OK)
        st = check_store(s, err);
    if (st != TG_OK && mode == TG_STORE_READ && flags == SQLITE_OPEN_READONLY) {
        /* A read-only file in a read-only folder: WAL needs a -shm file it
         * cannot make. Nobody can write there, so read it as immutable. */
        char uri[4200];
        tg_error e2;
        snprintf(uri, sizeof uri, "file:%s?immutable=1", path);
        sqlite3_close(s->db);
        s->db = NULL;
        s->txn = 0;
        tg_error_clear(&e2);
        if (open_db(s, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, uri, &e2) == TG_OK &&
            begin(s, &e2) == TG_OK && check_store(s, &e2) == TG_OK)
            st = TG_OK;
    }
    if (st != TG_OK)
        goto done;
    if (s->version == TG_STORE_VERSION &&
        (sqlite3_prepare_v2(s->db, "SELECT data FROM base WHERE seg = ?1 ORDER BY k", -1,
                            &s->chunks, NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(s->db, "SELECT bytes FROM base_segment WHERE name = ?1", -1,
                            &s->segsize, NULL) != SQLITE_OK)) {
        st = fail(s, "cannot read the store", err);
        goto done;
    }
    *out = s;
    s = NULL;
done:
    if (s)
        store_free(s);
    return st;
}

const char *tg_store_path(const tg_store *s)
{
    return s->path;
}

/* ---- the base: segments in chunks --------------------------------------------- */

/* Bytes per item of a segment, by its name (docs/store.md). */
static size_t item_size(const char *name)
{
    size_t n = strlen(name);

    if (!strcmp(name, "meta") || !strcmp(name, "ent.dead") || !strcmp(name, "rel.dead") ||
        !strcmp(name, "list.dedup") || !strcmp(name, "src.fields") ||
        (n > 5 && !strcmp(name + n - 5, ".cols")))
        return 8;
    if (!strcmp(name, "list.pool") || (n > 5 && !strcmp(name + n - 5, ".vals")))
        return 16;
    if (!strcmp(name, "src.recs"))
        return 12;
    return 4;
}

typedef struct base_writer {
    tg_store *s;
    tg_graph *g;
    sqlite3_stmt *chunk, *seg;
    void *str_len; /* str.len, kept until str.data arrives */
    size_t str_len_size;
    void *lset_off;
    size_t lset_off_size;
    tg_sym *keys[2];
    size_t nkeys[2];
    tg_status st;
    tg_error *err;
} base_writer;

static int put_chunk(base_writer *w, const char *seg, long long k, const void *data, size_t size)
{
    sqlite3_reset(w->chunk);
    bind_text(w->s, w->chunk, 1, seg, -1, SQLITE_STATIC);
    sqlite3_bind_int64(w->chunk, 2, k);
    bind_blob(w->s, w->chunk, 3, size ? data : "", (int)size, SQLITE_STATIC);
    return write_step(w->s, w->chunk, &w->st, w->err);
}

static int put_dir(base_writer *w, const char *name, size_t bytes, size_t items)
{
    sqlite3_reset(w->seg);
    sqlite3_bind_text(w->seg, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(w->seg, 2, (long long)bytes);
    sqlite3_bind_int64(w->seg, 3, (long long)items);
    if (sqlite3_step(w->seg) != SQLITE_DONE) {
        w->st = fail(w->s, "cannot write the store", w->err);
        return -1;
    }
    return 0;
}

/* Strings as chunks of TG_I_STR_CHUNK: offsets, then bytes without the
 * terminating NULs (docs/store.md). */
static int put_strings(base_writer *w, const char *data, size_t size)
{
    const uint32_t *len = w->str_len;
    size_t n = w->str_len_size / sizeof(uint32_t), first, pos = 0;
    char *buf = NULL;
    size_t cap = 0;

    for (first = 0; first < n; first += TG_I_STR_CHUNK) {
        size_t cnt = n - first < TG_I_STR_CHUNK ? n - first : TG_I_STR_CHUNK, i, bytes = 0, at;
        for (i = 0; i < cnt; i++)
            bytes += len[first + i];
        at = (cnt + 1) * sizeof(uint32_t);
        if (at + bytes > cap) {
            char *nb = realloc(buf, at + bytes);
            if (!nb) {
                free(buf);
                w->st = nomem(w->err);
                return -1;
            }
            buf = nb;
            cap = at + bytes;
        }
        for (i = 0; i < cnt; i++) {
            uint32_t off = (uint32_t)at, l = len[first + i];
            memcpy(buf + i * sizeof off, &off, sizeof off);
            if (pos + l + 1 > size) {
                free(buf);
                w->st = tg_error_set(w->err, TG_EINTERNAL, NULL, 0, 0, "strings out of step");
                return -1;
            }
            memcpy(buf + at, data + pos, l);
            at += l;
            pos += l + 1;
        }
        {
            uint32_t end = (uint32_t)at;
            memcpy(buf + cnt * sizeof end, &end, sizeof end);
        }
        if (at > 1000000000) { /* SQLite's default length limit */
            free(buf);
            w->st = tg_error_set(w->err, TG_EIO, w->s->path, 0, 0,
                                 "a string of %zu bytes is too long for the store (1 GB at "
                                 "most, see docs/formats.md)",
                                 at);
            return -1;
        }
        if (put_chunk(w, "str", (long long)(first / TG_I_STR_CHUNK), buf, at) != 0) {
            free(buf);
            return -1;
        }
    }
    free(buf);
    return put_dir(w, "str", size, n);
}

/* The SQL-side copies of small segments: label sets and column keys. */
static int put_labelsets(base_writer *w, const uint32_t *labels, size_t nlabels)
{
    const uint32_t *off = w->lset_off;
    size_t nsets = w->lset_off_size / sizeof(uint32_t), k;
    sqlite3_stmt *q = NULL;
    int rc = 0;

    if (sqlite3_prepare_v2(w->s->db, "INSERT INTO base_labelset VALUES(?1, ?2)", -1, &q, NULL) !=
        SQLITE_OK) {
        w->st = fail(w->s, "cannot write the store", w->err);
        return -1;
    }
    for (k = 0; k + 1 < nsets && rc == 0; k++) {
        jbuf b = {0};
        char *text;
        uint32_t j;
        jb_raw(&b, "[", 1);
        for (j = off[k]; j < off[k + 1] && j < nlabels; j++) {
            size_t len;
            const char *l = tg_graph_str(w->g, labels[j], &len);
            if (j > off[k])
                jb_raw(&b, ",", 1);
            jb_str(&b, l, len);
        }
        jb_raw(&b, "]", 1);
        if (!(text = jb_done(&b))) {
            w->st = nomem(w->err);
            rc = -1;
            break;
        }
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, (long long)k);
        bind_text(w->s, q, 2, text, -1, free);
        rc = write_step(w->s, q, &w->st, w->err);
    }
    sqlite3_finalize(q);
    return rc;
}

static int put_columns(base_writer *w, int side, const uint32_t *info, size_t n)
{
    sqlite3_stmt *q = NULL;
    size_t k;
    int rc = 0;

    if (n != w->nkeys[side])
        return 0;
    if (sqlite3_prepare_v2(w->s->db, "INSERT INTO base_column VALUES(?1, ?2, ?3, ?4)", -1, &q,
                           NULL) != SQLITE_OK) {
        w->st = fail(w->s, "cannot write the store", w->err);
        return -1;
    }
    for (k = 0; k < n && rc == 0; k++) {
        size_t len;
        const char *key = tg_graph_str(w->g, w->keys[side][k], &len);
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, side ? "relation" : "entity", -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, (long long)k);
        bind_text(w->s, q, 3, key, (int)len, SQLITE_STATIC);
        sqlite3_bind_int64(q, 4, info[2 * k]);
        rc = write_step(w->s, q, &w->st, w->err);
    }
    sqlite3_finalize(q);
    return rc;
}

/* The engine's segment sink: cuts each segment into chunks. */
static int put_segment(void *ctx, const char *name, const void *data, size_t size)
{
    base_writer *w = ctx;
    size_t isz = item_size(name), per = TG_I_CHUNK * isz, k;

    if (!strcmp(name, "str.len")) {
        if (!(w->str_len = malloc(size ? size : 1))) {
            w->st = nomem(w->err);
            return -1;
        }
        memcpy(w->str_len, data, size);
        w->str_len_size = size;
        return 0;
    }
    if (!strcmp(name, "str.data"))
        return put_strings(w, data, size);
    if (!strcmp(name, "lset.off")) {
        if (!(w->lset_off = malloc(size ? size : 1))) {
            w->st = nomem(w->err);
            return -1;
        }
        memcpy(w->lset_off, data, size);
        w->lset_off_size = size;
    }
    if (!strcmp(name, "lset.labels") && put_labelsets(w, data, size / sizeof(uint32_t)) != 0)
        return -1;
    if (!strcmp(name, "e.keys") || !strcmp(name, "r.keys")) {
        int side = name[0] == 'r';
        free(w->keys[side]);
        if (!(w->keys[side] = malloc(size ? size : 1))) {
            w->st = nomem(w->err);
            return -1;
        }
        memcpy(w->keys[side], data, size);
        w->nkeys[side] = size / sizeof(tg_sym);
    }
    if ((!strcmp(name, "e.cols") || !strcmp(name, "r.cols")) &&
        put_columns(w, name[0] == 'r', data, size / 8) != 0)
        return -1;
    for (k = 0; k * per < size; k++)
        if (put_chunk(w, name, (long long)k, (const char *)data + k * per,
                      size - k * per < per ? size - k * per : per) != 0)
            return -1;
    return put_dir(w, name, size, size / isz);
}

static int put_sources(tg_store *s, tg_graph *g, const char *table, long long write_id,
                       const uint32_t *which, size_t n, size_t from, tg_error *err);

/* Replaces the base by g (whole) and empties the change log. */
static tg_status write_base(tg_store *s, tg_graph *g, tg_error *err)
{
    base_writer w;
    tg_status st;

    memset(&w, 0, sizeof w);
    w.s = s;
    w.g = g;
    w.err = err;
    /* g may still read from the base being replaced: bring it all in first */
    if ((st = tg_graph_load_all(g, err)) != TG_OK)
        return st;
    s->nsizes = 0; /* the segments change */
    if (exec(s->db, "DELETE FROM base; DELETE FROM base_segment; DELETE FROM base_labelset;"
                    "DELETE FROM base_column; DELETE FROM base_source;"
                    "DELETE FROM change_entity; DELETE FROM change_relation;"
                    "DELETE FROM change_property; DELETE FROM change_source;"
                    "DELETE FROM change_string;"
                    "UPDATE write_log SET folded = 1 WHERE folded = 0") != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT INTO base(seg, k, data) VALUES(?1, ?2, ?3)", -1, &w.chunk,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT INTO base_segment VALUES(?1, ?2, ?3)", -1, &w.seg,
                           NULL) != SQLITE_OK) {
        st = fail(s, "cannot write the store", err);
        goto done;
    }
    st = tg_graph_save_segments(g, put_segment, &w, err);
    if (st != TG_OK && w.st != TG_OK)
        st = w.st;
    if (st == TG_OK)
        st = put_sources(s, g, "base_source", -1, NULL, 0, 0, err) != 0 ? err->status : TG_OK;
    if (st == TG_OK && set_meta(s->db, "pending", 0) != SQLITE_OK)
        st = fail(s, "cannot write the store", err);
    if (st == TG_OK)
        s->pending = 0;
done:
    sqlite3_finalize(w.chunk);
    sqlite3_finalize(w.seg);
    free(w.str_len);
    free(w.lset_off);
    free(w.keys[0]);
    free(w.keys[1]);
    return st;
}

/* The size of a base segment: 0, 1 when there is none, TG_SEGMENT_NOMEM or
 * TG_SEGMENT_IO. */
static int segment_bytes(tg_store *s, const char *name, long long *bytes)
{
    int rc, i;

    for (i = 0; i < s->nsizes; i++)
        if (!strcmp(s->sizes[i].name, name)) {
            *bytes = s->sizes[i].bytes;
            return 0;
        }
    sqlite3_reset(s->segsize);
    sqlite3_bind_text(s->segsize, 1, name, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(s->segsize);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s->segsize);
        return rc == SQLITE_DONE             ? 1
               : (rc & 0xff) == SQLITE_NOMEM ? TG_SEGMENT_NOMEM
                                             : TG_SEGMENT_IO;
    }
    *bytes = sqlite3_column_int64(s->segsize, 0);
    sqlite3_reset(s->segsize);
    if (s->nsizes < SIZE_CACHE && strlen(name) < sizeof s->sizes[0].name) {
        strcpy(s->sizes[s->nsizes].name, name);
        s->sizes[s->nsizes++].bytes = *bytes;
    }
    return 0;
}

/* Reads a whole base segment (the engine's source). */
static int fetch_segment(void *ctx, const char *name, void **data, size_t *size)
{
    tg_store *s = ctx;
    long long bytes;
    char *buf = NULL;
    size_t at = 0;
    int rc;

    if (s->stale)
        return TG_SEGMENT_IO; /* another snapshot would mix two states */
    if (!strcmp(name, "str.data") && s->str_data) {
        *data = s->str_data;
        *size = s->str_data_size;
        s->str_data = NULL;
        return 0;
    }
    if (!strcmp(name, "str.len") || !strcmp(name, "str.data"))
        name = "str";
    if ((rc = segment_bytes(s, name, &bytes)) != 0)
        return rc;
    if (bytes < 0 || (unsigned long long)bytes > SIZE_MAX / 2)
        return 1;
    if (!strcmp(name, "str")) {
        /* str.len and str.data rebuilt from the chunks together */
        long long items =
            query_int(s->db, "SELECT items FROM base_segment WHERE name = 'str'", NULL);
        uint32_t *lens = tg_alloc_big((size_t)(items > 0 ? items : 1) * sizeof *lens);
        char *text = tg_alloc_big((size_t)bytes + 1);
        size_t nl = 0;
        if (!lens || !text || items < 0) {
            free(lens);
            free(text);
            return TG_SEGMENT_NOMEM;
        }
        sqlite3_reset(s->chunks);
        sqlite3_bind_text(s->chunks, 1, "str", -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(s->chunks)) == SQLITE_ROW) {
            const unsigned char *c = sqlite3_column_blob(s->chunks, 0);
            size_t csize = (size_t)sqlite3_column_bytes(s->chunks, 0), i, cnt;
            uint32_t o0;
            if (csize < 4 || !c)
                break;
            memcpy(&o0, c, 4);
            cnt = o0 / 4 - 1;
            if (o0 % 4 || o0 > csize || cnt > TG_I_STR_CHUNK || nl + cnt > (size_t)items)
                break;
            for (i = 0; i < cnt; i++) {
                uint32_t a, b;
                memcpy(&a, c + 4 * i, 4);
                memcpy(&b, c + 4 * i + 4, 4);
                if (a > b || b > csize || at + (b - a) + 1 > (size_t)bytes)
                    break;
                memcpy(text + at, c + a, b - a);
                at += b - a;
                text[at++] = '\0';
                lens[nl++] = b - a;
            }
            if (i < cnt)
                break;
        }
        sqlite3_reset(s->chunks);
        if (rc != SQLITE_DONE || nl != (size_t)items || at != (size_t)bytes) {
            free(lens);
            free(text);
            return rc == SQLITE_DONE || rc == SQLITE_ROW ? 1 : TG_SEGMENT_IO;
        }
        free(s->str_data);
        s->str_data = text;
        s->str_data_size = at;
        *data = lens;
        *size = nl * sizeof *lens;
        return 0;
    }
    buf = tg_alloc_big(bytes ? (size_t)bytes : 1);
    if (!buf)
        return TG_SEGMENT_NOMEM;
    sqlite3_reset(s->chunks);
    sqlite3_bind_text(s->chunks, 1, name, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(s->chunks)) == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(s->chunks, 0);
        const void *c = sqlite3_column_blob(s->chunks, 0);
        if (at + n > (size_t)bytes)
            break;
        if (n)
            memcpy(buf + at, c, n);
        at += n;
    }
    sqlite3_reset(s->chunks);
    if (rc != SQLITE_DONE || at != (size_t)bytes) {
        free(buf);
        return rc == SQLITE_DONE || rc == SQLITE_ROW ? 1
               : (rc & 0xff) == SQLITE_NOMEM         ? TG_SEGMENT_NOMEM
                                                     : TG_SEGMENT_IO;
    }
    *data = buf;
    *size = at;
    return 0;
}

/* Readies the statement that reads chunks [k0, k1] of base segment seg, in
 * order: 0, or -1 when it cannot be prepared. */
static int range_stmt(tg_store *s, const char *seg, long long k0, long long k1)
{
    if (!s->range &&
        sqlite3_prepare_v2(s->db, "SELECT k, data FROM base WHERE seg = ?1 AND k BETWEEN ?2 AND ?3 "
                                  "ORDER BY k",
                           -1, &s->range, NULL) != SQLITE_OK)
        return -1;
    sqlite3_reset(s->range);
    sqlite3_bind_text(s->range, 1, seg, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s->range, 2, k0);
    sqlite3_bind_int64(s->range, 3, k1);
    return 0;
}

/* Reads bytes [off, off + n) of a base segment (the engine's page reader,
 * for the hash tables): only the chunks that hold them. */
static int read_range(void *ctx, const char *name, size_t off, size_t n, void *dst,
                      size_t *total)
{
    tg_store *s = ctx;
    size_t per = TG_I_CHUNK * item_size(name), got = 0;
    long long bytes;
    int rc;

    if (s->stale)
        return TG_SEGMENT_IO; /* another snapshot would mix two states */
    if ((!strcmp(name, "str") || !strncmp(name, "str.", 4)) && strcmp(name, "str.hash") != 0)
        return 1; /* the strings are chunked by count, not by bytes */
    if ((rc = segment_bytes(s, name, &bytes)) != 0)
        return rc;
    if (bytes < 0)
        return 1;
    *total = (size_t)bytes;
    if (n == 0)
        return 0;
    if (off > (size_t)bytes || n > (size_t)bytes - off)
        return 1;
    if (range_stmt(s, name, (long long)(off / per), (long long)((off + n - 1) / per)) != 0)
        return TG_SEGMENT_IO;
    while ((rc = sqlite3_step(s->range)) == SQLITE_ROW) {
        size_t k = (size_t)sqlite3_column_int64(s->range, 0);
        size_t len = (size_t)sqlite3_column_bytes(s->range, 1), from, to;
        const char *c = sqlite3_column_blob(s->range, 1);
        /* chunk k holds bytes [k * per, k * per + len); every chunk but the
         * last is full */
        if (k != (off + got) / per || (len != per && k * per + len != (size_t)bytes) || !c)
            break;
        from = off + got - k * per;
        to = len < from + (n - got) ? len : from + (n - got);
        memcpy((char *)dst + got, c + from, to - from);
        got += to - from;
        if (got == n)
            break;
    }
    sqlite3_reset(s->range);
    if (got != n)
        return rc == SQLITE_DONE || rc == SQLITE_ROW ? 1
               : (rc & 0xff) == SQLITE_NOMEM         ? TG_SEGMENT_NOMEM
                                                     : TG_SEGMENT_IO;
    return 0;
}

/* Reads strings [first, first + n) of the base (the engine's string
 * reader): from the chunks of TG_I_STR_CHUNK strings that hold them, each
 * its offsets and then its bytes (put_strings). */
static int read_strings(void *ctx, size_t first, size_t n, uint32_t *len, char **bytes,
                        size_t *size)
{
    tg_store *s = ctx;
    size_t got = 0, at = 0, cap = 0;
    char *buf = NULL;
    int rc = SQLITE_DONE;

    *bytes = NULL;
    *size = 0;
    if (s->stale)
        return TG_SEGMENT_IO; /* another snapshot would mix two states */
    if (n == 0)
        return 1;
    if (range_stmt(s, "str", (long long)(first / TG_I_STR_CHUNK),
                   (long long)((first + n - 1) / TG_I_STR_CHUNK)) != 0)
        return TG_SEGMENT_IO;
    while (got < n && (rc = sqlite3_step(s->range)) == SQLITE_ROW) {
        size_t k = (size_t)sqlite3_column_int64(s->range, 0);
        size_t csize = (size_t)sqlite3_column_bytes(s->range, 1), cnt, i;
        const unsigned char *c = sqlite3_column_blob(s->range, 1);
        uint32_t o0;
        if (k != (first + got) / TG_I_STR_CHUNK || csize < 4 || !c)
            break;
        memcpy(&o0, c, 4);
        cnt = o0 / 4 - 1;
        if (o0 % 4 || o0 > csize || cnt > TG_I_STR_CHUNK || k * TG_I_STR_CHUNK + cnt <= first + got)
            break;
        for (i = first + got - k * TG_I_STR_CHUNK; i < cnt && got < n; i++) {
            uint32_t a, b;
            memcpy(&a, c + 4 * i, 4);
            memcpy(&b, c + 4 * i + 4, 4);
            if (a > b || b > csize || a < o0)
                break;
            if (at + (b - a) + 1 > cap) {
                size_t nc = cap ? 2 * cap : 4096;
                char *nb;
                while (nc < at + (b - a) + 1)
                    nc *= 2;
                if (!(nb = realloc(buf, nc))) {
                    free(buf);
                    sqlite3_reset(s->range);
                    return TG_SEGMENT_NOMEM;
                }
                buf = nb;
                cap = nc;
            }
            memcpy(buf + at, c + a, b - a);
            at += b - a;
            buf[at++] = '\0';
            len[got++] = b - a;
        }
        if (i < cnt && got < n)
            break;
    }
    sqlite3_reset(s->range);
    if (got != n) {
        free(buf);
        return rc == SQLITE_DONE || rc == SQLITE_ROW ? 1
               : (rc & 0xff) == SQLITE_NOMEM         ? TG_SEGMENT_NOMEM
                                                     : TG_SEGMENT_IO;
    }
    *bytes = buf;
    *size = at;
    return 0;
}

/* ---- version 1: whole segments ------------------------------------------------ */

static int fetch_v1(void *ctx, const char *name, void **data, size_t *size)
{
    tg_store *s = ctx;
    sqlite3_stmt *q = NULL;
    int rc = 1;

    if (sqlite3_prepare_v2(s->db, "SELECT data FROM segment WHERE name = ?1", -1, &q, NULL) !=
        SQLITE_OK)
        return TG_SEGMENT_IO;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(q, 0);
        void *buf = malloc(n ? n : 1);
        if (!buf) {
            rc = TG_SEGMENT_NOMEM;
        } else {
            if (n)
                memcpy(buf, sqlite3_column_blob(q, 0), n);
            *data = buf;
            *size = n;
            rc = 0;
        }
    }
    sqlite3_finalize(q);
    return rc;
}

/* Turns a version-1 store into version 2 inside the open write
 * transaction: g (loaded whole from the old segments) becomes the base and
 * the import history the write log. */
static tg_status upgrade_v1(tg_store *s, tg_graph *g, tg_error *err)
{
    tg_status st;

    if (exec(s->db,
             schema_v2 + strlen("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);")) !=
            SQLITE_OK ||
        exec(s->db,
             "INSERT INTO write_log(id, at, kind, what, entities, relations, folded)"
             " SELECT id, at, 'import', file, entities, relations, 1 FROM imports;"
             "INSERT INTO write_file SELECT id, file, bytes, entities, relations FROM imports;"
             "DROP TABLE imports; DROP TABLE segment;"
             "INSERT OR REPLACE INTO meta VALUES('generation','0'),('pending','0');") !=
            SQLITE_OK)
        return fail(s, "cannot upgrade the store to version 2", err);
    if ((st = create_views(s, "cannot upgrade the store to version 2", err)) != TG_OK)
        return st; /* `imports` is a view now */
    if (exec(s->db, "PRAGMA user_version=2") != SQLITE_OK)
        return fail(s, "cannot upgrade the store to version 2", err);
    s->version = TG_STORE_VERSION;
    s->created = 1; /* switch to WAL after the commit */
    if (sqlite3_prepare_v2(s->db, "SELECT data FROM base WHERE seg = ?1 ORDER BY k", -1, &s->chunks,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT bytes FROM base_segment WHERE name = ?1", -1, &s->segsize,
                           NULL) != SQLITE_OK)
        return fail(s, "cannot upgrade the store to version 2", err);
    return write_base(s, g, err);
}

/* ---- the change log: values ---------------------------------------------------- */

/* The name of a value type in the change log's `type` column: bool, int,
 * float, string, and the temporal kinds by their tags (date, datetime, ...). */
static const char *type_name(int t)
{
    switch (t) {
    case TG_V_BOOL: return "bool";
    case TG_V_INT: return "int";
    case TG_V_FLOAT: return "float";
    case TG_V_STRING: return "string";
    default: return tg_time_kind_tag(t); /* NULL for anything else */
    }
}

static int type_of(const char *name)
{
    int t;

    for (t = TG_V_BOOL; t <= TG_V_DURATION; t++)
        if (type_name(t) && !strcmp(name, type_name(t)))
            return t;
    return TG_V_NULL;
}

/* A temporal value as its ISO 8601 text (what tg_time_parse reads back to an
 * equal value): never its stored form, whose pool offsets belong to the
 * writer's graph. The length, 0 when v is damaged. */
static size_t temporal_text(const tg_graph *g, const tg_pval *v, char *buf)
{
    tg_temporal t;

    if (!tg_graph_temporal(g, v, &t))
        return 0;
    return tg_time_format(&t, buf);
}

/* Makes *v the temporal of kind read from text[0..len); -1 when it is not. */
static int temporal_value(tg_graph *g, int kind, const char *text, size_t len, tg_pval *v,
                          tg_error *err)
{
    tg_temporal t;

    if (!text || tg_time_parse(text, len, kind, &t, err) != TG_OK)
        return -1;
    return tg_graph_make_temporal(g, &t, v, err) == TG_OK ? 0 : -1;
}

/* A list's elements as JSON (NaN and the infinities as strings). */
static char *list_json(const tg_graph *g, const tg_pval *v)
{
    const tg_pval *it = tg_graph_list(g, v);
    jbuf b = {0};
    uint32_t i;

    jb_raw(&b, "[", 1);
    for (i = 0; i < v->len; i++) {
        char num[40];
        size_t len;
        const char *s;
        if (i)
            jb_raw(&b, ",", 1);
        switch ((tg_vtype)it[i].type) {
        case TG_V_BOOL: jb_puts(&b, it[i].u.b ? "true" : "false"); break;
        case TG_V_INT:
            snprintf(num, sizeof num, "%lld", (long long)it[i].u.i);
            jb_puts(&b, num);
            break;
        case TG_V_FLOAT:
            if (isnan(it[i].u.f))
                jb_puts(&b, "\"NaN\"");
            else if (isinf(it[i].u.f))
                jb_puts(&b, it[i].u.f > 0 ? "\"Infinity\"" : "\"-Infinity\"");
            else {
                snprintf(num, sizeof num, "%.17g", it[i].u.f);
                jb_puts(&b, num);
            }
            break;
        case TG_V_STRING:
            s = tg_graph_str(g, it[i].u.s, &len);
            jb_str(&b, s, len);
            break;
        default:
            if (tg_time_is_kind(it[i].type)) {
                char text[TG_TIME_TEXT_MAX];
                size_t n = temporal_text(g, &it[i], text);
                if (n) {
                    jb_str(&b, text, n);
                    break;
                }
            }
            jb_puts(&b, "null");
            break;
        }
    }
    jb_raw(&b, "]", 1);
    return jb_done(&b);
}

/* Binds a value as (type, value) at columns ti, ti + 1. */
static int bind_value(tg_store *st, sqlite3_stmt *q, int ti, const tg_graph *g, const tg_pval *v)
{
    char tname[24];
    size_t len;
    const char *s;

    if (!v) {
        sqlite3_bind_text(q, ti, "removed", -1, SQLITE_STATIC);
        sqlite3_bind_null(q, ti + 1);
        return 0;
    }
    switch ((tg_vtype)v->type) {
    case TG_V_BOOL:
        sqlite3_bind_text(q, ti, "bool", -1, SQLITE_STATIC);
        sqlite3_bind_int(q, ti + 1, v->u.b != 0);
        return 0;
    case TG_V_INT:
        sqlite3_bind_text(q, ti, "int", -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, ti + 1, v->u.i);
        return 0;
    case TG_V_FLOAT:
        sqlite3_bind_text(q, ti, "float", -1, SQLITE_STATIC);
        if (isnan(v->u.f)) /* SQLite stores NaN as NULL: keep it as text */
            sqlite3_bind_text(q, ti + 1, "NaN", -1, SQLITE_STATIC);
        else
            sqlite3_bind_double(q, ti + 1, v->u.f);
        return 0;
    case TG_V_STRING:
        s = tg_graph_str(g, v->u.s, &len);
        sqlite3_bind_text(q, ti, "string", -1, SQLITE_STATIC);
        bind_text(st, q, ti + 1, s, (int)len, SQLITE_STATIC);
        return 0;
    case TG_V_LIST: {
        char *text = list_json(g, v);
        if (!text)
            return -1;
        snprintf(tname, sizeof tname, "list<%s>", v->len ? type_name(v->elem) : "");
        sqlite3_bind_text(q, ti, tname, -1, SQLITE_TRANSIENT);
        bind_text(st, q, ti + 1, text, -1, free);
        return 0;
    }
    default:
        if (tg_time_is_kind(v->type)) {
            char text[TG_TIME_TEXT_MAX];
            size_t n = temporal_text(g, v, text);
            if (n) {
                sqlite3_bind_text(q, ti, tg_time_kind_tag(v->type), -1, SQLITE_STATIC);
                bind_text(st, q, ti + 1, text, (int)n, SQLITE_TRANSIENT);
                return 0;
            }
        }
        /* a type this store does not spell out: the value as it is held */
        sqlite3_bind_text(q, ti, "raw", -1, SQLITE_STATIC);
        bind_blob(st, q, ti + 1, v, sizeof *v, SQLITE_TRANSIENT);
        return 0;
    }
}

/* Reads back a value of the change log into *v; -1 when it does not parse. */
static int read_value(tg_graph *g, const char *type, sqlite3_stmt *q, int col, tg_pval *v,
                      tg_error *err)
{
    int t;

    memset(v, 0, sizeof *v);
    if (!strcmp(type, "removed"))
        return 0;
    if (!strcmp(type, "raw")) {
        if (sqlite3_column_bytes(q, col) != (int)sizeof *v)
            return -1;
        memcpy(v, sqlite3_column_blob(q, col), sizeof *v);
        return 0;
    }
    if (!strncmp(type, "list<", 5)) {
        const char *text = (const char *)sqlite3_column_text(q, col);
        size_t tlen = (size_t)sqlite3_column_bytes(q, col), n, i;
        char et[16];
        int elem, rc = -1;
        tg_jparser p;
        tg_jval arr;
        tg_pval *items = NULL;
        snprintf(et, sizeof et, "%.*s", (int)(strlen(type) > 6 ? strlen(type) - 6 : 0), type + 5);
        elem = et[0] ? type_of(et) : TG_V_NULL;
        tg_i_json_init(&p);
        if ((et[0] && elem == TG_V_NULL) || json_parse(&p, text, tlen, TG_J_ARRAY, &arr) != 0)
            goto list_done;
        n = arr.n;
        if (n && !(items = calloc(n, sizeof *items)))
            goto list_done;
        for (i = 0; i < n; i++) {
            const tg_jval *x = &arr.u.items[i];
            items[i].type = (uint8_t)elem;
            if (elem == TG_V_BOOL && (x->kind == TG_J_TRUE || x->kind == TG_J_FALSE))
                items[i].u.b = x->kind == TG_J_TRUE;
            else if (elem == TG_V_INT && x->kind == TG_J_INT)
                items[i].u.i = x->u.i;
            else if (elem == TG_V_FLOAT && (x->kind == TG_J_FLOAT || x->kind == TG_J_INT))
                items[i].u.f = x->kind == TG_J_INT ? (double)x->u.i : x->u.f;
            else if (elem == TG_V_FLOAT && x->kind == TG_J_STRING)
                items[i].u.f = x->u.s.len == 3 && !memcmp(x->u.s.p, "NaN", 3)        ? NAN
                               : x->u.s.len == 8 && !memcmp(x->u.s.p, "Infinity", 8) ? INFINITY
                                                                                     : -INFINITY;
            else if (elem == TG_V_STRING && x->kind == TG_J_STRING) {
                items[i].u.s = tg_graph_intern(g, x->u.s.p, x->u.s.len);
                if (!items[i].u.s && x->u.s.len)
                    goto list_done;
            } else if (tg_time_is_kind(elem) && x->kind == TG_J_STRING) {
                if (temporal_value(g, elem, x->u.s.p, x->u.s.len, &items[i], err) != 0)
                    goto list_done;
            } else
                goto list_done;
        }
        rc = tg_graph_make_list(g, items, n, v, err) == TG_OK ? 0 : -1;
    list_done:
        free(items);
        tg_i_json_destroy(&p);
        return rc;
    }
    t = type_of(type);
    v->type = (uint8_t)t;
    switch (t) {
    case TG_V_BOOL: v->u.b = sqlite3_column_int(q, col) != 0; return 0;
    case TG_V_INT: v->u.i = sqlite3_column_int64(q, col); return 0;
    case TG_V_FLOAT:
        v->u.f = sqlite3_column_type(q, col) == SQLITE_TEXT ? NAN : sqlite3_column_double(q, col);
        return 0;
    case TG_V_STRING: {
        const char *s = (const char *)sqlite3_column_blob(q, col);
        int len = sqlite3_column_bytes(q, col);
        v->u.s = tg_graph_intern(g, s ? s : "", (size_t)len);
        return v->u.s || len == 0 ? 0 : -1;
    }
    default:
        if (tg_time_is_kind(t))
            return temporal_value(g, t, (const char *)sqlite3_column_text(q, col),
                                  (size_t)sqlite3_column_bytes(q, col), v, err);
        return -1;
    }
}

/* ---- the change log: writing ---------------------------------------------------- */

typedef struct log_writer {
    tg_store *s;
    tg_graph *g;
    long long wid;  /* the write_log row */
    long long rows; /* rows written */
    sqlite3_stmt *ent, *rel, *prop;
    tg_status st;
    tg_error *err;
} log_writer;

static char *labels_json(const tg_graph *g, tg_ent e)
{
    const tg_sym *ls;
    size_t n = tg_graph_labels(g, e, &ls), i;
    jbuf b = {0};

    jb_raw(&b, "[", 1);
    for (i = 0; i < n; i++) {
        size_t len;
        const char *l = tg_graph_str(g, ls[i], &len);
        if (i)
            jb_raw(&b, ",", 1);
        jb_str(&b, l, len);
    }
    jb_raw(&b, "]", 1);
    return jb_done(&b);
}

static int step_done(log_writer *w, sqlite3_stmt *q)
{
    int rc = write_step(w->s, q, &w->st, w->err);

    sqlite3_reset(q);
    if (rc == 0)
        w->rows++;
    return rc;
}

static int log_entity(log_writer *w, tg_ent e)
{
    size_t len;
    const char *id = tg_graph_str(w->g, tg_graph_entity_id(w->g, e), &len);
    char *labels = labels_json(w->g, e);

    if (!labels) {
        w->st = nomem(w->err);
        return -1;
    }
    sqlite3_bind_int64(w->ent, 1, e);
    sqlite3_bind_int64(w->ent, 2, w->wid);
    bind_text(w->s, w->ent, 3, id, (int)len, SQLITE_STATIC);
    bind_text(w->s, w->ent, 4, labels, -1, free);
    sqlite3_bind_int(w->ent, 5, !tg_graph_entity_is_live(w->g, e));
    return step_done(w, w->ent);
}

static int log_relation(log_writer *w, tg_rel r)
{
    size_t len;
    const char *type = tg_graph_str(w->g, tg_graph_rel_type(w->g, r), &len);

    sqlite3_bind_int64(w->rel, 1, r);
    sqlite3_bind_int64(w->rel, 2, w->wid);
    bind_text(w->s, w->rel, 3, type, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(w->rel, 4, tg_graph_rel_from(w->g, r));
    sqlite3_bind_int64(w->rel, 5, tg_graph_rel_to(w->g, r));
    sqlite3_bind_int(w->rel, 6, !tg_graph_relation_is_live(w->g, r));
    return step_done(w, w->rel);
}

static int log_prop(log_writer *w, tg_side side, uint32_t item, tg_sym key, const tg_pval *v)
{
    size_t len;
    const char *k = tg_graph_str(w->g, key, &len);

    sqlite3_bind_text(w->prop, 1, side == TG_ENTITY ? "entity" : "relation", -1, SQLITE_STATIC);
    sqlite3_bind_int64(w->prop, 2, item);
    bind_text(w->s, w->prop, 3, k, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(w->prop, 4, w->wid);
    if (bind_value(w->s, w->prop, 5, w->g, v) != 0) {
        sqlite3_reset(w->prop);
        w->st = nomem(w->err);
        return -1;
    }
    return step_done(w, w->prop);
}

typedef struct item_ctx {
    log_writer *w;
    tg_side side;
    uint32_t item;
} item_ctx;

static int log_prop_cb(void *ctx, tg_sym key, const tg_pval *v)
{
    item_ctx *x = ctx;

    return log_prop(x->w, x->side, x->item, key, v);
}

static int log_item_props(log_writer *w, tg_side side, uint32_t item)
{
    item_ctx x = {w, side, item};

    return tg_graph_each_prop(w->g, side, item, log_prop_cb, &x) != 0 ? -1 : 0;
}

/* Writes rows of sources to table: every source (write_id < 0: the base's
 * copy), or the older ones listed plus those from `from` on. */
static int put_sources(tg_store *s, tg_graph *g, const char *table, long long write_id,
                       const uint32_t *which, size_t n, size_t from, tg_error *err)
{
    sqlite3_stmt *q = NULL;
    size_t total = tg_graph_source_count(g), i, at = 0;
    char sql[160];
    int rc = 0;

    if (write_id < 0)
        snprintf(sql, sizeof sql, "INSERT INTO %s VALUES(?1, ?3)", table);
    else
        snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO %s VALUES(?1, ?2, ?3)", table);
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) {
        fail(s, "cannot write the store", err);
        return -1;
    }
    for (i = write_id < 0 ? 0 : from;;) {
        size_t src;
        const tg_source_field *f;
        size_t nf, j;
        jbuf b;
        char *text;
        tg_status wst;
        if (write_id >= 0 && at < n) {
            src = which[at++];
        } else if (i < total) {
            src = i++;
        } else {
            break;
        }
        nf = tg_graph_source_fields(g, (uint32_t)src, &f);
        memset(&b, 0, sizeof b);
        jb_raw(&b, "{", 1);
        for (j = 0; j < nf; j++) {
            size_t kl, vl;
            const char *k = tg_graph_str(g, f[j].key, &kl), *v = tg_graph_str(g, f[j].value, &vl);
            if (j)
                jb_raw(&b, ",", 1);
            jb_str(&b, k, kl);
            jb_raw(&b, ":", 1);
            jb_str(&b, v, vl);
        }
        jb_raw(&b, "}", 1);
        if (!(text = jb_done(&b))) {
            nomem(err);
            rc = -1;
            break;
        }
        bind_text(s, q, 1, tg_graph_str(g, tg_graph_source_id(g, (uint32_t)src), NULL), -1,
                  SQLITE_TRANSIENT);
        sqlite3_bind_int64(q, 2, write_id);
        bind_text(s, q, 3, text, -1, free);
        rc = write_step(s, q, &wst, err);
        sqlite3_reset(q);
        if (rc != 0)
            break;
    }
    sqlite3_finalize(q);
    return rc;
}

/* Writes what changed in g since its mark as rows of write w->wid. */
static tg_status write_changes(log_writer *w, const tg_graph_changes *c)
{
    tg_graph *g = w->g;
    size_t ne = tg_graph_entity_count(g), nr = tg_graph_relation_count(g), i, a, b;

    /* the strings new since the mark, in symbol order: replayed first, they
     * get the same symbols again, so that whatever orders by symbol (the
     * CSV export's columns) sees the graph as it was written */
    if (c->strings < tg_graph_str_count(g)) {
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(w->s->db, "INSERT INTO change_string VALUES(?1, ?2, ?3)", -1, &q,
                               NULL) != SQLITE_OK)
            return fail(w->s, "cannot write the store", w->err);
        for (i = c->strings; i < tg_graph_str_count(g); i++) {
            size_t len;
            const char *t = tg_graph_str(g, (tg_sym)i, &len);
            sqlite3_bind_int64(q, 1, (long long)i);
            sqlite3_bind_int64(q, 2, w->wid);
            bind_text(w->s, q, 3, t, (int)len, SQLITE_STATIC);
            if (step_done(w, q) != 0) {
                sqlite3_finalize(q);
                return w->st;
            }
        }
        sqlite3_finalize(q);
    }
    if (sqlite3_prepare_v2(w->s->db, "INSERT OR REPLACE INTO change_entity VALUES(?1,?2,?3,?4,?5)",
                           -1, &w->ent, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(w->s->db,
                           "INSERT OR REPLACE INTO change_relation VALUES(?1,?2,?3,?4,?5,?6)", -1,
                           &w->rel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(w->s->db,
                           "INSERT OR REPLACE INTO change_property VALUES(?1,?2,?3,?4,?5,?6)", -1,
                           &w->prop, NULL) != SQLITE_OK)
        return fail(w->s, "cannot write the store", w->err);
    /* older entities relabelled or deleted: one row each, in order */
    for (a = 0, b = 0; a < c->nrelabelled || b < c->ndeleted[0];) {
        tg_ent x = a < c->nrelabelled ? c->relabelled[a] : TG_NONE;
        tg_ent y = b < c->ndeleted[0] ? c->deleted[0][b] : TG_NONE;
        tg_ent e = x < y ? x : y;
        a += x == e;
        b += y == e;
        if (log_entity(w, e) != 0)
            return w->st;
    }
    for (i = c->entities; i < ne; i++)
        if (log_entity(w, (tg_ent)i) != 0)
            return w->st;
    for (i = 0; i < c->ndeleted[1]; i++)
        if (log_relation(w, c->deleted[1][i]) != 0)
            return w->st;
    for (i = c->relations; i < nr; i++)
        if (log_relation(w, (tg_rel)i) != 0)
            return w->st;
    for (i = 0; i < c->nprops; i++) {
        const tg_prop_ref *p = &c->props[i];
        if (!(p->side == TG_ENTITY ? tg_graph_entity_is_live(g, p->item)
                                   : tg_graph_relation_is_live(g, p->item)))
            continue; /* the deletion row says it all */
        if (log_prop(w, p->side, p->item, p->key, tg_graph_prop(g, p->side, p->item, p->key)) != 0)
            return w->st;
    }
    for (i = c->entities; i < ne; i++)
        if (tg_graph_entity_is_live(g, (tg_ent)i) && log_item_props(w, TG_ENTITY, (uint32_t)i) != 0)
            return w->st != TG_OK ? w->st : TG_EIO;
    for (i = c->relations; i < nr; i++)
        if (tg_graph_relation_is_live(g, (tg_rel)i) &&
            log_item_props(w, TG_RELATION, (uint32_t)i) != 0)
            return w->st != TG_OK ? w->st : TG_EIO;
    if ((c->nsources_changed || c->sources < tg_graph_source_count(g)) &&
        put_sources(w->s, g, "change_source", w->wid, c->sources_changed, c->nsources_changed,
                    c->sources, w->err) != 0)
        return w->err ? w->err->status : TG_EIO;
    w->rows += (long long)(c->nsources_changed + tg_graph_source_count(g) - c->sources);
    return tg_graph_status(g, w->err);
}

/* ---- the change log: replaying -------------------------------------------------- */

static tg_status replay_error(tg_store *s, tg_error *err)
{
    if (err && !err->file[0])
        snprintf(err->file, sizeof err->file, "%s", s->path);
    return err ? err->status : TG_EDATA;
}

static tg_status replay_entity(tg_store *s, tg_graph *g, sqlite3_stmt *q, tg_error *err)
{
    const char *id = (const char *)sqlite3_column_blob(q, 2);
    int idlen = sqlite3_column_bytes(q, 2);
    const char *text = (const char *)sqlite3_column_text(q, 3);
    size_t tlen = (size_t)sqlite3_column_bytes(q, 3), i;
    tg_sym *labels = NULL;
    tg_jparser p;
    tg_jval arr;
    tg_status st;

    tg_i_json_init(&p);
    if (json_parse(&p, text, tlen, TG_J_ARRAY, &arr) != 0 ||
        !(labels = malloc(((size_t)arr.n + 1) * sizeof *labels))) {
        tg_i_json_destroy(&p);
        return labels || p.status != TG_ENOMEM
                   ? tg_error_set(err, TG_EDATA, s->path, 0, 0,
                                  "the store's change log is damaged: labels of entity %lld",
                                  (long long)sqlite3_column_int64(q, 1))
                   : nomem(err);
    }
    for (i = 0; i < arr.n; i++) {
        const tg_jval *x = &arr.u.items[i];
        if (x->kind != TG_J_STRING || x->u.s.len == 0 ||
            !(labels[i] = tg_graph_intern(g, x->u.s.p, x->u.s.len))) {
            free(labels);
            tg_i_json_destroy(&p);
            return tg_error_set(err, TG_EDATA, s->path, 0, 0,
                                "the store's change log is damaged: a label of entity %lld",
                                (long long)sqlite3_column_int64(q, 1));
        }
    }
    st = tg_graph_replay_entity(g, (tg_ent)sqlite3_column_int64(q, 1), id ? id : "", (size_t)idlen,
                                labels, arr.n, sqlite3_column_int(q, 4), err);
    free(labels);
    tg_i_json_destroy(&p);
    return st;
}

static tg_status replay_relation(tg_store *s, tg_graph *g, sqlite3_stmt *q, tg_error *err)
{
    const char *type = (const char *)sqlite3_column_blob(q, 2);
    int len = sqlite3_column_bytes(q, 2);
    tg_sym t = len > 0 ? tg_graph_intern(g, type, (size_t)len) : 0;
    long long src = sqlite3_column_int64(q, 3), dst = sqlite3_column_int64(q, 4);

    (void)s;
    if (src < 0 || dst < 0 || src > 0xFFFFFFFFLL || dst > 0xFFFFFFFFLL)
        src = dst = 0xFFFFFFFFLL;
    return tg_graph_replay_relation(g, (tg_rel)sqlite3_column_int64(q, 1), (tg_ent)src, (tg_ent)dst,
                                    t, sqlite3_column_int(q, 5), err);
}

static tg_status replay_prop(tg_store *s, tg_graph *g, sqlite3_stmt *q, tg_error *err)
{
    const char *side = (const char *)sqlite3_column_text(q, 1);
    const char *key = (const char *)sqlite3_column_blob(q, 3);
    int klen = sqlite3_column_bytes(q, 3);
    const char *type = (const char *)sqlite3_column_text(q, 4);
    tg_sym k = klen > 0 ? tg_graph_intern(g, key, (size_t)klen) : 0;
    long long item = sqlite3_column_int64(q, 2);
    tg_pval v;

    if (!side || !type || (strcmp(side, "entity") && strcmp(side, "relation")) || item < 0 ||
        item > 0xFFFFFFFFLL || read_value(g, type, q, 5, &v, err) != 0)
        return tg_error_set(err, TG_EDATA, s->path, 0, 0,
                            "the store's change log is damaged: a property value of %s %lld",
                            side ? side : "?", item);
    return tg_graph_replay_prop(g, strcmp(side, "entity") ? TG_RELATION : TG_ENTITY, (uint32_t)item,
                                k, &v, err);
}

static tg_status replay_source(tg_store *s, tg_graph *g, sqlite3_stmt *q, tg_error *err)
{
    const char *id = (const char *)sqlite3_column_blob(q, 1);
    int idlen = sqlite3_column_bytes(q, 1);
    const char *text = (const char *)sqlite3_column_text(q, 2);
    size_t tlen = (size_t)sqlite3_column_bytes(q, 2), i, n = 0;
    tg_source_field *f = NULL;
    tg_jparser p;
    tg_jval obj;
    tg_sym sid;
    tg_status st;

    tg_i_json_init(&p);
    if (!id || idlen <= 0 || json_parse(&p, text, tlen, TG_J_OBJECT, &obj) != 0) {
        tg_i_json_destroy(&p);
        return tg_error_set(err, TG_EDATA, s->path, 0, 0,
                            "the store's change log is damaged: a source's fields");
    }
    f = malloc(((size_t)obj.n + 1) * sizeof *f);
    sid = tg_graph_intern(g, id, (size_t)idlen);
    if (!f || !sid) {
        free(f);
        tg_i_json_destroy(&p);
        return nomem(err);
    }
    for (i = 0; i < obj.n; i++) {
        const tg_jmember *m = &obj.u.members[i];
        if (m->v.kind != TG_J_STRING || m->klen == 0)
            continue;
        f[n].key = tg_graph_intern(g, m->key, m->klen);
        f[n].value = tg_graph_intern(g, m->v.u.s.p, m->v.u.s.len);
        if (f[n].key)
            n++;
    }
    st = tg_graph_put_source(g, sid, f, n, NULL, err);
    free(f);
    tg_i_json_destroy(&p);
    return st;
}

/* Replays the change log onto g, write by write: within a write, strings
 * (so that they get their symbols back), entities, relations, properties,
 * sources (a relation may name an entity of its own write; a property, a
 * relation of its own write). */
static tg_status replay_string(tg_store *s, tg_graph *g, sqlite3_stmt *q, tg_error *err)
{
    const char *t = (const char *)sqlite3_column_blob(q, 2);
    int len = sqlite3_column_bytes(q, 2);
    long long want = sqlite3_column_int64(q, 1);
    tg_sym got;

    if (want != (long long)tg_graph_str_count(g))
        return tg_error_set(err, TG_EDATA, s->path, 0, 0,
                            "the store's change log is damaged: string %lld out of order", want);
    got = tg_graph_intern(g, t ? t : "", (size_t)len);
    if (!got && len > 0)
        return nomem(err);
    if (got != want)
        return tg_error_set(err, TG_EDATA, s->path, 0, 0,
                            "the store's change log is damaged: string %lld is there twice", want);
    return TG_OK;
}

static tg_status replay(tg_store *s, tg_graph *g, tg_error *err)
{
    static const char *const sql[5] = {
        "SELECT write_id, sym, text FROM change_string ORDER BY write_id, sym",
        "SELECT write_id, ent, id, labels, deleted FROM change_entity ORDER BY write_id, ent",
        "SELECT write_id, rel, type, src, dst, deleted FROM change_relation ORDER BY write_id, rel",
        ("SELECT write_id, side, item, key, type, value FROM change_property"
         " ORDER BY write_id, side, item, key"),
        "SELECT write_id, id, fields FROM change_source ORDER BY write_id, id"};
    tg_status (*const apply[5])(tg_store *, tg_graph *, sqlite3_stmt *, tg_error *) = {
        replay_string, replay_entity, replay_relation, replay_prop, replay_source};
    sqlite3_stmt *q[5] = {NULL, NULL, NULL, NULL, NULL};
    int more[5], t, i;
    tg_status st = TG_OK;

    if (s->pending == 0)
        return TG_OK;
    for (t = 0; t < 5; t++) {
        if (sqlite3_prepare_v2(s->db, sql[t], -1, &q[t], NULL) != SQLITE_OK) {
            st = fail(s, "cannot read the store's change log", err);
            goto done;
        }
        more[t] = sqlite3_step(q[t]);
    }
    for (;;) {
        long long best = -1;
        t = -1;
        for (i = 0; i < 5; i++)
            if (more[i] == SQLITE_ROW && (t < 0 || sqlite3_column_int64(q[i], 0) < best)) {
                best = sqlite3_column_int64(q[i], 0);
                t = i;
            }
        if (t < 0)
            break;
        if ((st = apply[t](s, g, q[t], err)) != TG_OK) {
            st = replay_error(s, err);
            goto done;
        }
        more[t] = sqlite3_step(q[t]);
    }
    for (t = 0; t < 5; t++)
        if (more[t] != SQLITE_DONE) {
            st = fail(s, "cannot read the store's change log", err);
            goto done;
        }
done:
    for (t = 0; t < 5; t++)
        sqlite3_finalize(q[t]);
    return st;
}

/* ---- loading ------------------------------------------------------------------ */

tg_status tg_store_load(tg_store *s, tg_graph **out, tg_error *err)
{
    tg_graph *g = NULL;
    tg_status st = TG_OK;
    int has_base, ok;

    *out = NULL;
    if (s->version == 1) {
        has_base = (int)query_int(s->db, "SELECT count(*) FROM segment WHERE name = 'meta'", &ok);
        if (!ok)
            return fail(s, "cannot read the store", err);
        if (has_base)
            st = tg_graph_load_segments(fetch_v1, s, &g, err);
        else if (!(g = tg_graph_new()))
            st = nomem(err);
    } else {
        has_base =
            (int)query_int(s->db, "SELECT count(*) FROM base_segment WHERE name = 'meta'", &ok);
        if (!ok)
            return fail(s, "cannot read the store", err);
        if (has_base) {
            s->refs++; /* the graph reads lazily through s */
            st = tg_graph_open_segments_paged(fetch_segment, read_range, read_strings, s,
                                              graph_released, &g, err);
            if (st != TG_OK)
                s->refs--;
        } else if (!(g = tg_graph_new())) {
            st = nomem(err);
        }
        if (st == TG_OK)
            st = replay(s, g, err);
    }
    if (st != TG_OK) {
        if (err && !err->file[0])
            snprintf(err->file, sizeof err->file, "%s", s->path);
        tg_graph_free(g);
        return st;
    }
    tg_graph_changes_mark(g);
    s->graph = g;
    *out = g;
    return TG_OK;
}

/* ---- saving -------------------------------------------------------------------- */

typedef struct write_info {
    const char *kind;
    const char *what;
    size_t what_len;
    const tg_write_counts *counts;
    const tg_import_record *files;
    size_t nfiles;
    int fold; /* fold whatever the size */
} write_info;

static long long file_size(const char *path)
{
    struct stat sb;
    char wal[4200];
    long long n = 0;

    if (stat(path, &sb) == 0)
        n += (long long)sb.st_size;
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (stat(wal, &sb) == 0)
        n += (long long)sb.st_size;
    return n;
}

static tg_status insert_write(tg_store *s, const write_info *wi, long long *wid, tg_error *err)
{
    sqlite3_stmt *q = NULL;
    const tg_write_counts *c = wi->counts;
    char *what = NULL;
    size_t i, len = 0;
    int rc;
    tg_status wst;

    if (wi->nfiles) { /* the files, one a line */
        for (i = 0; i < wi->nfiles; i++)
            len += strlen(wi->files[i].file) + 1;
        if (!(what = malloc(len + 1)))
            return nomem(err);
        what[0] = '\0';
        for (i = 0; i < wi->nfiles; i++) {
            strcat(what, wi->files[i].file);
            if (i + 1 < wi->nfiles)
                strcat(what, "\n");
        }
    }
    rc = sqlite3_prepare_v2(s->db,
                            "INSERT INTO write_log(at, kind, what, entities, relations, properties,"
                            " removed, deleted) VALUES(strftime('%Y-%m-%dT%H:%M:%fZ','now'),"
                            " ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            -1, &q, NULL);
    if (rc == SQLITE_OK) {
        long long ent = 0, rel = 0;
        sqlite3_bind_text(q, 1, wi->kind, -1, SQLITE_STATIC);
        if (what)
            bind_text(s, q, 2, what, -1, free);
        else if (wi->what)
            bind_text(s, q, 2, wi->what, (int)wi->what_len, SQLITE_STATIC);
        what = NULL;
        for (i = 0; i < wi->nfiles; i++) {
            ent += wi->files[i].entities;
            rel += wi->files[i].relations;
        }
        if (c) {
            ent = c->entities;
            rel = c->relations;
        }
        if (c || wi->nfiles) {
            sqlite3_bind_int64(q, 3, ent);
            sqlite3_bind_int64(q, 4, rel);
        }
        if (c) {
            sqlite3_bind_int64(q, 5, c->properties);
            sqlite3_bind_int64(q, 6, c->removed);
            sqlite3_bind_int64(q, 7, c->deleted);
        }
        if (bind_check(s, err) != TG_OK) {
            sqlite3_finalize(q);
            return err ? err->status : TG_EIO;
        }
        rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(q);
    free(what);
    if (rc != SQLITE_OK)
        return fail(s, "cannot write the store", err);
    *wid = sqlite3_last_insert_rowid(s->db);
    if (wi->nfiles) {
        q = NULL;
        if (sqlite3_prepare_v2(s->db, "INSERT INTO write_file VALUES(?1, ?2, ?3, ?4, ?5)", -1, &q,
                               NULL) != SQLITE_OK)
            return fail(s, "cannot write the store", err);
        for (i = 0; i < wi->nfiles; i++) {
            sqlite3_bind_int64(q, 1, *wid);
            bind_text(s, q, 2, wi->files[i].file, -1, SQLITE_STATIC);
            sqlite3_bind_int64(q, 3, wi->files[i].bytes);
            sqlite3_bind_int64(q, 4, wi->files[i].entities);
            sqlite3_bind_int64(q, 5, wi->files[i].relations);
            if (write_step(s, q, &wst, err) != 0) {
                sqlite3_finalize(q);
                return wst;
            }
            sqlite3_reset(q);
        }
        sqlite3_finalize(q);
    }
    return TG_OK;
}

/* Commits the open write transaction and takes the lock again at once; a
 * writer that slipped in between makes this handle stale. */
static tg_status commit_and_relock(tg_store *s, tg_error *err)
{
    if (exec(s->db, "COMMIT") != SQLITE_OK) {
        tg_status st = fail(s, "cannot commit to the store", err);
        exec(s->db, "ROLLBACK");
        s->txn = 0;
        return st;
    }
    s->txn = 0;
    if (s->created) { /* a new store turns to WAL once its first content is in */
        exec(s->db, "PRAGMA journal_mode=WAL");
        s->created = 0;
    }
    /* WAL with synchronous=NORMAL: a commit is not fsync'ed by itself (the
     * checkpoint syncs); a killed process loses nothing committed, a power
     * cut may lose the last commits but never mixes states */
    exec(s->db, "PRAGMA synchronous=NORMAL");
    if (!s->hold) {
        /* back to reading, from the state just written */
        s->mode = TG_STORE_READ;
        if (exec(s->db, "BEGIN") != SQLITE_OK)
            s->stale = 1;
        else {
            s->txn = 1;
            if (get_meta(s->db, "generation") != s->generation)
                s->stale = 1;
        }
        return TG_OK;
    }
    if (exec(s->db, "BEGIN IMMEDIATE") != SQLITE_OK) {
        s->stale = 1; /* the commit stands; later saves through s are refused */
        return TG_OK;
    }
    s->txn = 2;
    if (get_meta(s->db, "generation") != s->generation)
        s->stale = 1;
    return TG_OK;
}

tg_status tg_store_begin_write(tg_store *s, tg_error *err)
{
    if (s->mode == TG_STORE_WRITE && s->txn == 2)
        return TG_OK;
    if (s->stale)
        return tg_error_set(err, TG_EIO, s->path, 0, 0,
                            "another tiegraph wrote to the store since this session read it; "
                            "nothing was saved (open it again)");
    if (s->version != TG_STORE_VERSION && s->version != 1)
        return tg_error_set(err, TG_EIO, s->path, 0, 0, "cannot write this store");
    if (s->txn)
        exec(s->db, "COMMIT"); /* ends the read snapshot */
    s->txn = 0;
    if (exec(s->db, "BEGIN IMMEDIATE") != SQLITE_OK) {
        tg_status st = fail(s, "cannot lock the store for writing", err);
        if (exec(s->db, "BEGIN") == SQLITE_OK) /* keep reading what we read */
            s->txn = 1;
        if (s->version == TG_STORE_VERSION && get_meta(s->db, "generation") != s->generation)
            s->stale = 1;
        return st;
    }
    s->txn = 2;
    if (s->version == TG_STORE_VERSION && get_meta(s->db, "generation") != s->generation) {
        s->stale = 1;
        exec(s->db, "ROLLBACK");
        s->txn = 0;
        return tg_error_set(err, TG_EIO, s->path, 0, 0,
                            "another tiegraph wrote to the store since this session read it; "
                            "nothing was saved (open it again)");
    }
    s->mode = TG_STORE_WRITE;
    return TG_OK;
}

static tg_status save(tg_store *s, tg_graph *g, const write_info *wi, tg_error *err)
{
    tg_graph_changes c;
    int delta, ok;
    long long est, wid = 0, ne, nr;
    log_writer w;
    tg_status st;

    if (s->mode != TG_STORE_WRITE)
        return tg_error_set(err, TG_EIO, s->path, 0, 0, "the store was opened for reading only");
    if (s->stale || s->txn != 2)
        return tg_error_set(err, TG_EIO, s->path, 0, 0,
                            "another tiegraph wrote to the store since this command read it; "
                            "this write was not saved (run it again)");
    if ((st = tg_graph_status(g, err)) != TG_OK) /* never save a graph that could not be read */
        return st;
    memset(&w, 0, sizeof w);
    ne = (long long)tg_graph_entity_count(g);
    nr = (long long)tg_graph_relation_count(g);
    delta = !wi->fold && s->version == TG_STORE_VERSION && s->graph == g &&
            tg_graph_changes_get(g, &c, NULL) == TG_OK &&
            (long long)c.entities == get_meta(s->db, "entity_slots") &&
            (long long)c.relations == get_meta(s->db, "relation_slots");
    if (delta) {
        long long items = (ne - (long long)c.entities) + (nr - (long long)c.relations);
        est = items * (1 + PROPS_GUESS) +
              (long long)(c.nrelabelled + c.ndeleted[0] + c.ndeleted[1] + c.nprops);
        delta = s->pending + est <= fold_rows();
    }
    if (s->version == 1)
        st = upgrade_v1(s, g, err); /* writes the base */
    else if (!delta)
        st = write_base(s, g, err);
    if (st != TG_OK)
        goto rollback;
    if ((st = insert_write(s, wi, &wid, err)) != TG_OK)
        goto rollback;
    if (!delta) {
        if (exec(s->db, "UPDATE write_log SET folded = 1 WHERE folded = 0") != SQLITE_OK) {
            st = fail(s, "cannot write the store", err);
            goto rollback;
        }
    } else {
        w.s = s;
        w.g = g;
        w.wid = wid;
        w.err = err;
        st = write_changes(&w, &c);
        sqlite3_finalize(w.ent);
        sqlite3_finalize(w.rel);
        sqlite3_finalize(w.prop);
        if (st != TG_OK)
            goto rollback;
        s->pending += w.rows;
        {
            sqlite3_stmt *q = NULL;
            ok = sqlite3_prepare_v2(s->db, "UPDATE write_log SET changes = ?1 WHERE id = ?2", -1,
                                    &q, NULL) == SQLITE_OK;
            if (ok) {
                sqlite3_bind_int64(q, 1, w.rows);
                sqlite3_bind_int64(q, 2, wid);
                ok = sqlite3_step(q) == SQLITE_DONE;
            }
            sqlite3_finalize(q);
            if (!ok || set_meta(s->db, "pending", s->pending) != SQLITE_OK) {
                st = fail(s, "cannot write the store", err);
                goto rollback;
            }
        }
    }
    s->generation++;
    if (set_meta(s->db, "generation", s->generation) != SQLITE_OK ||
        set_meta(s->db, "entity_slots", ne) != SQLITE_OK ||
        set_meta(s->db, "relation_slots", nr) != SQLITE_OK ||
        set_meta(s->db, "entities", (long long)tg_graph_live_entity_count(g)) != SQLITE_OK ||
        set_meta(s->db, "relations", (long long)tg_graph_live_relation_count(g)) != SQLITE_OK) {
        st = fail(s, "cannot write the store", err);
        goto rollback;
    }
    if ((st = commit_and_relock(s, err)) != TG_OK) {
        s->generation--;
        s->pending = get_meta(s->db, "pending");
        return st;
    }
    tg_graph_changes_mark(g);
    s->graph = g;
    return TG_OK;
rollback:
    /* nothing of this save stays: undo it and take the lock again */
    exec(s->db, "ROLLBACK");
    s->txn = 0;
    s->pending = get_meta(s->db, "pending");
    if (exec(s->db, "BEGIN IMMEDIATE") == SQLITE_OK) {
        s->txn = 2;
        s->pending = get_meta(s->db, "pending");
    }
    return st;
}

tg_status tg_store_save(tg_store *s, tg_graph *g, tg_error *err)
{
    write_info wi;

    memset(&wi, 0, sizeof wi);
    wi.kind = "save";
    return save(s, g, &wi, err);
}

tg_status tg_store_save_import(tg_store *s, tg_graph *g, const tg_import_record *recs, size_t nrecs,
                               tg_error *err)
{
    write_info wi;

    memset(&wi, 0, sizeof wi);
    wi.kind = "import";
    wi.files = recs;
    wi.nfiles = nrecs;
    return save(s, g, &wi, err);
}

tg_status tg_store_save_statement(tg_store *s, tg_graph *g, const char *text, size_t len,
                                  const tg_write_counts *c, tg_error *err)
{
    write_info wi;

    memset(&wi, 0, sizeof wi);
    wi.kind = "statement";
    wi.what = text;
    wi.what_len = len;
    wi.counts = c;
    return save(s, g, &wi, err);
}

/* ---- vacuum -------------------------------------------------------------------- */

tg_status tg_store_vacuum(tg_store *s, tg_vacuum_report *rep, tg_error *err)
{
    tg_vacuum_report r;
    tg_graph *g = NULL, *c = NULL;
    write_info wi;
    tg_status st;

    memset(&r, 0, sizeof r);
    if (s->mode != TG_STORE_WRITE)
        return tg_error_set(err, TG_EIO, s->path, 0, 0, "the store was opened for reading only");
    r.bytes_before = file_size(s->path);
    r.changes_folded = s->version == TG_STORE_VERSION ? s->pending : 0;
    if ((st = tg_store_load(s, &g, err)) != TG_OK)
        goto done;
    if ((st = tg_graph_compact(g, &c, err)) != TG_OK)
        goto done;
    r.entities_dropped = (long long)(tg_graph_entity_count(g) - tg_graph_live_entity_count(g));
    r.relations_dropped = (long long)(tg_graph_relation_count(g) - tg_graph_live_relation_count(g));
    tg_graph_free(g);
    g = NULL;
    memset(&wi, 0, sizeof wi);
    wi.kind = "vacuum";
    wi.fold = 1;
    if ((st = save(s, c, &wi, err)) != TG_OK)
        goto done;
    tg_graph_free(c);
    c = NULL;
    /* SQLite's VACUUM runs outside any transaction, under its own lock */
    exec(s->db, "ROLLBACK");
    s->txn = 0;
    if (exec(s->db, "VACUUM") != SQLITE_OK) {
        st = fail(s, "cannot vacuum the store", err);
    } else {
        exec(s->db, "PRAGMA wal_checkpoint(TRUNCATE)");
        r.bytes_after = file_size(s->path);
    }
    if (exec(s->db, "BEGIN IMMEDIATE") == SQLITE_OK) {
        s->txn = 2;
        if (get_meta(s->db, "generation") != s->generation)
            s->stale = 1;
    } else {
        s->stale = 1;
    }
done:
    tg_graph_free(g);
    tg_graph_free(c);
    if (rep)
        *rep = r;
    return st;
}

long long tg_store_import_count(tg_store *s)
{
    return query_int(
        s->db, s->version == 1 ? "SELECT count(*) FROM imports" : "SELECT count(*) FROM write_file",
        NULL);
}
