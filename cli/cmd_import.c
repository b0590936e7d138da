/* cmd_import.c — `tiegraph import`: load files of any readable format into
 * the store.
 *
 * The whole import is one unit: the store's graph is loaded, every file is
 * read into it through one importer (loaders/importer.h: the merge rules)
 * with the reader the format table (loaders/formats.h) picks, and only when
 * all of them succeed is the graph written back in one transaction. A
 * failure leaves the store as it was (a store this command created is
 * removed again). An import that changes nothing writes nothing.
 *
 * Order of reading: --sources files, --nodes files, the plain FILE
 * arguments, then --relationships files, each group in the order given, so
 * that relations find the entities they name (as Neo4j's importer reads all
 * nodes before relationships).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "formats.h"
#include "importer.h"
#include "store.h"

static const char help[] =
    "Usage: tiegraph import [--db PATH] [OPTIONS] FILE...\n"
    "       tiegraph import [--db PATH] --nodes [LABELS=]F.csv... --relationships [TYPE=]F.csv...\n"
    "\n"
    "Loads data files into the store, all or nothing: when one file is bad, the\n"
    "store is left exactly as it was. Importing the same file twice changes\n"
    "nothing; an entity id that exists already is merged (labels and sources\n"
    "united, the newer file's properties win).\n"
    "\n"
    "Formats (docs/formats.md), chosen by --format, else by the file's\n"
    "extension, else by its content:\n"
    "%s"
    "\n"
    "Options:\n"
    "  --db PATH             the store (default $TIEGRAPH_DB, else ./tiegraph.db);\n"
    "                        created when missing\n"
    "  --format FORMAT       read every FILE as FORMAT (see the list above)\n"
    "  --map MAP.json        read CSV FILEs through a mapping (tiegraph-mapping/1:\n"
    "                        which columns make which entities and relations)\n"
    "  --nodes [L1:L2=]F[,F...]\n"
    "                        a CSV of entities with Neo4j bulk-import headers\n"
    "                        (id:ID, :LABEL, name, amount:float, tags:string[]);\n"
    "                        L1:L2= adds labels to every row; with several files\n"
    "                        the header is the first file's first line\n"
    "  --relationships [TYPE=]F[,F...]\n"
    "                        a CSV of relations (:START_ID, :END_ID, :TYPE, ...)\n"
    "  --sources F           a CSV of source records (id:ID, title, publisher,\n"
    "                        date, url), as `tiegraph export --to csv` writes\n"
    "  --delimiter C         CSV field delimiter (default ',', tab for .tsv;\n"
    "                        '\\t' or TAB for a tab)\n"
    "  --array-delimiter C   CSV list delimiter in typed[] columns (default ';')\n"
    "  --report FILE         write the references that were skipped (FtM: an\n"
    "                        entity id not in the file) to FILE, one a line\n"
    "  --max-record-size N   the longest line or record read, and the most read\n"
    "                        whole from a pipe (default 64M; K, M, G suffixes)\n"
    "  -q, --quiet           print nothing on success\n"
    "  -h, --help            this help\n"
    "\n"
    "Errors name the file, line and column: `tiegraph: FILE:LINE:COL: error: ...`.\n"
    "Exit status: 0 success, 64 usage, 65 bad input data, 66 a file is missing\n"
    "or unreadable, 74 the store cannot be read or written.\n";

/* One input: a file and how to read it. */
typedef struct input {
    const char *path;
    const char *header; /* a --nodes/--relationships group's header file, or NULL */
    tg_csv_role role;
    const char *spec; /* LABELS or TYPE before '=' (NUL-terminated copy), or NULL */
    int group;        /* reading order: 0 sources, 1 nodes, 2 files, 3 relationships */
} input;

typedef struct report {
    FILE *f;
    size_t n;
} report;

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* Draws `tiegraph: reading FILE: 312 of 633 MB (49%)` over itself. */
static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
    if (total)
        fprintf(stderr, "\rtiegraph: reading %s: %llu of %llu MB (%d%%)", (const char *)ctx,
                (unsigned long long)(done >> 20), (unsigned long long)(total >> 20),
                (int)(100 * done / total));
    else
        fprintf(stderr, "\rtiegraph: reading %s: %llu MB", (const char *)ctx,
                (unsigned long long)(done >> 20));
    if (total && done >= total)
        fputc('\n', stderr);
}

