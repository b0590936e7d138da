/* cmd_export.c — `tiegraph export`: the store, or what a query returns, in
 * another format (loaders/formats.h: tiegraph/1 JSON and JSON Lines, Neo4j
 * bulk-import CSV, GraphML, GEXF, a Cypher script).
 *
 * With --query, the statement runs over the loaded graph (nothing is written
 * back to the store) and every node, relation and path in its result
 * (inside lists and maps too) is exported, with the endpoints of the
 * relations and the source records the exported items cite.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "formats.h"
#include "query.h"
#include "value.h"

static const char help[] =
    "Usage: tiegraph export [--db PATH | --in FILE...] [--query TEXT] [--param NAME=VALUE]...\n"
    "                       --to FORMAT OUT\n"
    "\n"
    "Writes the whole store, or only what a query returns, to OUT in FORMAT:\n"
    "%s"
    "\n"
    "Sources (the evidence) survive every format. OUT is written whole or not at\n"
    "all (a temporary file renamed at the end), and never over a store.\n"
    "\n"
    "Options:\n"
    "  --db PATH            the store (default $TIEGRAPH_DB, else ./tiegraph.db)\n"
    "  --in FILE...         export data files instead of a store (any readable format)\n"
    "  --query TEXT         export the nodes, relations and paths this statement\n"
    "                       returns (with their endpoints), not the whole store\n"
    "  --param NAME=VALUE   set $NAME for --query (as `tiegraph query --param`)\n"
    "  --to FORMAT          the output format (required)\n"
    "  --array-delimiter C  csv: the list delimiter (default: ';', or one that no\n"
    "                       value contains)\n"
    "  --batch N            cypher: rows per UNWIND statement (default 1000)\n"
    "  -q, --quiet          print nothing on success\n"
    "  -h, --help           this help\n"
    "\n"
    "Examples:\n"
    "  tiegraph export --to graphml network.graphml\n"
    "  tiegraph export --to csv neo4j/          # then: neo4j-admin database import full ...\n"
    "  tiegraph export --query \"MATCH p=(:Lender {id:'exim-china'})-[*1..2]->() RETURN p\" \\\n"
    "                  --to gexf exim.gexf\n"
    "\n"
    "Exit status: 0 success, 1 the query failed, 64 usage, 65 bad input data,\n"
    "66 an input file is missing, 74 the store or OUT cannot be read or written.\n";


static void set_bit(uint64_t *b, uint32_t i)
{
    b[i >> 6] |= (uint64_t)1 << (i & 63);
}

/* Marks what value v holds. Recursion depth is the nesting of lists and maps
 * in the value. */
static void mark(uint64_t *ents, uint64_t *rels, const tg_value *v)
{
    uint32_t i;

    switch (v->kind) {
    case TG_VAL_NODE: set_bit(ents, v->u.node); break;
    case TG_VAL_REL: set_bit(rels, v->u.rel); break;
    case TG_VAL_PATH:
        for (i = 0; i <= v->u.path->len; i++)
            set_bit(ents, v->u.path->nodes[i]);
        for (i = 0; i < v->u.path->len; i++)
            set_bit(rels, v->u.path->rels[i]);
        break;
    case TG_VAL_LIST:
        for (i = 0; i < v->len; i++)
            mark(ents, rels, &v->u.items[i]);
        break;
    case TG_VAL_MAP:
        for (i = 0; i < v->len; i++)
            mark(ents, rels, &v->u.map[i].value);
        break;
    default: break;
    }
}

