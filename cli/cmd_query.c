/* cmd_query.c — `tiegraph query`: run a query or a script of them.
 *
 * The graph comes from the store (--db, $TIEGRAPH_DB, ./tiegraph.db), from
 * files read into memory (--in FILE...), or is empty (--db :memory:). The
 * script (a file, `-` for standard input, or -e TEXT) runs through the
 * runner (runner.h); each statement's result is written by output.h, to
 * standard output, to one file (-o FILE), or to one file per statement (-o
 * DIR/). The last statement's result can be drawn (--svg, --png, --pdf,
 * --dot). A statement that changes the graph is saved to the store, when
 * there is one, in one transaction per statement.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "output.h"
#include "query.h"
#include "temporal.h"
#include "render.h"
#include "runner.h"

static const char help[] =
    "Usage: tiegraph query [--db PATH | --in FILE...] (-e TEXT | SCRIPT | -) [OPTIONS]\n"
    "\n"
    "Runs an openCypher-like query, or a script of them, over the store or over\n"
    "files read into memory. A script holds statements separated by ';', //\n"
    "comments, `:param name => value` lines and `:render PATH key=value ...` lines.\n"
    "SCRIPT `-` reads the script from standard input. See docs/query-language.md.\n"
    "\n"
    "Graph:\n"
    "  --db PATH            the store (default $TIEGRAPH_DB, else ./tiegraph.db);\n"
    "                       `--db :memory:` is an empty graph\n"
    "  --in FILE...         query these tiegraph/1 files without a store: the first\n"
    "                       argument after --in and the .json/.jsonl/.ndjson files\n"
    "                       that follow it; --in may be repeated\n"
    "Query:\n"
    "  -e, --execute TEXT   the query text (instead of a SCRIPT file)\n"
    "  --param NAME=VALUE   set $NAME; VALUE is read as a literal when it is one\n"
    "                       (42, 1.5, 'text', [1, 2], {a: 1}, true, null), otherwise\n"
    "                       as a plain string; may be repeated\n"
    "  --timeout SECONDS    stop a statement, or the drawing of a figure, that runs\n"
    "                       longer (exit 1)\n"
    "  --max-expansions N   stop a statement that expands more relations (exit 1);\n"
    "                       default 100000000\n"
    "  --now ISO            fix the clock of date(), datetime(), localtime(), ...:\n"
    "                       an ISO 8601 date or date-time (2019-04-18,\n"
    "                       2019-04-18T09:30+08:00), so that a script's output can\n"
    "                       be reproduced; default the system clock\n"
    "Output:\n"
    "  --format FORMAT      table (default), csv, tsv, json or markdown\n"
    "  -o, --output OUT     write the results to the file OUT; when OUT ends in '/'\n"
    "                       (or is a folder), one file per statement in it:\n"
    "                       OUT/SCRIPT-01.csv, OUT/SCRIPT-02.csv, ...\n"
    "  --wide               tables show every cell whole (on a terminal, wide cells\n"
    "                       are otherwise cut with an ellipsis to fit its width)\n"
    "  --width N            fit tables to N columns\n"
    "  --timing             report load, planning and execution times on stderr\n"
    "Diagrams (docs/diagrams.md):\n"
    "  --svg OUT, --png OUT, --pdf OUT\n"
    "                       draw the LAST statement's result in that format\n"
    "  --dot OUT            write the LAST statement's result as graphviz DOT to OUT\n"
    "  --allow-write DIR    let :render write inside DIR too (may be repeated)\n"
    "  --render-dir DIR     :render paths are relative to DIR (default: the\n"
    "                       script's folder), and may be written inside it\n"
    "  In a script, `:render PATH key=value ...` on its own line draws the NEXT\n"
    "  statement's result to PATH (.svg, .png, .pdf or .dot). Keys: layout (auto,\n"
    "  dot, neato, fdp, sfdp, circo, twopi, osage), title, cluster (a property, e.g.\n"
    "  country), rankdir (TB, LR, BT, RL), page (a4, letter, column, or a size such\n"
    "  as 17cm), dpi, root (an entity id for twopi/circo), reverse=true, rank=by-label,\n"
    "  highlight (columns to mark), theme (a theme file), legend=false,\n"
    "  footnotes=false, force=true (past the measured limits).\n"
    "  -h, --help           this help\n"
    "\n"
    "--format json prints one object per statement, one per line:\n"
    "  {\"columns\": [...], \"rows\": [[...], ...]}\n"
    "Errors: `tiegraph: SCRIPT:LINE:COL: error: ...`, the line, and a caret.\n"
    "Exit status: 0 success, 1 a query failed, 64 usage, 65 bad input data,\n"
    "66 a file is missing, 74 the store cannot be read or written.\n";

typedef struct options {
    const char *db;
    const char **in;
    size_t nin;
    const char *text;    /* -e */
    const char *script;  /* SCRIPT path, "-" for stdin */
    const char **params; /* NAME=VALUE */
    size_t nparams;
    tg_out_format format;
    const char *output;
    double timeout;
    unsigned long long max_expansions;
    int timing, wide;
    size_t width;
    const char *fig[4]; /* --svg, --png, --pdf, --dot */
    const char **allow;
    size_t nallow;
    const char *render_dir;
    const char *now; /* --now */
} options;

