/* main.c — `tiegraph`: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "tiegraph — a graph analysis engine for the ties between companies, states and their\n"
    "partners: ownership, loans, contracts, supply, research partnerships.\n"
    "\n"
    "Usage: tiegraph COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  import   load data files into the store: tiegraph/1 JSON, CSV (Neo4j headers\n"
    "           or a mapping), FollowTheMoney, AidData GCDF, ASPI, GraphML\n"
    "  stats    counts by label and type, components, sources of the store\n"
    "  query    run an openCypher-like query or a script of them\n"
    "  export   write the store, or a query's result, as JSON, CSV for Neo4j,\n"
    "           GraphML, GEXF or a Cypher script\n"
    "  report   run analysis scripts into one self-contained HTML page\n"
    "  shell    an interactive session: statements, completion, history\n"
    "\n"
    "Options:\n"
    "  -h, --help     this help; `tiegraph COMMAND --help` for a command\n"
    "  --version      the version\n"
    "\n"
    "The store is ./tiegraph.db unless --db PATH or $TIEGRAPH_DB says otherwise.\n"
    "Exit status: 0 success, 1 query failed, 64 usage, 65 bad input data,\n"
    "66 input file missing or unreadable, 74 store cannot be read or written.\n";

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } cmds[] = {
        {"import", tg_cmd_import},
        {"stats", tg_cmd_stats},
        {"query", tg_cmd_query},
        {"export", tg_cmd_export},
        {"report", tg_cmd_report},
        {"shell", tg_cmd_shell},
    };
    size_t i;

    if (argc < 2) {
        fputs(usage, stderr);
        return TG_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("tiegraph %s\n", TG_VERSION);
        return 0;
    }
    for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].run(argc - 1, argv + 1);
    return tg_cli_usage(NULL, "unknown command '%s'; expected import, query, stats, export, report or shell",
                        argv[1]);
}
