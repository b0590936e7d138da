/* xml_scan.h — a streaming XML 1.0 tokenizer, for the GraphML reader.
 * Not a public API (tg_i_ prefix). Uses nothing of tiegraph but the status
 * enum and loaders/text.h's UTF-8 and growth helpers.
 *
 * It pulls the document in chunks through a read function (a file, a pipe)
 * and hands out one token at a time: a start tag with its attributes (an
 * empty-element tag is a start tag followed by its end tag), an end tag,
 * or the character data between two tags, decoded (the five predefined
 * entities, character references, CDATA sections and line ends; comments
 * and processing instructions inside it dropped). The XML declaration, the
 * DOCTYPE, comments and processing instructions are checked and skipped.
 *
 * It checks well-formedness completely, the way a conforming non-validating
 * parser that reads no DTD does: one root element, end tags that match,
 * attributes unique in their tag and quoted, no '<' in attribute values,
 * well-formed names (ASCII name characters by table; any non-ASCII
 * character accepted in a name, as UTF-8), UTF-8 throughout with the
 * characters XML 1.0 forbids refused (control characters but tab, line feed
 * and carriage return; U+FFFE, U+FFFF), "]]>" refused in text, references
 * only to the five predefined entities or to allowed characters, nothing
 * but white space, comments and processing instructions outside the root,
 * nesting bounded (TG_XML_MAX_DEPTH). Entity declarations (<!ENTITY) are
 * refused outright: no external entities, no "billion laughs". Namespace
 * prefixes of elements are resolved (tg_xml_token.ns); an undeclared one
 * is not an error (as in libxml2, whose namespace errors are not fatal):
 * its element gets ns_id TG_XML_NS_UNBOUND.
 *
 * Every error names its line and byte column exactly (lines counted by
 * '\n'; a column counts bytes from 1), and the same one however the input
 * comes in chunks: a construct longer than max_markup is refused as such
 * whatever follows its first max_markup bytes. Memory holds the current
 * token and the one before it (two buffers of 2 MiB, more only for a longer
 * tag), the names of the open elements and the namespace declarations in
 * scope; character data longer than 64 KiB may come in pieces
 * (tg_xml_token.more), so a long text never needs to fit in memory; a tag,
 * a DOCTYPE, a reference must fit in max_markup bytes.
 *
 * Cost: each byte is looked at once, 16 at a time with SSE2 in runs of
 * text and values, one at a time by table in names (again for a tag read
 * across the end of a chunk); the common forms (plain text, a tag of plain
 * attributes, a leaf element, an end tag) take one pass without copying;
 * values are decoded in place only when they hold a reference, a CDATA
 * section, a comment, a processing instruction or a carriage return.
 */
#ifndef TG_LOADERS_XML_SCAN_H
#define TG_LOADERS_XML_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "tg_error.h"

#define TG_XML_MAX_DEPTH 256 /* elements nested deeper are an error */

/* ns_id of an element in no namespace, in the xml: namespace, and of one
 * whose prefix is not declared; every declaration gets its own id above. */
#define TG_XML_NS_NONE 0u
#define TG_XML_NS_XML 1u
#define TG_XML_NS_UNBOUND UINT64_MAX

typedef enum tg_xml_kind {
    TG_XML_EOF = 0, /* the document ended after its root element */
    TG_XML_START,   /* a start tag, or an empty-element tag (then empty is set) */
    TG_XML_END,     /* an end tag, or the end of an empty-element tag */
    TG_XML_TEXT,    /* character data inside the root element, decoded */
    TG_XML_ERROR    /* see tg_xml_scan's status, code, msg, line, col */
} tg_xml_kind;

/* What kind of error, for a reader that words some of them its own way. */
typedef enum tg_xml_code {
    TG_XML_E_NONE = 0,
    TG_XML_E_SYNTAX,    /* not well-formed (msg says what) */
    TG_XML_E_NOT_XML,   /* the first thing in the file is not markup */
    TG_XML_E_WIDE,      /* UTF-16, UTF-32 or binary: a NUL or a UTF-16 BOM at the start */
    TG_XML_E_UTF8,      /* invalid UTF-8 (byte in msg) */
    TG_XML_E_TRUNCATED, /* the input ended inside the document */
    TG_XML_E_ENTITY,    /* an entity declaration */
    TG_XML_E_TOO_LONG,  /* a tag or declaration longer than max_markup */
    TG_XML_E_READ,      /* the read function failed (its own error record says why) */
    TG_XML_E_NOMEM
} tg_xml_code;

typedef struct tg_xml_attr {
    const char *name; /* as written (with its prefix) */
    size_t name_len;
    const char *value; /* decoded and normalised (white space to spaces) */
    size_t value_len;
    long line, col;           /* of the value's first byte (after the quote) */
    long name_line, name_col; /* of the name */
} tg_xml_attr;

