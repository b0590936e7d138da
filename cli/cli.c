/* cli.c — shared helpers of the subcommands (see cli.h). */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "store.h"

int tg_cli_fail(const tg_error *err)
{
    const char *msg = err->message[0] ? err->message : tg_status_name(err->status);

    /* messages quote data (names, values, query text): escaped, so that no
     * control character reaches the terminal */
    fputs("tiegraph: ", stderr);
    if (err->file[0]) {
        tg_out_safe_write(stderr, err->file, strlen(err->file), 0);
        if (err->line > 0) {
            fprintf(stderr, ":%ld", err->line);
            if (err->column > 0)
                fprintf(stderr, ":%ld", err->column);
        }
        fputs(": ", stderr);
    }
    fputs("error: ", stderr);
    tg_out_safe_write(stderr, msg, strlen(msg), 0);
    fputc('\n', stderr);
    return tg_status_exit_code(err->status);
}

int tg_cli_fail_at(const tg_error *err, const char *text, size_t len)
{
    int rc = tg_cli_fail(err);
    long line = 1;
    size_t i = 0, start, end;

    if (!text || err->line <= 0)
        return rc;
    while (i < len && line < err->line)
        if (text[i++] == '\n')
            line++;
    if (line != err->line)
        return rc;
    start = i;
    for (end = start; end < len && text[end] != '\n' && text[end] != '\r'; end++)
        ;
    tg_out_safe_write(stderr, text + start, end - start, 1);
    fputc('\n', stderr);
    if (err->column > 0) {
        long c;
        /* Keep tabs so the caret lines up under a tabbed line. */
        for (c = 1; c < err->column && start + (size_t)c - 1 < end; c++)
            fputc(text[start + c - 1] == '\t' ? '\t' : ' ', stderr);
        fputs("^\n", stderr);
    }
    return rc;
}

int tg_cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    char msg[1024];

    fputs("tiegraph: error: ", stderr);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tg_out_safe_write(stderr, msg, strlen(msg), 0);
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

int tg_cli_read_file(const char *path, char **out, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (!f)
        return -1;
    for (;;) {
        size_t got;
        if (n + 65536 + 1 > cap) {
            char *nb = realloc(buf, cap = (n + 65536 + 1) * 2);
            if (!nb) {
                free(buf);
                if (f != stdin)
                    fclose(f);
                return -1;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        if (f != stdin)
            fclose(f);
        return -1;
    }
    if (f != stdin)
        fclose(f);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int tg_cli_open_graph(const char *db_opt, const char *const *in, size_t nin, tg_graph **g,
                      const char **db_out)
{
    *db_out = NULL;
    if (nin)
        return tg_cli_load_files(in, nin, g);
    *db_out = tg_cli_db_path(db_opt);
    if (!strcmp(*db_out, ":memory:")) {
        *db_out = NULL;
        if (!(*g = tg_graph_new()))
            return tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        return 0;
    }
    return tg_cli_load_store(*db_out, g);
}
