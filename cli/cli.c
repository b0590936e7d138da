/* cli.c — shared helpers of the subcommands (see cli.h). */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
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
