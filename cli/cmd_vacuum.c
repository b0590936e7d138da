/* cmd_vacuum.c — `tiegraph vacuum`: rewrite the store compactly.
 *
 * Folds the change log into a new base, drops deleted entities and
 * relations for good (renumbering the others) and gives the file's free
 * pages back, in one write transaction: a crash leaves the store as it was
 * before or as it is after, and readers see one or the other.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store.h"

static const char help[] =
    "Usage: tiegraph vacuum [--db PATH] [--busy-timeout S] [-q]\n"
    "\n"
    "Rewrites the store compactly: the change log that small writes append is\n"
    "folded into the base (tiegraph does this by itself when the log grows, see\n"
    "docs/store.md), deleted entities and relations are dropped for good, and the\n"
    "file gives its free pages back. The graph's content does not change.\n"
    "\n"
    "Options:\n"
    "  --db PATH          the store (default $TIEGRAPH_DB, else "
    "./tiegraph.db)\n" TG_CLI_STORE_OPTIONS_HELP "  -q, --quiet        print nothing on success\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: 0 success, 64 usage, 74 the store cannot be read or written\n"
    "(another writer held it past the busy timeout, disk full, read-only, ...).\n";

int tg_cmd_vacuum(int argc, char **argv)
{
    const char *db = NULL;
    int i, rc = 0, quiet = 0;
    tg_store *s = NULL;
    tg_vacuum_report rep;
    tg_error err;

    tg_error_clear(&err);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            return 0;
        } else if (!strcmp(a, "--db")) {
            if (i + 1 >= argc)
                return tg_cli_usage("vacuum", "--db needs a value");
            db = argv[++i];
        } else if (!strncmp(a, "--db=", 5)) {
            db = a + 5;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (tg_cli_store_option(argc, argv, &i, "vacuum", &rc)) {
            if (rc)
                return rc;
        } else {
            return tg_cli_usage("vacuum", "unexpected argument '%s'", a);
        }
    }
    db = tg_cli_db_path(db);
    if (!strcmp(db, ":memory:"))
        return tg_cli_usage("vacuum", "--db :memory: is no store to vacuum");
    if (tg_store_open(db, TG_STORE_WRITE, &s, &err) != TG_OK ||
        tg_store_vacuum(s, &rep, &err) != TG_OK) {
        if (err.status == TG_EDATA)
            err.status = TG_EIO;
        rc = tg_cli_fail(&err);
    } else if (!quiet) {
        printf("%s: %lld bytes before, %lld after; %lld change-log rows folded, %lld deleted "
               "entities and %lld deleted relations dropped\n",
               db, rep.bytes_before, rep.bytes_after, rep.changes_folded, rep.entities_dropped,
               rep.relations_dropped);
    }
    tg_store_close(s);
    return rc;
}
