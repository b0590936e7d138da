/* fuzz_store.c — opening a store file that a crash, a torn write or a
 * hostile hand left damaged. A real store (a base plus a change log) is
 * made once; each input then damages a copy of its file and the store is
 * opened, read whole, walked, and written to. Whatever the damage, tiegraph
 * must refuse with an error or work: no crash, no leak, no read out of
 * bounds, no hang.
 *
 * Input: byte 0 picks the damage, the rest drives it.
 * - 0: patches: (uint32 offset, uint8 length, bytes) repeated, applied to the
 *      file at offset modulo its size (a torn or flipped page);
 * - 1: the file cut at a uint32 modulo its size, then patches as in 0
 *      (a write that stopped half-way);
 * - 2: rows: (uint8 table, uint8 row, bytes...) — the row's data or value
 *      column of base / change_property / change_entity replaced by the
 *      rest of the input (a store edited with the sqlite3 shell).
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "graph.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256], tmpl[300], path[300];
static unsigned char *image;
static size_t image_size;

static void set_name(tg_graph *g, tg_ent e, const char *key, const char *val)
{
    tg_pval v;

    memset(&v, 0, sizeof v);
    v.type = TG_V_STRING;
    v.u.s = tg_graph_intern(g, val, strlen(val));
    tg_graph_set_prop(g, TG_ENTITY, e, tg_graph_intern(g, key, strlen(key)), &v, NULL);
}

static void cleanup(void)
{
    char p[320];

    unlink(tmpl);
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    rmdir(dir);
    free(image);
}

/* The template store: a base of 40 entities and a chain of relations with
 * lists and numbers, then a small write that lands in the change log. */
