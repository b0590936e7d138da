/* cmd_shell.c — `tiegraph shell`: an interactive session over a graph.
 *
 * Line editing, history and completion come from libedit (its readline
 * interface). A statement may span lines and runs when a line ends it with
 * ';' (outside strings and comments); a line starting with ':' is a client
 * command and runs at once. Statements and the :param / :render directives
 * go through the same runner as `tiegraph query` (runner.h), so a shell
 * session and a script behave alike. Completion offers labels, relation
 * types and property keys of the graph (refreshed after every statement),
 * functions, procedures, keywords and the client commands.
 *
 * When standard input is not a terminal the shell reads lines without
 * prompts or editing, so that `tiegraph shell < script` works too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <editline/readline.h>

#include "cli.h"
#include "expr.h"
#include "output.h"
#include "procedures.h"
#include "query.h"
#include "render.h"
#include "runner.h"

static const char help[] =
    "Usage: tiegraph shell [--db PATH | --in FILE...] [--format FORMAT]\n"
    "\n"
    "An interactive session: type statements ending with ';' (they may span\n"
    "lines), or client commands:\n"
    "  :help                 these commands\n"
    "  :param NAME => VALUE  set $NAME (a literal, else a plain string)\n"
    "  :params               the parameters set so far\n"
    "  :format FORMAT        table, csv, tsv, json or markdown\n"
    "  :render PATH k=v ...  draw the next statement's result (docs/diagrams.md)\n"
    "  :source FILE          run a script file\n"
    "  :quit                 leave (so does Ctrl-D)\n"
    "Tab completes labels, relation types, property keys, functions,\n"
    "procedures, keywords and commands. History is kept in $TIEGRAPH_HISTORY,\n"
    "else ~/.tiegraph_history. Changes are saved to the store (--db) as in\n"
    "`tiegraph query`.\n";

/* ---- completion ---------------------------------------------------------------- */

static char **words;
static size_t nwords, capwords;

static void add_word(const char *w, size_t n)
{
    size_t i;

    if (!n)
        return;
    for (i = 0; i < nwords; i++)
        if (strlen(words[i]) == n && !memcmp(words[i], w, n))
            return;
    if (nwords == capwords) {
        char **nw = realloc(words, (capwords = capwords ? 2 * capwords : 256) * sizeof *nw);
        if (!nw)
            return;
        words = nw;
    }
    if ((words[nwords] = strndup(w, n)) != NULL)
        nwords++;
}

static void free_words(void)
{
    size_t i;

    for (i = 0; i < nwords; i++)
        free(words[i]);
    free(words);
    words = NULL;
    nwords = capwords = 0;
}

static void add_syms(tg_graph *g, const tg_sym *syms, size_t n)
{
    size_t i, len;

    for (i = 0; i < n; i++) {
        const char *s = tg_graph_str(g, syms[i], &len);
        add_word(s, len);
    }
}

