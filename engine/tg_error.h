/* tg_error.h — the one status enum and the caller-owned error record.
 *
 * Every function that can fail takes a `tg_error *` as its last parameter
 * (NULL allowed: the caller does not want the details) and returns a
 * tg_status. Library code never prints; the CLI turns a tg_error into the
 * one-line message `tiegraph: FILE:LINE:COL: error: MESSAGE` and an exit
 * status (see tg_status_exit_code).
 */
#ifndef TG_ERROR_H
#define TG_ERROR_H

#include <stddef.h>

typedef enum tg_status {
    TG_OK = 0,
    TG_ENOMEM,    /* out of memory */
    TG_EINVAL,    /* a caller passed something invalid (usage) */
    TG_ESYNTAX,   /* query rejected at compile time: does not parse, or fails a
                     check the openCypher TCK files as a SyntaxError (undefined or
                     conflicting variables, misplaced aggregation, ...) */
    TG_ESEMANTIC, /* query rejected for what it refers to: a missing parameter, an
                     unknown procedure, an unsupported clause */
    TG_ETYPE,     /* query runtime type error */
    TG_EARG,      /* query argument error (bad value for a function) */
    TG_ERUNTIME,  /* other query runtime failure (guards, timeouts, ...) */
    TG_EDATA,     /* input data is malformed */
    TG_ENOENT,    /* an input file is missing or unreadable */
    TG_EIO,       /* the store cannot be read or written */
    TG_EINTERNAL  /* a library below us failed in a way we did not expect */
} tg_status;

#define TG_ERROR_MSG_MAX 512

/* A failure's details. The caller owns the storage; `file` is copied. */
typedef struct tg_error {
    tg_status status;
    char file[256];           /* input file or script, "" when not tied to one */
    long line;                /* 1-based, 0 when unknown */
    long column;              /* 1-based, 0 when unknown */
    char message[TG_ERROR_MSG_MAX];
} tg_error;

/* Clears err (status TG_OK, empty strings). Accepts NULL. */
void tg_error_clear(tg_error *err);

/* Records a failure in err (NULL allowed) and returns status, so that a
 * caller can write `return tg_error_set(err, TG_EDATA, ...)`. file may be
 * NULL. The message is printf-formatted and truncated to fit. */
tg_status tg_error_set(tg_error *err, tg_status status, const char *file, long line,
                       long column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* A short English name of a status ("out of memory", "syntax error", ...). */
const char *tg_status_name(tg_status status);

/* The process exit status of DESIGN.md for a failure of this kind:
 * 1 query failure, 64 usage, 65 bad data, 66 missing file, 74 store I/O. */
int tg_status_exit_code(tg_status status);

#endif