static const char *const fig_options[] = {"--svg", "--png", "--pdf", "--dot"};
static const char *const fig_formats[] = {"svg", "png", "pdf", "dot"};

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static int takes_value(const char *a)
{
    static const char *const with_value[] = {
        "--db",     "-e",        "--execute",        "--param",      "--format", "-o",
        "--output", "--timeout", "--max-expansions", "--svg",        "--png",    "--pdf",
        "--dot",    "--width",   "--allow-write",    "--render-dir", "--now"};
    size_t i;

    for (i = 0; i < sizeof with_value / sizeof with_value[0]; i++)
        if (!strcmp(a, with_value[i]))
            return 1;
    return 0;
}

static int parse_args(int argc, char **argv, options *o)
{
    int i;
    size_t k;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            return -1;
        } else if (!strcmp(a, "--in")) {
            /* The data files that follow; a script after them is not one. */
            size_t before = o->nin;
            while (i + 1 < argc && argv[i + 1][0] != '-' &&
                   (o->nin == before || tg_cli_is_data_file(argv[i + 1])))
                o->in[o->nin++] = argv[++i];
            if (o->nin == before)
                return tg_cli_usage("query", "--in needs at least one file");
        } else if (!strcmp(a, "--timing")) {
            o->timing = 1;
        } else if (!strcmp(a, "--wide")) {
            o->wide = 1;
        } else if (takes_value(a)) {
            if (!val)
                return tg_cli_usage("query", "%s needs a value", a);
            i++;
            for (k = 0; k < 4 && strcmp(a, fig_options[k]); k++)
                ;
            if (k < 4) {
                o->fig[k] = val;
            } else if (!strcmp(a, "--db")) {
                o->db = val;
            } else if (!strcmp(a, "-e") || !strcmp(a, "--execute")) {
                o->text = val;
            } else if (!strcmp(a, "--param")) {
                if (!strchr(val, '=') || val[0] == '=')
                    return tg_cli_usage("query", "--param expects NAME=VALUE, got '%s'", val);
                o->params[o->nparams++] = val;
            } else if (!strcmp(a, "--format")) {
                if (tg_out_format_parse(val, &o->format) != 0)
                    return tg_cli_usage(
                        "query", "unknown format '%s'; expected table, csv, tsv, json or markdown",
                        val);
            } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
                o->output = val;
            } else if (!strcmp(a, "--allow-write")) {
                o->allow[o->nallow++] = val;
            } else if (!strcmp(a, "--render-dir")) {
                o->render_dir = val;
            } else if (!strcmp(a, "--now")) {
                tg_temporal t;
                tg_error e;
                if (tg_time_parse(val, strlen(val), TG_V_DATETIME, &t, &e) != TG_OK)
                    return tg_cli_usage("query", "--now expects an ISO 8601 date or date-time: %s",
                                        e.message);
                o->now = val;
            } else if (!strcmp(a, "--width")) {
                char *end;
                unsigned long w = strtoul(val, &end, 10);
                if (*end || w < 20 || w > 10000 || val[0] == '-')
                    return tg_cli_usage("query", "--width expects 20 to 10000 columns, got '%s'",
                                        val);
                o->width = w;
            } else if (!strcmp(a, "--timeout")) {
                char *end;
                errno = 0;
                o->timeout = strtod(val, &end);
                if (*end || errno || o->timeout <= 0)
                    return tg_cli_usage(
                        "query", "--timeout expects a positive number of seconds, got '%s'", val);
            } else {
                char *end;
                errno = 0;
                o->max_expansions = strtoull(val, &end, 10);
                if (*end || errno || o->max_expansions == 0 || val[0] == '-')
                    return tg_cli_usage(
                        "query", "--max-expansions expects a positive integer, got '%s'", val);
            }
        } else if (a[0] == '-' && a[1]) {
            return tg_cli_usage("query", "unknown option '%s'", a);
        } else if (!o->script) {
            o->script = a;
        } else {
            return tg_cli_usage("query", "one script at a time; '%s' is a second one", a);
        }
    }
    if (!o->text == !o->script)
        return tg_cli_usage("query", o->text ? "give -e TEXT or a SCRIPT, not both"
                                             : "no query; expected -e TEXT or a SCRIPT file");
    if (o->nin && o->db)
        return tg_cli_usage("query", "--in and --db exclude each other");
    return 0;
}