/* The words Tab offers: the graph's names, then the language's. */
static void load_words(tg_graph *g)
{
    static const char *const keywords[] = {"MATCH",        "OPTIONAL",
                                           "WHERE",        "RETURN",
                                           "WITH",         "UNWIND",
                                           "ORDER",        "BY",
                                           "LIMIT",        "SKIP",
                                           "CALL",         "YIELD",
                                           "CREATE",       "MERGE",
                                           "SET",          "DELETE",
                                           "DETACH",       "REMOVE",
                                           "AS",           "AND",
                                           "OR",           "NOT",
                                           "IN",           "IS",
                                           "NULL",         "DISTINCT",
                                           "UNION",        "ASC",
                                           "DESC",         "CASE",
                                           "WHEN",         "THEN",
                                           "ELSE",         "END",
                                           "true",         "false",
                                           "shortestPath", "allShortestPaths"};
    static const char *const commands[] = {":help",   ":param",  ":params", ":format",
                                           ":render", ":source", ":quit"};
    const tg_sym *syms;
    size_t i, n;
    const char *name;

    free_words();
    n = tg_graph_all_labels(g, &syms);
    add_syms(g, syms, n);
    n = tg_graph_all_types(g, &syms);
    add_syms(g, syms, n);
    n = tg_graph_prop_keys(g, TG_ENTITY, &syms);
    add_syms(g, syms, n);
    n = tg_graph_prop_keys(g, TG_RELATION, &syms);
    add_syms(g, syms, n);
    for (i = 0; (name = tg_func_name(i)) != NULL; i++)
        add_word(name, strlen(name));
    for (i = 0; (name = tg_proc_name(i)) != NULL; i++)
        add_word(name, strlen(name));
    for (i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        add_word(keywords[i], strlen(keywords[i]));
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        add_word(commands[i], strlen(commands[i]));
}

static int completing_command; /* the word follows a ':' at the start of the line */

static char *complete_word(const char *text, int state)
{
    static size_t next;
    size_t n = strlen(text);

    if (state == 0)
        next = 0;
    while (next < nwords) {
        const char *w = words[next++];
        if (completing_command != (w[0] == ':'))
            continue;
        if (completing_command)
            w++; /* the ':' is already on the line */
        if (!strncasecmp(w, text, n))
            return strdup(w);
    }
    return NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    completing_command = start == 1 && rl_line_buffer[0] == ':';
    rl_attempted_completion_over = 1; /* no file names */
    rl_completion_append_character = '\0';
    return rl_completion_matches(text, complete_word);
}

/* ---- the session ------------------------------------------------------------------ */

typedef struct shell {
    tg_runner *run;
    tg_out_options out;
    int interactive;
    char **params; /* NAME => VALUE lines set, for :params */
    size_t nparams;
} shell;

static int emit(void *ctx, const tg_script_item *it, size_t index, const tg_result *res,
                const tg_render_request *fig)
{
    shell *sh = ctx;

    (void)it;
    (void)index;
    tg_out_write_result(stdout, res, &sh->out, 0);
    if (sh->out.format == TG_OUT_TABLE)
        tg_out_write_effects(stdout, res);
    if (fig)
        printf("(drew %s)\n", fig->path);
    fflush(stdout);
    return 0;
}

/* Whether text ends a statement: a ';' outside strings, backquotes and
 * comments, followed only by blanks and comments. */
static int statement_complete(const char *text)
{
    const char *p = text;
    char q = 0;
    int ended = 0;

    while (*p) {
        if (q) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == q)
                q = 0;
            p++;
            continue;
        }
        if (*p == '\'' || *p == '"' || *p == '`') {
            q = *p++;
            ended = 0;
            continue;
        }
        if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            if (!e)
                return 0;
            p = e + 2;
            continue;
        }
        if (*p == ';')
            ended = 1;
        else if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            ended = 0;
        p++;
    }
    return ended && !q;
}

static char *trim(char *s)
{
    size_t n;

    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static void run_text(shell *sh, const char *text, const char *name)
{
    tg_runner_run(sh->run, text, strlen(text), name, emit, sh);
    fflush(stdout);
}

/* A line starting with ':'. Returns 1 to leave the shell. */
static int command(shell *sh, tg_graph *g, char *line)
{
    char *arg = line + strcspn(line, " \t");
    size_t i;

    if (*arg)
        *arg++ = '\0';
    arg = trim(arg);
    if (!strcmp(line, ":quit") || !strcmp(line, ":exit") || !strcmp(line, ":q"))
        return 1;
    if (!strcmp(line, ":help")) {
        fputs(help +
                  strlen("Usage: tiegraph shell [--db PATH | --in FILE...] [--format FORMAT]\n\n"),
              stdout);
    } else if (!strcmp(line, ":params")) {
        if (!sh->nparams)
            puts("(no parameters)");
        for (i = 0; i < sh->nparams; i++)
            puts(sh->params[i]);
    } else if (!strcmp(line, ":format")) {
        if (tg_out_format_parse(arg, &sh->out.format) != 0)
            fprintf(stderr,
                    "tiegraph: error: unknown format '%s'; expected table, csv, tsv, "
                    "json or markdown\n",
                    arg);
    } else if (!strcmp(line, ":param") || !strcmp(line, ":render")) {
        char *text = malloc(strlen(line) + strlen(arg) + 3);
        if (!text)
            return 0;
        sprintf(text, "%s %s\n", line, arg);
        if (tg_runner_run(sh->run, text, strlen(text), "<shell>", emit, sh) == 0 &&
            line[1] == 'p') {
            char **np = realloc(sh->params, (sh->nparams + 1) * sizeof *np);
            if (np) {
                sh->params = np;
                sh->params[sh->nparams] = strdup(arg);
                if (sh->params[sh->nparams])
                    sh->nparams++;
            }
        }
        free(text);
    } else if (!strcmp(line, ":source")) {
        char *text = NULL;
        size_t len = 0;
        if (tg_cli_read_file(arg, &text, &len) != 0) {
            fprintf(stderr, "tiegraph: %s: error: cannot read the script: %s\n", arg,
                    strerror(errno));
        } else {
            tg_runner_run(sh->run, text, len, arg, emit, sh);
            free(text);
        }
        load_words(g);
    } else {
        fprintf(stderr, "tiegraph: error: unknown command '%s'; type :help\n", line);
    }
    fflush(stdout);
    return 0;
}

/* One line from the terminal (libedit) or from a pipe; NULL at the end. */
static char *read_line(const shell *sh, const char *prompt)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (sh->interactive)
        return readline(prompt);
    n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n && line[n - 1] == '\n')
        line[n - 1] = '\0';
    return line;
}

