/* cmd_import.c — `tiegraph import`: load files into the store.
 *
 * The whole import is one unit: the store's graph is loaded, every file is
 * applied in memory, and only when all of them succeed is the graph written
 * back in one transaction. A failure leaves the store byte for byte as it
 * was (a store this command created is removed again). An import that
 * changes nothing writes nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "json_loader.h"
#include "store.h"

static const char help[] =
    "Usage: tiegraph import [--db PATH] [--format FORMAT] FILE...\n"
    "\n"
    "Loads data files into the store, all or nothing: when one file is bad, the\n"
    "store is left exactly as it was. Importing the same file twice changes\n"
    "nothing; an entity id that exists already is merged (labels and sources\n"
    "united, the newer file's properties win).\n"
    "\n"
    "Options:\n"
    "  --db PATH          the store (default $TIEGRAPH_DB, else ./tiegraph.db);\n"
    "                     created when missing\n"
    "  --format FORMAT    json (tiegraph/1 document) or jsonl (tiegraph/1 JSON\n"
    "                     Lines); by default taken from each file's extension\n"
    "                     (.json, .jsonl, .ndjson), else from its content\n"
    TG_CLI_STORE_OPTIONS_HELP
    "  -q, --quiet        print nothing on success\n"
    "  -h, --help         this help\n"
    "\n"
    "Formats are described in docs/formats.md. Errors name the file, line and\n"
    "column: `tiegraph: FILE:LINE:COL: error: ...`.\n"
    "Exit status: 0 success, 64 usage, 65 bad input data, 66 a file is missing\n"
    "or unreadable, 74 the store cannot be read or written.\n";

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static int known_format(const char *f)
{
    return !strcmp(f, "json") || !strcmp(f, "jsonl");
}

/* Draws `tiegraph: reading FILE: 312 of 633 MB (49%)` over itself. */
static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
    fprintf(stderr, "\rtiegraph: reading %s: %llu of %llu MB (%d%%)", (const char *)ctx,
            (unsigned long long)(done >> 20), (unsigned long long)(total >> 20),
            total ? (int)(100 * done / total) : 100);
    if (done >= total)
        fputc('\n', stderr);
}

/* Loads one file in the given format, or, without --format, the one its
 * extension (.json, .jsonl, .ndjson) or, for any other name, its content
 * says. Progress is drawn only when stderr is a terminal. */
static tg_status load_one(tg_graph *g, const char *path, const char *format,
                          tg_load_counts *counts, tg_error *err)
{
    tg_json_progress progress = {show_progress, (void *)path};
    int jsonl = format ? !strcmp(format, "jsonl") : -1;

    return tg_json_load_file_progress(g, path, jsonl, counts,
                                      tg_cli_progress() ? &progress : NULL, err);
}