int tg_cmd_export(int argc, char **argv)
{
    const char *db = NULL, *to = NULL, *out = NULL, *query = NULL;
    const char **params = NULL, **in = NULL;
    size_t nparams = 0, nin = 0, i;
    int quiet = 0, rc = 0, k;
    tg_graph *g = NULL;
    tg_params *qp = NULL;
    tg_result *res = NULL;
    uint64_t *ents = NULL, *rels = NULL;
    tg_selection sel;
    tg_write_options wo;
    const tg_format *f;
    tg_error err;

    tg_error_clear(&err);
    memset(&wo, 0, sizeof wo);
    params = calloc((size_t)argc, sizeof *params);
    in = calloc((size_t)argc, sizeof *in);
    if (!params || !in) {
        rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        goto done;
    }
    for (k = 1; k < argc; k++) {
        const char *a = argv[k];
        const char *val = k + 1 < argc ? argv[k + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            char *h = tg_cli_format_help(help, 1);
            fputs(h ? h : "", stdout);
            free(h);
            goto done;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "--in")) {
            while (k + 1 < argc && argv[k + 1][0] != '-')
                in[nin++] = argv[++k];
            if (!nin) {
                rc = tg_cli_usage("export", "--in needs at least one file");
                goto done;
            }
        } else if (!strcmp(a, "--db") || !strcmp(a, "--to") || !strcmp(a, "--query") ||
                   !strcmp(a, "--param") || !strcmp(a, "--array-delimiter") ||
                   !strcmp(a, "--batch")) {
            if (!val) {
                rc = tg_cli_usage("export", "%s needs a value", a);
                goto done;
            }
            k++;
            if (!strcmp(a, "--db")) {
                db = val;
            } else if (!strcmp(a, "--to")) {
                to = val;
            } else if (!strcmp(a, "--query")) {
                query = val;
            } else if (!strcmp(a, "--param")) {
                if (!strchr(val, '=') || val[0] == '=') {
                    rc = tg_cli_usage("export", "--param expects NAME=VALUE, got '%s'", val);
                    goto done;
                }
                params[nparams++] = val;
            } else if (!strcmp(a, "--array-delimiter")) {
                if (strlen(val) != 1 || val[0] == '"' || val[0] == '\n') {
                    rc = tg_cli_usage("export", "--array-delimiter expects one character");
                    goto done;
                }
                wo.array_delimiter = val[0];
            } else {
                char *end;
                errno = 0;
                wo.batch = (size_t)strtoul(val, &end, 10);
                if (*end || errno || wo.batch == 0 || val[0] == '-') {
                    rc = tg_cli_usage("export", "--batch expects a positive integer, got '%s'",
                                      val);
                    goto done;
                }
            }
        } else if (a[0] == '-' && a[1]) {
            rc = tg_cli_usage("export", "unknown option '%s'", a);
            goto done;
        } else if (!out) {
            out = a;
        } else {
            rc = tg_cli_usage("export", "one output at a time; '%s' is a second one", a);
            goto done;
        }
    }
    if (!to) {
        rc = tg_cli_usage("export", "no format; expected --to FORMAT (one of %s)",
                          tg_format_names(1));
        goto done;
    }
    f = tg_format_find(to);
    if (!f || !f->write) {
        rc = tg_cli_usage("export", "cannot export to '%s'; expected one of %s", to,
                          tg_format_names(1));
        goto done;
    }
    if (!out) {
        rc = tg_cli_usage("export", "no output; expected tiegraph export --to %s OUT", to);
        goto done;
    }
    if (nparams && !query) {
        rc = tg_cli_usage("export", "--param is for --query");
        goto done;
    }
    if (nin && db) {
        rc = tg_cli_usage("export", "--in and --db exclude each other");
        goto done;
    }
    if (nin)
        rc = tg_cli_load_files(in, nin, &g);
    else
        rc = tg_cli_load_store(tg_cli_db_path(db), &g);
    if (rc != 0)
        goto done;
    if (query) {
        size_t nr, nc, j;
        if (!(qp = tg_params_new())) {
            rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
            goto done;
        }
        for (i = 0; i < nparams; i++) {
            const char *eq = strchr(params[i], '=');
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)(eq - params[i]), params[i]);
            if (tg_params_set_text(qp, name, eq + 1, &err) != TG_OK) {
                rc = tg_cli_fail(&err);
                goto done;
            }
        }
        if (tg_query_run(g, query, strlen(query), qp, NULL, &res, &err) != TG_OK) {
            snprintf(err.file, sizeof err.file, "--query");
            rc = tg_cli_fail(&err);
            goto done;
        }
        ents = calloc(tg_graph_entity_count(g) / 64 + 1, sizeof *ents);
        rels = calloc(tg_graph_relation_count(g) / 64 + 1, sizeof *rels);
        if (!ents || !rels) {
            rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
            goto done;
        }
        nr = tg_result_row_count(res);
        nc = tg_result_column_count(res);
        for (i = 0; i < nr; i++)
            for (j = 0; j < nc; j++) {
                const tg_value *v = tg_result_value(res, i, j);
                if (v)
                    mark(ents, rels, v);
            }
        sel.ents = ents;
        sel.rels = rels;
        wo.sel = &sel;
    }
    if (f->write(g, out, &wo, &err) != TG_OK) {
        rc = tg_cli_fail(&err);
        goto done;
    }
    if (!quiet) {
        /* count what was written, as the writers resolve it */
        size_t ne = 0, nrel = 0;
        if (!wo.sel) {
            ne = tg_graph_live_entity_count(g);
            nrel = tg_graph_live_relation_count(g);
        } else {
            for (i = 0; i < tg_graph_relation_count(g); i++)
                if (((rels[i >> 6] >> (i & 63)) & 1) && tg_graph_relation_is_live(g, (tg_rel)i)) {
                    nrel++;
                    set_bit(ents, tg_graph_rel_from(g, (tg_rel)i));
                    set_bit(ents, tg_graph_rel_to(g, (tg_rel)i));
                }
            for (i = 0; i < tg_graph_entity_count(g); i++)
                ne += ((ents[i >> 6] >> (i & 63)) & 1) && tg_graph_entity_is_live(g, (tg_ent)i);
        }
        printf("%s: %zu %s, %zu %s (%s)\n", out, ne, ne == 1 ? "entity" : "entities", nrel,
               nrel == 1 ? "relation" : "relations", f->name);
    }
done:
    tg_result_free(res);
    tg_params_free(qp);
    tg_graph_free(g);
    free(ents);
    free(rels);
    free(params);
    free(in);
    return rc;
}