typedef struct tg_xml_token {
    tg_xml_kind kind;
    /* START, END */
    const char *name, *local; /* the qualified name; the part after its prefix */
    size_t name_len, local_len;
    const char *ns; /* the namespace URI ("" for none); borrowed until the next call */
    size_t ns_len;
    uint64_t ns_id;  /* TG_XML_NS_*, or the declaration's own id (never reused) */
    unsigned depth;  /* 1 for the root element */
    int empty;       /* START: an empty-element tag, whose END comes next (unless leaf) */
    int leaf;        /* START under TG_XML_LEAVES: the whole element, its content the
                        text in text/text_len; no TEXT or END token follows for it */
    const tg_xml_attr *attrs; /* START */
    size_t nattrs;
    /* TEXT, and a leaf START */
    const char *text;
    size_t text_len;
    int more; /* TEXT: a piece of a long text run: more of it follows */
    /* where the token starts: its '<', or the text's first byte */
    long line, col;
    /* START: just after its '>' (where its content starts) */
    long end_line, end_col;
} tg_xml_token;

/* Options of tg_i_xml_init. */
#define TG_XML_LEAVES 1u /* an element whose content is plain text (no reference, CDATA, \
                            comment, CR), or none, may come as one leaf START token */
#define TG_XML_SKIP_BLANK 2u /* white space followed by a start tag is not reported (but \
                                for the pieces of one longer than 64 KiB) */

/* Reads up to cap bytes into dst: the count, 0 at the end of the input,
 * (size_t)-1 on an error (recorded by the function itself). */
typedef size_t (*tg_xml_read_fn)(void *ctx, char *dst, size_t cap);

typedef struct tg_xml_frame {
    size_t name_off, name_len; /* in names */
    size_t local;              /* where the local name starts in it (after "prefix:") */
    size_t ndecls, dflt;       /* namespace declarations in scope outside it; sc->dflt there */
    long line;                 /* of its start tag */
} tg_xml_frame;

typedef struct tg_xml_decl {
    size_t prefix_off, prefix_len, uri_off, uri_len; /* in nsbuf */
    uint64_t id;
} tg_xml_decl;

/* The tokenizer's state. Caller-owned storage; fields are private but
 * for the error: status, code, msg, line and col after TG_XML_ERROR. */
typedef struct tg_xml_scan {
    tg_xml_read_fn read;
    void *read_ctx;
    size_t max_markup;
    unsigned opts;
    /* two buffers: the previous token stays where it was while the next
     * one is read (see tg_i_xml_next) */
    char *buf[2];
    size_t bcap[2];
    int cur, prev;
    size_t len, pos; /* bytes in buf[cur]; the scan position */
    uint64_t base;   /* offset in the input of buf[cur][0] */
    uint64_t bom;    /* 3 after a UTF-8 byte order mark, else 0 */
    int eof, done;
    long line;       /* line of pos */
    uint64_t lstart; /* input offset of that line's first byte */
    int mode;        /* prolog, content, epilog */
    int sub;         /* inside a comment, processing instruction or CDATA section */
    int seen;        /* something other than white space was read */
    int pending_end; /* an empty-element tag was reported: its END is next */
    int doctype;     /* a DOCTYPE was read */
    int intext;      /* a text run is open: decoded bytes [tstart, tout) */
    size_t tstart, tout;
    long tline, tcol;
    /* elements */
    tg_xml_frame *stack;
    size_t depth, capstack;
    char *names;
    size_t nnames, capnames;
    /* namespaces */
    tg_xml_decl *decls;
    size_t ndecls, capdecls;
    size_t dflt; /* 1 + the innermost declaration of the default namespace, or 0 */
    char *nsbuf;
    size_t nnsbuf, capnsbuf;
    uint64_t next_ns_id;
    /* the attributes of the current start tag */
    tg_xml_attr *attrs;
    size_t nattrs, capattrs;
    unsigned char *decode; /* per attribute: its value needs decoding */
    size_t capdecode;
    /* the error */
    tg_status status;
    tg_xml_code code;
    long err_line, err_col;
    char msg[320];
} tg_xml_scan;

/* Prepares sc to read through read(ctx, ...). max_markup bounds one tag
 * with its attributes, one DOCTYPE, one reference (0: 64 MiB); opts are
 * TG_XML_* options. Allocates nothing yet. */
void tg_i_xml_init(tg_xml_scan *sc, tg_xml_read_fn read, void *ctx, size_t max_markup,
                   unsigned opts);

/* Frees what sc holds. Accepts an initialised or zeroed sc. */
void tg_i_xml_destroy(tg_xml_scan *sc);

/* The next token in *t. Its strings are borrowed from sc: valid until the
 * call after the next one (so a text is still there at the end tag that
 * follows it), but ns and an END's name only until the next call; names,
 * values and texts may be read 8 bytes past their end (what is there is
 * unspecified but initialised), which lets a caller compare short strings
 * as whole words. After
 * TG_XML_EOF or TG_XML_ERROR every call returns the same again. An error
 * sets status (TG_EDATA for the document, TG_ENOMEM, TG_EIO when the read
 * function failed), code, msg and its position err_line:err_col.
 * Amortised O(bytes of the token) (O(n log n) for a tag of n attributes,
 * checked for duplicates). */
tg_xml_kind tg_i_xml_next(tg_xml_scan *sc, tg_xml_token *t);

/* Bytes of the input consumed so far (for progress). */
uint64_t tg_i_xml_offset(const tg_xml_scan *sc);

#endif
