/* cmd_stats.c — `tiegraph stats`: what is in the store.
 *
 * Entities by label, relations by type, weakly connected components and
 * the largest, the sources with how many entities and relations cite each,
 * and the entities and relations that cite no source at all. Citations are
 * counted per distinct evidence list first (lists are shared in the
 * engine), so the cost is one pass over the `sources` columns.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "tgvec.h"

static const char help[] =
    "Usage: tiegraph stats [--db PATH] [--format text|json]\n"
    "\n"
    "Prints what the store holds: entities by label, relations by type, weakly\n"
    "connected components and the size of the largest, the sources with the\n"
    "number of entities and relations citing each, and how many entities and\n"
    "relations cite no source.\n"
    "\n"
    "Options:\n"
    "  --db PATH         the store (default $TIEGRAPH_DB, else ./tiegraph.db)\n"
    "  --format FORMAT   text (default) or json (one object, for scripts)\n"
    "  -h, --help        this help\n";

typedef struct source_count {
    size_t entities, relations;
} source_count;

typedef struct stats {
    size_t ncomp, largest;
    size_t unsourced[2];
    source_count *per_source; /* by source index */
    size_t uncatalogued[2];   /* citations of ids with no source record */
} stats;

/* Counts citations on one side. A citation "aspi-2019#47" counts for the
 * source "aspi-2019"; an item citing two fragments of one source counts
 * once for it. */
static int count_citations(tg_graph *g, tg_side side, stats *S)
{
    tg_sym key = tg_graph_sym(g, "sources", 7);
    size_t n = side == TG_ENTITY ? tg_graph_entity_count(g) : tg_graph_relation_count(g);
    size_t nsrc = tg_graph_source_count(g), i, cited = 0, ncol;
    const uint32_t *rows = NULL;
    const tg_pval *vals = NULL;
    tg_u32map per_list = {0}; /* list offset -> slot in uses */
    tg_vec uses = {0};        /* per distinct list: (offset, len, count) */
    uint32_t *seen = NULL;
    int rc = -1;

    seen = calloc(nsrc ? nsrc : 1, sizeof *seen);
    if (!seen)
        goto done;
    /* one pass over the column, not a lookup per item */
    ncol = key ? tg_graph_column(g, side, key, &rows, &vals) : 0;
    for (i = 0; i < ncol; i++) {
        const tg_pval *v = &vals[i];
        uint32_t slot;
        if (rows[i] >= n || (side == TG_ENTITY ? !tg_graph_entity_is_live(g, rows[i])
                                               : !tg_graph_relation_is_live(g, rows[i])))
            continue;
        if (v->type != TG_V_LIST || v->len == 0 || v->elem != TG_V_STRING)
            continue;
        cited++;
        slot = tg_u32map_get(&per_list, v->u.list);
        if (slot == 0xFFFFFFFFu) {
            uint64_t rec[3] = {v->u.list, v->len, 0};
            slot = (uint32_t)uses.n;
            if (tg_vec_push(&uses, sizeof rec, rec) != 0 ||
                tg_u32map_put(&per_list, v->u.list, slot) != 0)
                goto done;
        }
        ((uint64_t *)uses.a)[3 * slot + 2]++;
    }
    /* deleted items read as having no property: count live ones only */
    S->unsourced[side] = (side == TG_ENTITY ? tg_graph_live_entity_count(g)
                                            : tg_graph_live_relation_count(g)) - cited;
    for (i = 0; i < uses.n; i++) {
        const uint64_t *rec = (const uint64_t *)uses.a + 3 * i;
        tg_pval lv;
        const tg_pval *items;
        uint32_t j;
        memset(&lv, 0, sizeof lv);
        lv.type = TG_V_LIST;
        lv.elem = TG_V_STRING;
        lv.len = (uint32_t)rec[1];
        lv.u.list = (uint32_t)rec[0];
        items = tg_graph_list(g, &lv);
        for (j = 0; j < lv.len; j++) {
            size_t len;
            const char *s = tg_graph_str(g, items[j].u.s, &len);
            const char *hash = memchr(s, '#', len);
            tg_sym id = tg_graph_sym(g, s, hash ? (size_t)(hash - s) : len);
            uint32_t src = id ? tg_graph_find_source(g, id) : TG_NONE;
            if (src == TG_NONE) {
                S->uncatalogued[side] += rec[2];
                continue;
            }
            if (seen[src] == i + 1) /* two fragments of one source in one list */
                continue;
            seen[src] = (uint32_t)i + 1;
            if (side == TG_ENTITY)
                S->per_source[src].entities += rec[2];
            else
                S->per_source[src].relations += rec[2];
        }
    }
    rc = 0;
done:
    free(seen);
    tg_vec_free(&uses);
    tg_u32map_free(&per_list);
    return rc;
}