static void on_skip(void *ctx, const char *file, long line, long column, const char *id,
                    size_t id_len, const char *type)
{
    report *r = ctx;

    r->n++;
    if (!r->f)
        return;
    fprintf(r->f, "%s:%ld:%ld: skipped a %s relation: unknown entity \"", file, line, column,
            type);
    for (size_t i = 0; i < id_len; i++) {
        unsigned char c = (unsigned char)id[i];
        if (c < 0x20 || c == '"' || c == '\\')
            fprintf(r->f, "\\x%02x", c);
        else
            fputc(c, r->f);
    }
    fputs("\"\n", r->f);
}

/* Reads a size such as 64M; 0 when it is not one. */
static size_t parse_size(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);

    if (end == s)
        return 0;
    switch (*end) {
    case 'k': case 'K': v <<= 10; end++; break;
    case 'm': case 'M': v <<= 20; end++; break;
    case 'g': case 'G': v <<= 30; end++; break;
    default: break;
    }
    return *end || v == 0 ? 0 : (size_t)v;
}

/* A delimiter: one byte, or "\t" / "TAB". -1 when it is not one. */
static int parse_delim(const char *s)
{
    if (!strcmp(s, "\\t") || !strcasecmp(s, "tab"))
        return '\t';
    if (strlen(s) != 1 || s[0] == '"' || s[0] == '\n' || s[0] == '\r')
        return -1;
    return (unsigned char)s[0];
}

/* Splits a --nodes / --relationships value `[SPEC=]F1,F2,...` into inputs.
 * The value is modified in place (argv is ours). */