int tg_cmd_import(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    int quiet = 0, i, nfiles = 0, created = 0, rc = 0;
    char **files = NULL;
    tg_import_record *recs = NULL;
    tg_store *store = NULL;
    tg_graph *g = NULL;
    tg_error err;
    tg_status st;
    struct stat sb;
    uint64_t gen0;

    tg_error_clear(&err);
    files = calloc((size_t)argc, sizeof *files);
    recs = calloc((size_t)argc, sizeof *recs);
    if (!files || !recs) {
        rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        goto done;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            goto done;
        } else if (!strcmp(a, "--db") || !strcmp(a, "--format")) {
            if (i + 1 >= argc) {
                rc = tg_cli_usage("import", "%s needs a value", a);
                goto done;
            }
            if (!strcmp(a, "--db"))
                db = argv[++i];
            else
                format = argv[++i];
        } else if (!strncmp(a, "--db=", 5)) {
            db = a + 5;
        } else if (!strncmp(a, "--format=", 9)) {
            format = a + 9;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (tg_cli_store_option(argc, argv, &i, "import", &rc)) {
            if (rc)
                goto done;
        } else if (a[0] == '-' && a[1] && strcmp(a, "--") != 0) {
            rc = tg_cli_usage("import", "unknown option '%s'", a);
            goto done;
        } else if (!strcmp(a, "--")) {
            for (i++; i < argc; i++)
                files[nfiles++] = argv[i];
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles == 0) {
        rc = tg_cli_usage("import", "no file to import; expected tiegraph import FILE...");
        goto done;
    }
    if (format && !known_format(format)) {
        rc = tg_cli_usage("import", "unknown format '%s'; expected json or jsonl", format);
        goto done;
    }
    /* Every file must be readable before the store is touched. */
    for (i = 0; i < nfiles; i++) {
        if (stat(files[i], &sb) != 0 || access(files[i], R_OK) != 0) {
            tg_error_set(&err, TG_ENOENT, files[i], 0, 0, "no such file, or it cannot be read");
            rc = tg_cli_fail(&err);
            goto done;
        }
        if (S_ISDIR(sb.st_mode)) {
            tg_error_set(&err, TG_ENOENT, files[i], 0, 0, "is a directory; expected a data file");
            rc = tg_cli_fail(&err);
            goto done;
        }
        recs[i].file = files[i];
        recs[i].bytes = (long long)sb.st_size;
    }
    db = tg_cli_db_path(db);
    if (!strcmp(db, ":memory:")) {
        rc = tg_cli_usage("import", "--db :memory: would keep nothing; an import needs a store file");
        goto done;
    }
    created = strcmp(db, ":memory:") != 0 && stat(db, &sb) != 0;
    if (tg_cli_progress())
        fprintf(stderr, "tiegraph: opening %s\n", db);
    st = tg_store_open(db, TG_STORE_WRITE, &store, &err);
    if (st == TG_OK)
        st = tg_store_load(store, &g, &err);
    if (st != TG_OK) {
        if (st == TG_EDATA)
            err.status = TG_EIO;
        rc = tg_cli_fail(&err);
        goto done;
    }
    gen0 = tg_graph_generation(g);
    for (i = 0; i < nfiles; i++) {
        tg_load_counts counts;
        memset(&counts, 0, sizeof counts);
        st = load_one(g, files[i], format, &counts, &err);
        if (st != TG_OK) {
            if (st == TG_EINVAL)
                err.status = TG_EINVAL;
            rc = tg_cli_fail(&err);
            goto done;
        }
        recs[i].entities = (long long)(counts.entities_new + counts.entities_merged);
        recs[i].relations = (long long)(counts.relations_new + counts.relations_same);
        if (!quiet) {
            size_t ne = counts.entities_new + counts.entities_merged;
            size_t nr = counts.relations_new + counts.relations_same;
            printf("%s: %zu %s (%zu new, %zu merged), %zu %s (%zu new, %zu already present), "
                   "%zu %s\n",
                   files[i], ne, plural(ne, "entity", "entities"), counts.entities_new,
                   counts.entities_merged, nr, plural(nr, "relation", "relations"),
                   counts.relations_new, counts.relations_same, counts.sources,
                   plural(counts.sources, "source", "sources"));
        }
    }
    if (tg_graph_generation(g) != gen0 || created) {
        if (tg_cli_progress())
            fprintf(stderr, "tiegraph: writing %s\n", db);
        st = tg_store_save_import(store, g, recs, (size_t)nfiles, &err);
        if (st != TG_OK) {
            rc = tg_cli_fail(&err);
            goto done;
        }
    }
    if (!quiet)
        printf("%s: %zu %s, %zu %s%s\n", db, tg_graph_entity_count(g),
               plural(tg_graph_entity_count(g), "entity", "entities"), tg_graph_relation_count(g),
               plural(tg_graph_relation_count(g), "relation", "relations"),
               tg_graph_generation(g) == gen0 && !created ? " (unchanged)" : "");
done:
    tg_graph_free(g);
    tg_store_close(store);
    if (rc != 0 && created) {
        /* The store did not exist before this failed import: leave no trace. */
        char journal[4096];
        unlink(db);
        snprintf(journal, sizeof journal, "%s-journal", db);
        unlink(journal);
        snprintf(journal, sizeof journal, "%s-wal", db);
        unlink(journal);
    }
    free(files);
    free(recs);
    return rc;
}