static int make_template(void)
{
    tg_graph *g = tg_graph_new(), *w = NULL;
    tg_store *s = NULL;
    tg_ent prev = TG_NONE;
    tg_pval v, items[2];
    FILE *f;
    long n;
    int i;

    snprintf(dir, sizeof dir, "/tmp/tg-fuzz-store-%d", (int)getpid());
    mkdir(dir, 0700);
    atexit(cleanup);
    snprintf(tmpl, sizeof tmpl, "%s/tmpl.db", dir);
    snprintf(path, sizeof path, "%s/t.db", dir);
    for (i = 0; i < 40; i++) {
        char id[16];
        tg_ent e;
        snprintf(id, sizeof id, "e%d", i);
        tg_graph_add_entity(g, id, strlen(id), &e, NULL);
        tg_graph_add_label(g, e, tg_graph_intern(g, i % 3 ? "Company" : "Lender", i % 3 ? 7 : 6),
                           NULL);
        set_name(g, e, "name", id);
        if (prev != TG_NONE) {
            tg_rel r;
            tg_graph_add_relation(g, prev, e, tg_graph_intern(g, "OWNS", 4), &r, NULL);
            memset(items, 0, sizeof items);
            items[0].type = items[1].type = TG_V_INT;
            items[0].u.i = i;
            items[1].u.i = -i;
            tg_graph_make_list(g, items, 2, &v, NULL);
            tg_graph_set_prop(g, TG_RELATION, r, tg_graph_intern(g, "years", 5), &v, NULL);
        }
        prev = e;
    }
    tg_graph_delete_relation(g, 3, NULL);
    unlink(tmpl);
    if (tg_store_open(tmpl, TG_STORE_WRITE, &s, NULL) != TG_OK ||
        tg_store_save(s, g, NULL) != TG_OK)
        return -1;
    tg_store_close(s);
    s = NULL;
    if (tg_store_open(tmpl, TG_STORE_WRITE, &s, NULL) != TG_OK ||
        tg_store_load(s, &w, NULL) != TG_OK)
        return -1;
    set_name(w, 5, "name", "renamed");
    tg_graph_add_entity(w, "late", 4, NULL, NULL);
    tg_graph_delete_entity(w, 39, 1, NULL);
    tg_store_save(s, w, NULL);
    tg_graph_free(w);
    tg_store_close(s);
    tg_graph_free(g);
    f = fopen(tmpl, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0 ||
        !(image = malloc((size_t)n)) || fread(image, 1, (size_t)n, f) != (size_t)n) {
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    image_size = (size_t)n;
    return 0;
}

static uint32_t u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void write_damaged(const uint8_t *data, size_t size)
{
    unsigned char *img = malloc(image_size);
    size_t len = image_size, at = 1;
    FILE *f;

    if (!img)
        return;
    memcpy(img, image, image_size);
    if (data[0] % 3 == 1 && size >= 5) {
        len = u32(data + 1) % image_size;
        at = 5;
    }
    if (data[0] % 3 != 2)
        while (at + 5 <= size) {
            size_t off = u32(data + at) % (len ? len : 1), n = data[at + 4], k;
            at += 5;
            for (k = 0; k < n && at < size && off + k < len; k++)
                img[off + k] = data[at++];
        }
    unlink(path);
    f = fopen(path, "wb");
    if (f) {
        fwrite(img, 1, len, f);
        fclose(f);
    }
    free(img);
    if (data[0] % 3 == 2 && size >= 3) {
        static const char *const sql[] = {
            "UPDATE base SET data = ?1 WHERE rowid = (SELECT rowid FROM base LIMIT 1 OFFSET ?2)",
            ("UPDATE change_property SET value = ?1 WHERE item ="
             " (SELECT item FROM change_property LIMIT 1 OFFSET ?2)"),
            "UPDATE change_property SET type = CAST(?1 AS TEXT) WHERE item = ?2",
            "UPDATE change_entity SET labels = CAST(?1 AS TEXT) WHERE ent = ?2",
            "UPDATE change_entity SET ent = ?2 + 1000 * length(?1)",
            "UPDATE base_segment SET bytes = length(?1) WHERE rowid = ?2",
            "UPDATE meta SET value = CAST(?1 AS TEXT) WHERE rowid = ?2"};
        sqlite3 *db = NULL;
        sqlite3_stmt *q = NULL;
        if (sqlite3_open(path, &db) == SQLITE_OK &&
            sqlite3_prepare_v2(db, sql[data[1] % (sizeof sql / sizeof sql[0])], -1, &q, NULL) ==
                SQLITE_OK) {
            sqlite3_bind_blob(q, 1, data + 3, (int)(size - 3), SQLITE_STATIC);
            sqlite3_bind_int(q, 2, data[2]);
            sqlite3_step(q);
        }
        sqlite3_finalize(q);
        sqlite3_close(db);
    }
}

static int visit(void *ctx, tg_sym key, const tg_pval *v)
{
    tg_graph *g = ctx;
    const tg_pval *items = tg_graph_list(g, v);
    uint32_t i;

    (void)tg_graph_str(g, key, NULL);
    if (v->type == TG_V_STRING)
        (void)tg_graph_str(g, v->u.s, NULL);
    for (i = 0; items && i < v->len; i++)
        if (items[i].type == TG_V_STRING)
            (void)tg_graph_str(g, items[i].u.s, NULL);
    return 0;
}

static void walk(tg_graph *g)
{
    size_t i, n = tg_graph_entity_count(g), m, nc, big;
    const tg_rel *rels;
    const tg_sym *labels;

    for (i = 0; i < n; i++) {
        size_t k, nl = tg_graph_labels(g, (tg_ent)i, &labels);
        for (k = 0; k < nl; k++)
            (void)tg_graph_str(g, labels[k], NULL);
        tg_graph_each_prop(g, TG_ENTITY, (uint32_t)i, visit, g);
        (void)tg_graph_out(g, (tg_ent)i, &rels);
    }
    m = tg_graph_relation_count(g);
    for (i = 0; i < m; i++) {
        (void)tg_graph_rel_from(g, (tg_rel)i);
        (void)tg_graph_str(g, tg_graph_rel_type(g, (tg_rel)i), NULL);
        tg_graph_each_prop(g, TG_RELATION, (uint32_t)i, visit, g);
    }
    tg_graph_wcc_summary(g, &nc, &big, NULL);
    (void)tg_graph_find_entity(g, "e5", 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tg_store *s = NULL;
    tg_graph *g = NULL;
    tg_error err;

    if (!image && make_template() != 0)
        return 0;
    if (size < 1)
        return 0;
    tg_store_set_busy_timeout(0);
    write_damaged(data, size);
    if (tg_store_open(path, TG_STORE_READ, &s, &err) == TG_OK &&
        tg_store_load(s, &g, &err) == TG_OK) {
        tg_graph_load_all(g, &err);
        walk(g);
        (void)tg_graph_status(g, &err);
    }
    tg_graph_free(g);
    tg_store_close(s);
    g = NULL;
    s = NULL;
    /* and a write through the damaged store */
    if (tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_OK &&
        tg_store_load(s, &g, &err) == TG_OK) {
        tg_graph_add_entity(g, "fuzz", 4, NULL, NULL);
        tg_store_save(s, g, &err);
    }
    tg_graph_free(g);
    tg_store_close(s);
    unlink(path);
    return 0;
}