int tg_cmd_shell(int argc, char **argv)
{
    const char *db_opt = NULL, *db = NULL, *hist_env = getenv("TIEGRAPH_HISTORY");
    const char **in = calloc((size_t)argc + 1, sizeof *in);
    size_t nin = 0, len = 0, cap = 0, i;
    char *buf = NULL, hist[4096];
    tg_graph *g = NULL;
    tg_runner_options ro;
    shell sh;
    int rc = 0, a;

    memset(&sh, 0, sizeof sh);
    if (!in)
        return tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
    for (a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
            fputs(help, stdout);
            goto done;
        } else if (!strcmp(argv[a], "--db") && a + 1 < argc) {
            db_opt = argv[++a];
        } else if (!strcmp(argv[a], "--in") && a + 1 < argc) {
            while (a + 1 < argc && argv[a + 1][0] != '-')
                in[nin++] = argv[++a];
        } else if (!strcmp(argv[a], "--format") && a + 1 < argc) {
            if (tg_out_format_parse(argv[++a], &sh.out.format) != 0) {
                rc = tg_cli_usage("shell", "unknown format '%s'", argv[a]);
                goto done;
            }
        } else {
            rc = tg_cli_usage("shell", "unknown argument '%s'", argv[a]);
            goto done;
        }
    }
    if (nin && db_opt) {
        rc = tg_cli_usage("shell", "--in and --db exclude each other");
        goto done;
    }
    if ((rc = tg_cli_open_graph(db_opt, in, nin, &g, &db)) != 0)
        goto done;
    memset(&ro, 0, sizeof ro);
    ro.policy.base = ".";
    ro.keep_pending = 1; /* a :render line waits for the next statement typed */
    if (!(sh.run = tg_runner_new(g, db, &ro))) {
        rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        goto done;
    }
    sh.interactive = isatty(STDIN_FILENO);
    sh.out.width = tg_out_terminal_width(stdout);
    sh.out.terminal = sh.out.width > 0;
    load_words(g);
    if (hist_env && *hist_env)
        snprintf(hist, sizeof hist, "%s", hist_env);
    else
        snprintf(hist, sizeof hist, "%s/.tiegraph_history", getenv("HOME") ? getenv("HOME") : ".");
    if (sh.interactive) {
        rl_readline_name = "tiegraph";
        rl_attempted_completion_function = complete;
        /* libedit reads the basic set; ':' and '.' break words so that
         * (n:Lend and n.na complete the label and the key */
        rl_basic_word_break_characters = (char *)" \t\n\"'`@$><=;|&{(,.:[";
        rl_completer_word_break_characters = (char *)rl_basic_word_break_characters;
        using_history();
        stifle_history(1000);
        read_history(hist);
        printf("tiegraph shell — %zu entities, %zu relations. End statements with ';', "
               ":help for commands.\n",
               tg_graph_entity_count(g), tg_graph_relation_count(g));
    }
    for (;;) {
        char *line = read_line(&sh, len ? "      ...> " : "tiegraph> "), *t;
        if (!line) {
            if (sh.interactive)
                putchar('\n');
            break;
        }
        t = trim(line);
        if (!len && t[0] == ':') {
            int quit;
            if (sh.interactive && *t)
                add_history(t);
            quit = command(&sh, g, t);
            free(line);
            if (quit)
                break;
            continue;
        }
        if (!len && !*t) {
            free(line);
            continue;
        }
        if (len + strlen(line) + 2 > cap) {
            char *nb = realloc(buf, cap = (len + strlen(line) + 2) * 2);
            if (!nb) {
                free(line);
                rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
                goto done;
            }
            buf = nb;
        }
        memcpy(buf + len, line, strlen(line));
        len += strlen(line);
        buf[len++] = '\n';
        buf[len] = '\0';
        free(line);
        if (statement_complete(buf)) {
            if (sh.interactive) {
                /* one history entry a statement, its lines joined */
                char *h = strdup(buf);
                if (h) {
                    for (i = 0; h[i]; i++)
                        if (h[i] == '\n')
                            h[i] = ' ';
                    add_history(trim(h));
                    free(h);
                }
            }
            run_text(&sh, buf, "<shell>");
            load_words(g);
            len = 0;
            buf[0] = '\0';
        }
    }
    if (len) /* a last statement without ';' at the end of input */
        run_text(&sh, buf, "<shell>");
    if (sh.interactive && write_history(hist) != 0)
        fprintf(stderr, "tiegraph: warning: cannot write the history to %s\n", hist);
done:
    for (i = 0; i < sh.nparams; i++)
        free(sh.params[i]);
    free(sh.params);
    free(buf);
    free_words();
    tg_runner_free(sh.run);
    tg_graph_free(g);
    free(in);
    return rc;
}
