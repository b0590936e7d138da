/* csv_reader.h — reading CSV (RFC 4180) with positions.
 *
 * One reader for every CSV in tiegraph: Neo4j bulk-import files, mapped
 * spreadsheets (GCDF, ASPI, yours) and `LOAD CSV` in queries. RFC 4180 in
 * full: fields quoted with '"', a quote inside a quoted field doubled,
 * delimiters and line breaks inside quoted fields, CRLF or LF line ends, a
 * UTF-8 byte order mark at the start skipped. Beyond the RFC: any one-byte
 * delimiter; a quote inside an unquoted field is kept as a character (as
 * spreadsheets write it); a line that is entirely empty is skipped.
 *
 * Every field knows whether it was quoted, so that an empty unquoted cell
 * (absent) and "" (the empty string) can be told apart, and where it starts
 * (line and byte column, 1-based), for error messages. Fields are checked
 * to be UTF-8.
 *
 * Why not libcsv: see docs/formats.md ("CSV"): it reports no position for a
 * field or an error, and this reader was measured faster on the same files.
 *
 * Ownership: fields returned by tg_csv_next are borrowed until the next
 * call or tg_csv_close.
 */
#ifndef TG_CSV_READER_H
#define TG_CSV_READER_H

#include <stddef.h>

#include "input.h"
#include "tg_error.h"

typedef struct tg_csv_field {
    const char *p; /* the decoded bytes (quotes removed, "" made "), NUL-terminated */
    size_t len;
    int quoted;
    long line, col; /* where the field starts (its opening quote when quoted) */
} tg_csv_field;

typedef struct tg_csv {
    tg_input in;
    char delim;
    int first; /* no line read yet: skip a BOM */
    long row_line;
    /* the current row: decoded bytes in buf, fields pointing into it */
    char *buf;
    size_t blen, bcap;
    tg_csv_field *f;
    size_t nf, capf;
    size_t *foff; /* offsets into buf while the row is built */
    size_t capfoff;
} tg_csv;

/* Opens path with this delimiter (0: ','). max_record bounds one record
 * (0: TG_MAX_RECORD_DEFAULT). Errors: TG_ENOENT, TG_ENOMEM. */
tg_status tg_csv_open(tg_csv *c, const char *path, char delim, size_t max_record, tg_error *err);

/* Reads the next row: returns 1 with the fields in *fields (n of them), 0 at
 * the end of the file, -1 on an error in err (TG_EDATA with the file, line
 * and column: an unterminated quoted field, a character after a closing
 * quote, invalid UTF-8, a record longer than max_record; TG_ENOENT for a
 * read error; the end-of-file size check of input.h). O(bytes of the row). */
int tg_csv_next(tg_csv *c, const tg_csv_field **fields, size_t *n, tg_error *err);

/* The line on which the last row returned starts. */
long tg_csv_row_line(const tg_csv *c);

/* Closes the file. Accepts a zeroed or closed reader. */
void tg_csv_close(tg_csv *c);

#endif