static const char *source_field(const tg_graph *g, uint32_t s, const char *name)
{
    const tg_source_field *f;
    size_t n = tg_graph_source_fields(g, s, &f), i;

    for (i = 0; i < n; i++)
        if (!strcmp(tg_graph_str(g, f[i].key, NULL), name))
            return tg_graph_str(g, f[i].value, NULL);
    return NULL;
}

/* Prints "  NAME<pad> COUNT" lines for syms[0..n): names are data (a NUL or
 * an ESC inside one is escaped, never cut or sent to the terminal). */
static void print_counts(tg_graph *g, const tg_sym *syms, size_t n, int labels)
{
    size_t i, width = 8;
    char **names = calloc(n + 1, sizeof *names);
    size_t *widths = calloc(n + 1, sizeof *widths);

    if (!names || !widths)
        goto done;
    for (i = 0; i < n; i++) {
        size_t len;
        const char *s = tg_graph_str(g, syms[i], &len);
        names[i] = tg_out_safe_text(s, len, &widths[i]);
        if (widths[i] > width)
            width = widths[i];
    }
    for (i = 0; i < n; i++) {
        const tg_ent *items;
        size_t count = labels ? tg_graph_label_entities(g, syms[i], &items)
                              : tg_graph_type_relations(g, syms[i], &items);
        printf("  %s%*s %10zu\n", names[i] ? names[i] : "", (int)(width - widths[i]), "", count);
    }
done:
    for (i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    free(widths);
}

static void print_text(tg_graph *g, const char *db, const stats *S)
{
    const tg_sym *syms;
    size_t n, i;

    fputs("store       ", stdout);
    tg_out_safe_write(stdout, db, strlen(db), 0);
    printf("\nentities    %zu\n", tg_graph_live_entity_count(g));
    printf("relations   %zu\n", tg_graph_live_relation_count(g));
    printf("components  %zu weakly connected; the largest has %zu entities\n", S->ncomp, S->largest);
    printf("sources     %zu\n", tg_graph_source_count(g));
    printf("unsourced   %zu %s and %zu %s cite no source\n", S->unsourced[0],
           S->unsourced[0] == 1 ? "entity" : "entities", S->unsourced[1],
           S->unsourced[1] == 1 ? "relation" : "relations");
    n = tg_graph_all_labels(g, &syms);
    printf("\nentities by label\n");
    print_counts(g, syms, n, 1);
    n = tg_graph_all_types(g, &syms);
    printf("\nrelations by type\n");
    print_counts(g, syms, n, 0);
    if (tg_graph_source_count(g)) {
        printf("\nsources (entities, relations citing each)\n");
        for (i = 0; i < tg_graph_source_count(g); i++) {
            const char *title = source_field(g, (uint32_t)i, "title");
            size_t len, w;
            const char *id = tg_graph_str(g, tg_graph_source_id(g, (uint32_t)i), &len);
            char *safe = tg_out_safe_text(id, len, &w);
            printf("  %s%*s %8zu %8zu  ", safe ? safe : "", w < 16 ? (int)(16 - w) : 0, "",
                   S->per_source[i].entities, S->per_source[i].relations);
            if (title)
                tg_out_safe_write(stdout, title, strlen(title), 0);
            putchar('\n');
            free(safe);
        }
    }
    if (S->uncatalogued[0] || S->uncatalogued[1])
        printf("  (%zu entity and %zu relation citations name no source record)\n",
               S->uncatalogued[0], S->uncatalogued[1]);
}

static void json_str(const tg_graph *g, tg_sym s)
{
    size_t len;
    const char *p = tg_graph_str(g, s, &len);

    tg_cli_json_string(stdout, p, len);
}

static void print_json(tg_graph *g, const char *db, const stats *S)
{
    const tg_sym *syms;
    size_t n, i, j;

    printf("{\"store\": ");
    tg_cli_json_string(stdout, db, strlen(db));
    printf(", \"entities\": %zu, \"relations\": %zu", tg_graph_live_entity_count(g),
           tg_graph_live_relation_count(g));
    printf(", \"components\": {\"count\": %zu, \"largest\": %zu}", S->ncomp, S->largest);
    printf(", \"labels\": {");
    n = tg_graph_all_labels(g, &syms);
    for (i = 0; i < n; i++) {
        const tg_ent *ents;
        printf("%s", i ? ", " : "");
        json_str(g, syms[i]);
        printf(": %zu", tg_graph_label_entities(g, syms[i], &ents));
    }
    printf("}, \"types\": {");
    n = tg_graph_all_types(g, &syms);
    for (i = 0; i < n; i++) {
        const tg_rel *rels;
        printf("%s", i ? ", " : "");
        json_str(g, syms[i]);
        printf(": %zu", tg_graph_type_relations(g, syms[i], &rels));
    }
    printf("}, \"sources\": [");
    for (i = 0; i < tg_graph_source_count(g); i++) {
        const tg_source_field *f;
        size_t nf = tg_graph_source_fields(g, (uint32_t)i, &f);
        printf("%s{\"id\": ", i ? ", " : "");
        json_str(g, tg_graph_source_id(g, (uint32_t)i));
        for (j = 0; j < nf; j++) {
            printf(", ");
            json_str(g, f[j].key);
            printf(": ");
            json_str(g, f[j].value);
        }
        printf(", \"citing_entities\": %zu, \"citing_relations\": %zu}", S->per_source[i].entities,
               S->per_source[i].relations);
    }
    printf("], \"unsourced\": {\"entities\": %zu, \"relations\": %zu}}\n", S->unsourced[0],
           S->unsourced[1]);
}

int tg_cmd_stats(int argc, char **argv)
{
    const char *db = NULL, *format = "text";
    tg_graph *g = NULL;
    stats S;
    tg_error err;
    int i, rc = 0;

    memset(&S, 0, sizeof S);
    tg_error_clear(&err);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            return 0;
        } else if ((!strcmp(a, "--db") || !strcmp(a, "--format")) && i + 1 < argc) {
            if (!strcmp(a, "--db"))
                db = argv[++i];
            else
                format = argv[++i];
        } else if (!strncmp(a, "--db=", 5)) {
            db = a + 5;
        } else if (!strncmp(a, "--format=", 9)) {
            format = a + 9;
        } else {
            return tg_cli_usage("stats", "unexpected argument '%s'", a);
        }
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return tg_cli_usage("stats", "unknown format '%s'; expected text or json", format);
    db = tg_cli_db_path(db);
    if ((rc = tg_cli_load_store(db, &g)) != 0)
        return rc;
    S.per_source = calloc(tg_graph_source_count(g) + 1, sizeof *S.per_source);
    if (!S.per_source || tg_graph_wcc_summary(g, &S.ncomp, &S.largest, &err) != TG_OK ||
        count_citations(g, TG_ENTITY, &S) != 0 || count_citations(g, TG_RELATION, &S) != 0) {
        if (err.status == TG_OK)
            tg_error_set(&err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        if (err.status == TG_EDATA) /* the store's relations are damaged */
            err.status = TG_EIO;
        rc = tg_cli_fail(&err);
        goto done;
    }
    if ((rc = tg_cli_graph_failed(g)) != 0) /* a part of the store could not be read */
        goto done;
    if (!strcmp(format, "json"))
        print_json(g, db, &S);
    else
        print_text(g, db, &S);
done:
    free(S.per_source);
    tg_graph_free(g);
    return rc;
}