/* ---- where results go ------------------------------------------------------ */

typedef struct sink {
    const options *o;
    tg_out_options out;
    FILE *f;         /* stdout or -o FILE; NULL with a folder */
    const char *dir; /* -o DIR/ */
    char base[256];  /* the script's name without folder and extension */
    size_t files;
} sink;

static int emit(void *ctx, const tg_script_item *it, size_t index, const tg_result *res,
                const tg_render_request *fig)
{
    sink *s = ctx;
    tg_error err;

    (void)it;
    (void)fig;
    if (s->dir) {
        char path[4096];
        FILE *f;
        if (!tg_result_column_count(res) && s->out.format != TG_OUT_TABLE)
            return 0; /* nothing to write for an update without RETURN */
        snprintf(path, sizeof path, "%s%s%s-%02zu.%s", s->dir, ends_with(s->dir, "/") ? "" : "/",
                 s->base, index + 1, tg_out_extension(s->out.format));
        if (!(f = fopen(path, "w"))) {
            tg_error_set(&err, TG_EIO, path, 0, 0, "cannot write the output: %s", strerror(errno));
            return tg_cli_fail(&err);
        }
        tg_out_write_result(f, res, &s->out, 0);
        if (s->out.format == TG_OUT_TABLE)
            tg_out_write_effects(f, res);
        if (fclose(f) != 0) {
            tg_error_set(&err, TG_EIO, path, 0, 0, "cannot write the output");
            return tg_cli_fail(&err);
        }
        s->files++;
        return 0;
    }
    if (index == 1 && (s->out.format == TG_OUT_CSV || s->out.format == TG_OUT_TSV))
        fprintf(stderr,
                "tiegraph: warning: several results in one %s stream; write one file "
                "per statement with -o DIR/\n",
                s->out.format == TG_OUT_CSV ? "CSV" : "TSV");
    tg_out_write_result(s->f, res, &s->out, index);
    if (s->out.format == TG_OUT_TABLE)
        tg_out_write_effects(s->f, res);
    return 0;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int tg_cmd_query(int argc, char **argv)
{
    options o;
    char *text = NULL;
    size_t len = 0, i;
    const char *name, *db = NULL;
    tg_graph *g = NULL;
    tg_runner *run = NULL;
    tg_runner_options ro;
    char script_dir[4096];
    sink sk;
    tg_error err;
    int rc;
    double t0 = now();

    memset(&o, 0, sizeof o);
    memset(&sk, 0, sizeof sk);
    tg_error_clear(&err);
    o.in = calloc((size_t)argc, sizeof *o.in);
    o.params = calloc((size_t)argc, sizeof *o.params);
    o.allow = calloc((size_t)argc, sizeof *o.allow);
    sk.f = stdout;
    if (!o.in || !o.params || !o.allow) {
        rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        goto done;
    }
    rc = parse_args(argc, argv, &o);
    if (rc != 0) {
        rc = rc < 0 ? 0 : rc;
        goto done;
    }
    if (o.script) {
        if (tg_cli_read_file(o.script, &text, &len) != 0) {
            tg_error_set(&err, TG_ENOENT, strcmp(o.script, "-") ? o.script : "<stdin>", 0, 0,
                         "cannot read the script: %s", strerror(errno));
            rc = tg_cli_fail(&err);
            goto done;
        }
        name = strcmp(o.script, "-") ? o.script : "<stdin>";
    } else {
        len = strlen(o.text);
        text = malloc(len + 1);
        if (!text) {
            rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
            goto done;
        }
        memcpy(text, o.text, len + 1);
        name = "<query>";
    }
    /* figures named on the command line: the format and the extension agree */
    for (i = 0; i < 4; i++) {
        tg_render_request probe;
        if (o.fig[i] && tg_render_from_option(fig_options[i], fig_formats[i], o.fig[i], &probe,
                                              &err) != TG_OK) {
            rc = tg_cli_usage("query", "%s", err.message);
            goto done;
        }
    }
    sk.o = &o;
    sk.out.format = o.format;
    sk.out.width = o.wide ? 0 : o.width ? o.width : tg_out_terminal_width(stdout);
    sk.out.terminal = tg_out_terminal_width(stdout) > 0;
    if (o.output && (ends_with(o.output, "/") || is_dir(o.output))) {
        const char *b = o.script && strcmp(o.script, "-") ? o.script : "query";
        const char *slash = strrchr(b, '/'), *dot;
        b = slash ? slash + 1 : b;
        dot = strrchr(b, '.');
        snprintf(sk.base, sizeof sk.base, "%.*s",
                 (int)(dot && dot != b ? dot - b : (long)strlen(b)), b);
        if (!is_dir(o.output)) {
            tg_error_set(&err, TG_EIO, o.output, 0, 0, "cannot write the output: no such folder");
            rc = tg_cli_fail(&err);
            goto done;
        }
        sk.dir = o.output;
        sk.f = NULL;
        sk.out.width = o.width;
        sk.out.terminal = 0;
    } else if (o.output && (o.format == TG_OUT_CSV || o.format == TG_OUT_TSV)) {
        long n = tg_runner_count_statements(text, len);
        if (n > 1) {
            rc = tg_cli_usage("query",
                              "%ld statements would make one invalid %s stream; write one file "
                              "per statement with -o DIR/",
                              n, o.format == TG_OUT_CSV ? "CSV" : "TSV");
            goto done;
        }
    }
    if ((rc = tg_cli_open_graph(o.db, o.in, o.nin, &g, &db)) != 0)
        goto done;
    if (o.timing)
        fprintf(stderr, "tiegraph: load %.3f s (%zu entities, %zu relations)\n", now() - t0,
                tg_graph_entity_count(g), tg_graph_relation_count(g));
    if (o.output && !sk.dir) {
        if (!(sk.f = fopen(o.output, "w"))) {
            tg_error_set(&err, TG_EIO, o.output, 0, 0, "cannot write the output: %s",
                         strerror(errno));
            rc = tg_cli_fail(&err);
            sk.f = stdout;
            goto done;
        }
        sk.out.width = o.width;
        sk.out.terminal = 0;
    }
    memset(&ro, 0, sizeof ro);
    ro.timeout = o.timeout;
    ro.max_expansions = o.max_expansions;
    ro.timing = o.timing;
    ro.now = o.now;
    if (o.script && strcmp(o.script, "-")) {
        tg_render_dirname(o.script, script_dir, sizeof script_dir);
        ro.policy.base = script_dir;
        ro.base_dir = script_dir; /* LOAD CSV's relative paths */
    }
    if (o.render_dir)
        ro.policy.base = o.render_dir;
    ro.policy.allow = o.allow;
    ro.policy.nallow = o.nallow;
    if (!(run = tg_runner_new(g, db, &ro))) {
        rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        goto done;
    }
    for (i = 0; i < o.nparams; i++) {
        const char *eq = strchr(o.params[i], '=');
        char pname[256];
        snprintf(pname, sizeof pname, "%.*s", (int)(eq - o.params[i]), o.params[i]);
        if (tg_params_set_text(tg_runner_params(run), pname, eq + 1, &err) != TG_OK) {
            rc = tg_cli_fail(&err);
            goto done;
        }
    }
    if ((rc = tg_runner_run(run, text, len, name, emit, &sk)) != 0)
        goto done;
    for (i = 0; i < 4; i++) {
        tg_render_request req;
        const tg_result *last = tg_runner_last(run);
        if (!o.fig[i])
            continue;
        if (!last) {
            tg_error_set(&err, TG_ESEMANTIC, name, 0, 0,
                         "%s: the script has no statement whose result to draw", fig_options[i]);
            rc = tg_cli_fail(&err);
            goto done;
        }
        if (!tg_render_result_is_drawable(last)) {
            fprintf(stderr,
                    "tiegraph: warning: %s: the last statement's result holds no node, relation "
                    "or path to draw; %s was not written\n",
                    fig_options[i], o.fig[i]);
            continue;
        }
        tg_render_from_option(fig_options[i], fig_formats[i], o.fig[i], &req, &err);
        req.opts.timeout = o.timeout;
        if (tg_render_result(last, &req, name, &err) != TG_OK) {
            rc = tg_cli_fail(&err);
            goto done;
        }
    }
done:
    if (sk.f && sk.f != stdout && fclose(sk.f) != 0 && rc == 0) {
        tg_error_set(&err, TG_EIO, o.output, 0, 0, "cannot write the output");
        rc = tg_cli_fail(&err);
    }
    tg_runner_free(run);
    tg_graph_free(g);
    free(text);
    free(o.in);
    free(o.params);
    free(o.allow);
    return rc;
}
