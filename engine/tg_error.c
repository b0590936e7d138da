/* tg_error.c — error records and the status -> exit code mapping. */
#include "tg_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tg_error_clear(tg_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

tg_status tg_error_set(tg_error *err, tg_status status, const char *file, long line,
                       long column, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return status;
    err->status = status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

const char *tg_status_name(tg_status status)
{
    switch (status) {
    case TG_OK: return "ok";
    case TG_ENOMEM: return "out of memory";
    case TG_EINVAL: return "invalid usage";
    case TG_ESYNTAX: return "syntax error";
    case TG_ESEMANTIC: return "semantic error";
    case TG_ETYPE: return "type error";
    case TG_EARG: return "argument error";
    case TG_ERUNTIME: return "runtime error";
    case TG_EDATA: return "bad input data";
    case TG_ENOENT: return "missing or unreadable file";
    case TG_EIO: return "store error";
    case TG_EINTERNAL: return "internal error";
    }
    return "unknown error";
}

int tg_status_exit_code(tg_status status)
{
    switch (status) {
    case TG_OK: return 0;
    case TG_EINVAL: return 64;
    case TG_EDATA: return 65;
    case TG_ENOENT: return 66;
    case TG_EIO: return 74;
    case TG_ENOMEM:
    case TG_EINTERNAL: return 70;
    case TG_ESYNTAX:
    case TG_ESEMANTIC:
    case TG_ETYPE:
    case TG_EARG:
    case TG_ERUNTIME: return 1;
    }
    return 1;
}