static int add_group(input *in, int *n, char *value, tg_csv_role role, int group)
{
    char *eq = strchr(value, '='), *files = value, *spec = NULL, *tok, *save = NULL;
    const char *header = NULL;
    int first = 1;

    if (eq && !memchr(value, '/', (size_t)(eq - value))) {
        *eq = '\0';
        spec = value;
        files = eq + 1;
    }
    for (tok = strtok_r(files, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        input *x = &in[(*n)++];
        memset(x, 0, sizeof *x);
        x->path = tok;
        x->role = role;
        x->spec = spec;
        x->group = group;
        x->header = first ? NULL : header;
        if (first)
            header = tok;
        first = 0;
    }
    return first ? -1 : 0;
}

/* Every file must be readable before the store is touched. */
static int check_readable(const char *path, tg_error *err)
{
    struct stat sb;

    if (stat(path, &sb) != 0 || access(path, R_OK) != 0) {
        tg_error_set(err, TG_ENOENT, path, 0, 0, "no such file, or it cannot be read");
        return -1;
    }
    if (S_ISDIR(sb.st_mode)) {
        tg_error_set(err, TG_ENOENT, path, 0, 0, "is a folder; expected a data file");
        return -1;
    }
    return 0;
}



int tg_cmd_import(int argc, char **argv)
{
    const char *db = NULL, *format = NULL, *map = NULL, *report_path = NULL;
    int quiet = 0, i, nin = 0, created = 0, rc = 0, delim = 0, adelim = 0;
    size_t max_record = 0;
    input *in = NULL;
    tg_import_record *recs = NULL;
    tg_store *store = NULL;
    tg_graph *g = NULL;
    tg_importer *imp = NULL;
    report rep = {NULL, 0};
    tg_error err;
    tg_status st;
    struct stat sb;
    uint64_t gen0;

    tg_error_clear(&err);
    /* every argument could be a comma-separated list of files */
    {
        size_t cap = 1;
        for (i = 1; i < argc; i++)
            cap += 1 + strlen(argv[i]) / 2;
        in = calloc(cap, sizeof *in);
        recs = calloc(cap, sizeof *recs);
    }
    if (!in || !recs) {
        rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        goto done;
    }
    for (i = 1; i < argc; i++) {
        char *a = argv[i], *val = NULL;
        static const char *const with_value[] = {
            "--db", "--format", "--map", "--nodes", "--relationships", "--sources",
            "--delimiter", "--array-delimiter", "--report", "--max-record-size"};
        size_t k;
        int known = 0;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            char *h = tg_cli_format_help(help, 0);
            fputs(h ? h : "", stdout);
            free(h);
            goto done;
        }
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
            continue;
        }
        if (!strcmp(a, "--")) {
            for (i++; i < argc; i++) {
                memset(&in[nin], 0, sizeof in[nin]);
                in[nin].path = argv[i];
                in[nin++].group = 2;
            }
            break;
        }
        if (a[0] != '-' || !a[1]) {
            memset(&in[nin], 0, sizeof in[nin]);
            in[nin].path = a;
            in[nin++].group = 2;
            continue;
        }
        for (k = 0; k < sizeof with_value / sizeof with_value[0]; k++) {
            size_t n = strlen(with_value[k]);
            if (!strcmp(a, with_value[k])) {
                if (i + 1 >= argc) {
                    rc = tg_cli_usage("import", "%s needs a value", a);
                    goto done;
                }
                val = argv[++i];
            } else if (!strncmp(a, with_value[k], n) && a[n] == '=') {
                val = a + n + 1;
            } else {
                continue;
            }
            known = 1;
            a[strcspn(a, "=")] = '\0';
            break;
        }
        if (!known) {
            rc = tg_cli_usage("import", "unknown option '%s'", a);
            goto done;
        }
        if (!strcmp(a, "--db")) {
            db = val;
        } else if (!strcmp(a, "--format")) {
            format = val;
        } else if (!strcmp(a, "--map")) {
            map = val;
        } else if (!strcmp(a, "--report")) {
            report_path = val;
        } else if (!strcmp(a, "--nodes") || !strcmp(a, "--relationships") ||
                   !strcmp(a, "--sources")) {
            tg_csv_role role = a[2] == 'n' ? TG_CSV_NODES
                               : a[2] == 'r' ? TG_CSV_RELATIONSHIPS
                                             : TG_CSV_SOURCES;
            if (add_group(in, &nin, val, role, role == TG_CSV_SOURCES ? 0
                                               : role == TG_CSV_NODES ? 1
                                                                      : 3) != 0) {
                rc = tg_cli_usage("import", "%s needs a file name", a);
                goto done;
            }
        } else if (!strcmp(a, "--delimiter") || !strcmp(a, "--array-delimiter")) {
            int d = parse_delim(val);
            if (d < 0) {
                rc = tg_cli_usage("import",
                                  "%s '%s' is not one character; expected one such as ';' or "
                                  "'\\t'",
                                  a, val);
                goto done;
            }
            if (a[2] == 'd')
                delim = d;
            else
                adelim = d;
        } else if (!strcmp(a, "--max-record-size")) {
            max_record = parse_size(val);
            if (!max_record) {
                rc = tg_cli_usage("import", "--max-record-size '%s' is not a size; expected a "
                                  "number of bytes such as 64M", val);
                goto done;
            }
        }
    }
    if (nin == 0) {
        rc = tg_cli_usage("import", "no file to import; expected tiegraph import FILE...");
        goto done;
    }
    if (format) {
        const tg_format *f = tg_format_find(format);
        if (!f || !f->read) {
            rc = tg_cli_usage("import", "unknown format '%s'; expected one of %s", format,
                              tg_format_names(0));
            goto done;
        }
    }
    if (delim && delim == adelim) {
        rc = tg_cli_usage("import", "--delimiter and --array-delimiter are the same character");
        goto done;
    }
    for (i = 0; i < nin; i++) {
        if (check_readable(in[i].path, &err) != 0 ||
            (in[i].header && check_readable(in[i].header, &err) != 0)) {
            rc = tg_cli_fail(&err);
            goto done;
        }
    }
    if (map && check_readable(map, &err) != 0) {
        rc = tg_cli_fail(&err);
        goto done;
    }
    /* insertion sort by group: stable, so each group keeps the order given */
    for (i = 1; i < nin; i++) {
        input x = in[i];
        int j;
        for (j = i; j > 0 && in[j - 1].group > x.group; j--)
            in[j] = in[j - 1];
        in[j] = x;
    }
    if (report_path) {
        rep.f = fopen(report_path, "w");
        if (!rep.f) {
            tg_error_set(&err, TG_EIO, report_path, 0, 0, "cannot write the report: %s", strerror(errno));
            rc = tg_cli_fail(&err);
            goto done;
        }
    }
    db = tg_cli_db_path(db);
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
    if ((st = tg_importer_new(g, &imp, &err)) != TG_OK) {
        rc = tg_cli_fail(&err);
        goto done;
    }
    gen0 = tg_graph_generation(g);
    for (i = 0; i < nin; i++) {
        tg_load_counts counts;
        tg_read_options o;
        tg_read_progress progress = {show_progress, (void *)in[i].path};
        memset(&counts, 0, sizeof counts);
        memset(&o, 0, sizeof o);
        o.format = in[i].role != TG_CSV_AUTO ? "csv" : format;
        o.map = in[i].role != TG_CSV_AUTO ? NULL : map;
        o.role = in[i].role;
        o.labels = in[i].role == TG_CSV_NODES ? in[i].spec : NULL;
        o.type = in[i].role == TG_CSV_RELATIONSHIPS ? in[i].spec : NULL;
        o.header = in[i].header;
        o.delimiter = (char)delim;
        o.array_delimiter = (char)adelim;
        o.max_record = max_record;
        o.on_skip = on_skip;
        o.skip_ctx = &rep;
        o.progress = tg_cli_progress() ? &progress : NULL;
        if (!o.format && map)
            o.format = "csv";
        st = tg_format_read(imp, in[i].path, &o, &counts, &err);
        if (st != TG_OK) {
            rc = tg_cli_fail(&err);
            goto done;
        }
        if (stat(in[i].path, &sb) == 0)
            recs[i].bytes = (long long)sb.st_size;
        recs[i].file = in[i].path;
        recs[i].entities = (long long)(counts.entities_new + counts.entities_merged);
        recs[i].relations = (long long)(counts.relations_new + counts.relations_same);
        if (!quiet) {
            size_t ne = counts.entities_new + counts.entities_merged;
            size_t nr = counts.relations_new + counts.relations_same;
            printf("%s: %zu %s (%zu new, %zu merged), %zu %s (%zu new, %zu already present), "
                   "%zu %s",
                   in[i].path, ne, plural(ne, "entity", "entities"), counts.entities_new,
                   counts.entities_merged, nr, plural(nr, "relation", "relations"),
                   counts.relations_new, counts.relations_same, counts.sources,
                   plural(counts.sources, "source", "sources"));
            if (counts.relations_skipped)
                printf(", %zu %s skipped (unknown entity%s)", counts.relations_skipped,
                       plural(counts.relations_skipped, "relation", "relations"),
                       report_path ? "; see the report" : "; --report FILE lists them");
            putchar('\n');
        }
    }
    if (tg_graph_generation(g) != gen0 || created) {
        if (tg_cli_progress())
            fprintf(stderr, "tiegraph: writing %s\n", db);
        st = tg_store_save_import(store, g, recs, (size_t)nin, &err);
        if (st != TG_OK) {
            rc = tg_cli_fail(&err);
            goto done;
        }
    }
    if (!quiet)
        printf("%s: %zu %s, %zu %s%s\n", db, tg_graph_live_entity_count(g),
               plural(tg_graph_live_entity_count(g), "entity", "entities"),
               tg_graph_live_relation_count(g),
               plural(tg_graph_live_relation_count(g), "relation", "relations"),
               tg_graph_generation(g) == gen0 && !created ? " (unchanged)" : "");
done:
    if (rep.f && fclose(rep.f) != 0 && rc == 0) {
        tg_error_set(&err, TG_EIO, report_path, 0, 0, "cannot write the report: %s", strerror(errno));
        rc = tg_cli_fail(&err);
    }
    tg_importer_free(imp);
    tg_graph_free(g);
    tg_store_close(store);
    if (rc != 0 && created) {
        /* The store did not exist before this failed import: leave no trace. */
        char journal[4096];
        unlink(db);
        snprintf(journal, sizeof journal, "%s-journal", db);
        unlink(journal);
    }
    free(in);
    free(recs);
    return rc;
}
