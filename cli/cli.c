/* cli.c — shared helpers of the subcommands (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

int tg_cli_fail(const tg_error *err)
{
    fputs("tiegraph: ", stderr);
    if (err->file[0]) {
        fputs(err->file, stderr);
        if (err->line > 0) {
            fprintf(stderr, ":%ld", err->line);
            if (err->column > 0)
                fprintf(stderr, ":%ld", err->column);
        }
        fputs(": ", stderr);
    }
    fprintf(stderr, "error: %s\n", err->message[0] ? err->message : tg_status_name(err->status));
    return tg_status_exit_code(err->status);
}

int tg_cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fputs("tiegraph: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'tiegraph %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return TG_EXIT_USAGE;
}

const char *tg_cli_db_path(const char *opt)
{
    const char *env = getenv("TIEGRAPH_DB");

    if (opt)
        return opt;
    if (env && *env)
        return env;
    return "tiegraph.db";
}

int tg_cli_progress(void)
{
    return isatty(STDERR_FILENO);
}

void tg_cli_json_string(FILE *f, const char *s, size_t len)
{
    size_t i;

    fputc('"', f);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '<': fputs("\\u003c", f); break; /* safe to paste into HTML */
        default:
            if (c < 0x20)
                fprintf(f, "\\u%04x", c);
            else
                fputc(c, f);
        }
    }
    fputc('"', f);
}

int tg_cli_load_store(const char *path, tg_graph **out)
{
    tg_error err;
    tg_store *s = NULL;
    tg_status st;

    tg_error_clear(&err);
    *out = NULL;
    st = tg_store_open(path, TG_STORE_READ, &s, &err);
    if (st == TG_OK)
        st = tg_store_load(s, out, &err);
    tg_store_close(s);
    if (st != TG_OK) {
        if (st == TG_EDATA) /* a damaged store is a store error, not bad input */
            err.status = TG_EIO;
        return tg_cli_fail(&err);
    }
    return 0;
}

int tg_cli_store_option(int argc, char **argv, int *i, const char *cmd, int *rc)
{
    const char *a = argv[*i], *val = NULL;
    char *end;
    double secs;

    *rc = 0;
    if (!strcmp(a, "--busy-timeout")) {
        if (*i + 1 >= argc) {
            *rc = tg_cli_usage(cmd, "--busy-timeout needs a value");
            return 1;
        }
        val = argv[++*i];
    } else if (!strncmp(a, "--busy-timeout=", 15)) {
        val = a + 15;
    } else {
        return 0;
    }
    errno = 0;
    secs = strtod(val, &end);
    if (end == val || *end || errno || !(secs >= 0) || secs > 86400) {
        *rc = tg_cli_usage(cmd, "--busy-timeout expects seconds from 0 to 86400, got '%s'", val);
        return 1;
    }
    tg_store_set_busy_timeout((int)(secs * 1000 + 0.5));
    return 1;
}

int tg_cli_graph_failed(const tg_graph *g)
{
    tg_error err;

    tg_error_clear(&err);
    if (!g || tg_graph_status(g, &err) == TG_OK)
        return 0;
    if (err.status == TG_EDATA) /* a damaged store is a store error */
        err.status = TG_EIO;
    return tg_cli_fail(&err);
}

int tg_cli_same_file(const char *a, const char *b)
{
    struct stat x, y;

    return a && b && stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev &&
           x.st_ino == y.st_ino;
}
