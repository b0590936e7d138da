/* json_internal.h — a small JSON parser that keeps byte positions, shared by
 * the tiegraph/1 loader (json_loader.c). Not a public API.
 *
 * Why not cJSON: cJSON records no position for values (the loader must name
 * the line and column of the offending key or value), stops strings at
 * \u0000, does not check UTF-8, and allocates one heap node per value. This
 * parser builds a tree in a reusable arena (one reset per record, so a
 * 1 GB JSON Lines file parses with no allocation churn), points strings
 * without escapes straight into the text, decodes the others into the arena,
 * validates UTF-8 (including \u surrogate pairs) and keeps the byte offset of
 * every value and key.
 *
 * Ownership: a tree returned by tg_i_json_value borrows the text passed to
 * tg_i_json_reset and the parser's arena; it is valid until the next
 * tg_i_json_reset or tg_i_json_destroy.
 */
#ifndef TG_JSON_INTERNAL_H
#define TG_JSON_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tg_error.h"

typedef enum tg_jkind {
    TG_J_NULL = 0,
    TG_J_FALSE,
    TG_J_TRUE,
    TG_J_INT,   /* no fraction, no exponent, fits int64 */
    TG_J_FLOAT, /* every other number */
    TG_J_STRING,
    TG_J_ARRAY,
    TG_J_OBJECT
} tg_jkind;

typedef struct tg_jval tg_jval;
typedef struct tg_jmember tg_jmember;

/* One JSON value. off is the byte offset of its first character in the text. */
struct tg_jval {
    tg_jkind kind;
    uint32_t n; /* array: elements; object: members */
    size_t off;
    union {
        int64_t i;
        double f;
        struct {
            const char *p; /* may contain NUL bytes (from \u0000) */
            size_t len;
        } s;
        tg_jval *items;
        tg_jmember *members;
    } u;
};

/* One object member; off is the offset of the key's opening quote. */
struct tg_jmember {
    const char *key;
    size_t klen;
    size_t off;
    tg_jval v;
};

typedef struct tg_jchunk tg_jchunk;

typedef struct tg_jparser {
    const char *text;
    size_t len;
    size_t pos;    /* next byte to read */
    int line_mode; /* 1: the text is one JSON Lines line (changes EOF messages) */
    int depth;
    /* arena: chunks, the last one is being filled */
    tg_jchunk *chunks;
    size_t arena_total;
    /* stacks of finished children while an array / object is open */
    tg_jval *vstack;
    size_t vn, vcap;
    tg_jmember *mstack;
    size_t mn, mcap;
    char *num; /* scratch copy of a number for strtod */
    size_t numcap;
    /* last error */
    tg_status status; /* TG_EDATA (bad text) or TG_ENOMEM */
    size_t err_off;
    char err_msg[256];
} tg_jparser;

/* Nesting deeper than this is rejected (keeps the recursion bounded). */
#define TG_JSON_MAX_DEPTH 128

/* Initialises an empty parser (no allocation). */
void tg_i_json_init(tg_jparser *p);

/* Frees the arena and the stacks. Accepts NULL. */
void tg_i_json_destroy(tg_jparser *p);

/* Starts parsing text[0..len) (borrowed until the next reset) at offset 0 and
 * frees every tree built so far (the arena memory is kept for reuse). */
void tg_i_json_reset(tg_jparser *p, const char *text, size_t len, int line_mode);

/* Frees every tree built so far (keeping the arena memory for reuse) and
 * clears the error; the text and p->pos stay. */
void tg_i_json_clear(tg_jparser *p);

/* Skips JSON whitespace from p->pos; returns the new p->pos. */
size_t tg_i_json_skip_ws(tg_jparser *p);

/* Parses one value starting at p->pos (after whitespace) into *out and
 * leaves p->pos just after it. Returns 0, or -1 with p->status, p->err_off
 * and p->err_msg set. O(bytes read). */
int tg_i_json_value(tg_jparser *p, tg_jval *out);

/* Parses a string starting at p->pos (which must be the opening quote). */
int tg_i_json_string(tg_jparser *p, const char **s, size_t *len);

/* Records a syntax error at off (returns -1). */
int tg_i_json_fail(tg_jparser *p, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The "unexpected end" error at the end of the text (returns -1). */
int tg_i_json_eof(tg_jparser *p);

/* size bytes of arena memory, 8-aligned, valid until the next reset; NULL
 * (with p->status = TG_ENOMEM) when out of memory. */
void *tg_i_json_alloc(tg_jparser *p, size_t size);

/* A short phrase for a value's kind: "a string", "a number", "an object"... */
const char *tg_i_json_kind_name(tg_jkind kind);


#endif
