/* test_store.c — the SQLite store: round trip (save, load, compare), the
 * empty store, refusing files that are not stores, and the read-only mode. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph.h"
#include "store.h"
#include "tg_test.h"

static tg_graph *sample(void)
{
    tg_graph *g = tg_graph_new();
    const char *ids[] = {"exim", "gov-ec", "ecu911", "cetc", "hikvision"};
    tg_ent e[5];
    tg_rel r;
    tg_pval v, item;
    size_t i;

    for (i = 0; i < 5; i++) {
        tg_graph_add_entity(g, ids[i], strlen(ids[i]), &e[i], NULL);
        tg_graph_add_label(g, e[i], tg_graph_intern(g, i ? "Company" : "Lender", i ? 7 : 6), NULL);
        memset(&v, 0, sizeof v);
        v.type = TG_V_STRING;
        v.u.s = tg_graph_intern(g, "名字 \"<script>\" 🚀", strlen("名字 \"<script>\" 🚀"));
        tg_graph_set_prop(g, TG_ENTITY, e[i], tg_graph_intern(g, "name", 4), &v, NULL);
    }
    tg_graph_add_relation(g, e[0], e[1], tg_graph_intern(g, "FINANCES", 8), &r, NULL);
    memset(&v, 0, sizeof v);
    v.type = TG_V_FLOAT;
    v.u.f = 240000000.0;
    tg_graph_set_prop(g, TG_RELATION, r, tg_graph_intern(g, "amount", 6), &v, NULL);
    memset(&item, 0, sizeof item);
    item.type = TG_V_STRING;
    item.u.s = tg_graph_intern(g, "aspi-2019#47", 12);
    tg_graph_make_list(g, &item, 1, &v, NULL);
    tg_graph_set_prop(g, TG_RELATION, r, tg_graph_intern(g, "sources", 7), &v, NULL);
    tg_graph_add_relation(g, e[3], e[4], tg_graph_intern(g, "OWNS", 4), NULL, NULL);
    tg_graph_add_relation(g, e[3], e[4], tg_graph_intern(g, "OWNS", 4), NULL, NULL);
    return g;
}

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
    /* a read-only store refuses to be written */
    TG_CHECK(tg_store_save(s, g, &err) == TG_EIO);
    tg_store_close(s);
    /* saving again replaces the graph */
    s = NULL;
    TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_OK);
    tg_graph_add_entity(back, "new", 3, NULL, NULL);
    TG_CHECK(tg_store_save(s, back, &err) == TG_OK);
    tg_graph_free(empty);
    empty = NULL;
    TG_CHECK(tg_store_load(s, &empty, &err) == TG_OK);
    TG_CHECK_INT(tg_graph_entity_count(empty), 6);
    tg_store_close(s);
    tg_graph_free(empty);
    tg_graph_free(back);
    tg_graph_free(g);
    unlink(path);
}

/* Deletions persist: tombstones survive a save and a load, the id is free,
 * and a store without deletions keeps the old graph format. */
static void t_deletions_persist(void)
{
    const char *path = tg_test_path("del.db");
    tg_store *s = NULL;
    tg_graph *g = sample(), *back = NULL;
    tg_error err;
    tg_ent cetc = tg_graph_find_entity(g, "cetc", 4);

    unlink(path);
    TG_CHECK(tg_graph_delete_relation(g, 0, &err) == TG_OK);
    TG_CHECK(tg_graph_delete_entity(g, cetc, 0, &err) == TG_EINVAL); /* two OWNS left */
    TG_CHECK(tg_graph_delete_entity(g, cetc, 1, &err) == TG_OK);
    TG_CHECK(tg_store_open(path, TG_STORE_WRITE, &s, &err) == TG_OK);
    TG_CHECK(tg_store_save(s, g, &err) == TG_OK);
    tg_store_close(s);
    s = NULL;
    TG_CHECK(tg_store_open(path, TG_STORE_READ, &s, &err) == TG_OK);
    TG_CHECK(tg_store_load(s, &back, &err) == TG_OK);
    TG_CHECK(back && tg_graph_equal(g, back));
    TG_CHECK_INT(tg_graph_live_entity_count(back), 4);
    TG_CHECK_INT(tg_graph_live_relation_count(back), 0);
    TG_CHECK(tg_graph_find_entity(back, "cetc", 4) == TG_NONE);
    TG_CHECK(!tg_graph_entity_is_live(back, cetc));
    TG_CHECK(tg_graph_add_entity(back, "cetc", 4, NULL, &err) == TG_OK);
    tg_store_close(s);
    tg_graph_free(back);
    tg_graph_free(g);
    unlink(path);
}

static void t_refusals(void)
{
    const char *junk = tg_test_write_file("junk.db", "this is not sqlite at all, not at all", 37);
    tg_store *s = NULL;
    tg_error err;
    char cmd[1200];

    TG_CHECK(tg_store_open(junk, TG_STORE_READ, &s, &err) == TG_EIO);
    TG_CHECK(s == NULL);
    TG_CHECK(tg_store_open(junk, TG_STORE_WRITE, &s, &err) == TG_EIO);
    TG_CHECK(tg_store_open(tg_test_path("missing.db"), TG_STORE_READ, &s, &err) == TG_EIO);
    TG_CHECK(strstr(err.message, "no store") != NULL);
    TG_CHECK(tg_store_open("/", TG_STORE_WRITE, &s, &err) == TG_EIO);
    unlink(junk);
    /* an SQLite database of someone else is left alone */
    {
        const char *other = tg_test_path("other.db");
        FILE *f;
        unlink(other);
        snprintf(cmd, sizeof cmd, "%s", other);
        f = fopen(other, "wb");
        fclose(f);
        TG_CHECK(tg_store_open(other, TG_STORE_WRITE, &s, &err) == TG_OK); /* empty file: new store */
        tg_store_close(s);
        s = NULL;
        unlink(other);
    }
    /* an in-memory store */
    TG_CHECK(tg_store_open(":memory:", TG_STORE_WRITE, &s, &err) == TG_OK);
    tg_store_close(s);
}

int main(void)
{
    TG_RUN(t_roundtrip);
    TG_RUN(t_deletions_persist);
    TG_RUN(t_refusals);
    return tg_test_finish();
}
