/* tck_feature.c — reads the TCK's feature files into runnable cases.
 *
 * One pass per file over its lines. Steps are first collected raw into a
 * scenario template (and the feature's Background); when the next Scenario
 * begins or the file ends, the template is materialised into cases: one
 * for a Scenario, one per Examples row for a Scenario Outline, each a deep
 * copy with `<name>` substituted and each step classified. Invariants: a
 * suite owns every string it points at; a failed load frees everything it
 * built and returns NULL with a message.
 */
#include "tck_feature.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- small helpers ------------------------------------------------------ */

typedef struct loader {
    char *err;
    size_t errlen;
    int failed;
} loader;

/* Records the first failure (later ones are consequences). */
static void fail(loader *ld, const char *fmt, ...)
{
    va_list ap;

    if (!ld->failed && ld->err && ld->errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(ld->err, ld->errlen, fmt, ap);
        va_end(ap);
    }
    ld->failed = 1;
}

static char *dup_n(loader *ld, const char *s, size_t n)
{
    char *d = malloc(n + 1);

    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    } else {
        fail(ld, "out of memory");
    }
    return d;
}

static char *dup_s(loader *ld, const char *s)
{
    return s ? dup_n(ld, s, strlen(s)) : NULL;
}

/* Grows *arr (elements of size sz) so that it can hold n + 1 elements. */
static int grow(loader *ld, void **arr, size_t *cap, size_t n, size_t sz)
{
    size_t ncap = *cap ? *cap * 2 : 8;
    void *na = n < *cap ? *arr : realloc(*arr, ncap * sz);

    if (na && n >= *cap) {
        *arr = na;
        *cap = ncap;
    }
    if (!na)
        fail(ld, "out of memory");
    return na != NULL;
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Length of s without trailing spaces, tabs, CR. */
static size_t trimmed_len(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return n;
}

/* Appends s[0..n) to the growing string *buf (len, cap); frees *buf and
 * sets it NULL when out of memory. */
static int append(loader *ld, char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    size_t ncap = (*len + n + 1) * 2;
    int grow_it = *len + n + 1 > *cap;
    char *nb = grow_it ? realloc(*buf, ncap) : *buf;

    if (nb) {
        if (grow_it)
            *cap = ncap;
        *buf = nb;
        memcpy(*buf + *len, s, n);
        *len += n;
        (*buf)[*len] = '\0';
    } else {
        free(*buf);
        *buf = NULL;
        fail(ld, "out of memory");
    }
    return nb != NULL;
}

/* ---- tables --------------------------------------------------------------- */

void tck_table_free(tck_table *t)
{
    size_t r, c;

    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols[r]; c++)
            free(t->cells[r][c]);
        free(t->cells[r]);
    }
    free(t->cells);
    free(t->ncols);
    memset(t, 0, sizeof *t);
}

/* Appends a row (takes cells and its strings, even on failure). */
static int table_add_row(loader *ld, tck_table *t, char **cells, size_t ncells)
{
    char ***nc = realloc(t->cells, (t->nrows + 1) * sizeof *nc);
    size_t *nn;
    size_t c;

    if (nc)
        t->cells = nc;
    nn = nc ? realloc(t->ncols, (t->nrows + 1) * sizeof *nn) : NULL;
    if (nn) {
        t->ncols = nn;
        t->cells[t->nrows] = cells;
        t->ncols[t->nrows] = ncells;
        t->nrows++;
    } else {
        for (c = 0; c < ncells; c++)
            free(cells[c]);
        free(cells);
        fail(ld, "out of memory");
    }
    return nn != NULL;
}

/* Splits a table line "| a | b\|c |" into unescaped, trimmed cells. */
static int parse_table_row(loader *ld, tck_table *t, const char *line)
{
    char **cells = NULL;
    size_t ncells = 0, cap = 0;
    char *cell = NULL;
    size_t clen = 0;
    const char *s = skip_spaces(line) + 1; /* after the first '|' */
    size_t len = strlen(s);
    int ok = 0;

    cell = malloc(len + 1);
    if (!cell) {
        fail(ld, "out of memory");
        goto done;
    }
    while (*s) {
        if (*s == '\\' && (s[1] == '|' || s[1] == '\\' || s[1] == 'n')) {
            cell[clen++] = s[1] == 'n' ? '\n' : s[1];
            s += 2;
            continue;
        }
        if (*s == '|') {
            size_t b = 0, e = clen;
            while (b < e && (cell[b] == ' ' || cell[b] == '\t'))
                b++;
            while (e > b && (cell[e - 1] == ' ' || cell[e - 1] == '\t'))
                e--;
            if (!grow(ld, (void **)&cells, &cap, ncells, sizeof *cells))
                goto done;
            cells[ncells] = dup_n(ld, cell + b, e - b);
            if (!cells[ncells])
                goto done;
            ncells++;
            clen = 0;
            s++;
            continue;
        }
        cell[clen++] = *s++;
    }
    ok = table_add_row(ld, t, cells, ncells);
    cells = NULL;
    ncells = 0;
done:
    if (cells) {
        while (ncells > 0)
            free(cells[--ncells]);
        free(cells);
    }
    free(cell);
    return ok;
}

int tck_table_add_line(tck_table *t, const char *line)
{
    loader ld = {0};

    return parse_table_row(&ld, t, line);
}

/* ---- raw steps and templates ----------------------------------------------- */

typedef struct raw_step {
    int line;
    char *text;
    char *doc;
    tck_table table;
} raw_step;

typedef struct step_list {
    raw_step *steps;
    size_t n, cap;
} step_list;

static void steps_clear(step_list *l)
{
    size_t k;

    for (k = 0; k < l->n; k++) {
        free(l->steps[k].text);
        free(l->steps[k].doc);
        tck_table_free(&l->steps[k].table);
    }
    free(l->steps);
    memset(l, 0, sizeof *l);
}

typedef struct tmpl {
    int active;
    int outline;
    int ignored;
    int line;
    char *name;
    step_list steps;
    size_t nexamples;
    tck_table *examples; /* each: header row then data rows */
} tmpl;

static void tmpl_clear(tmpl *t)
{
    size_t k;

    free(t->name);
    steps_clear(&t->steps);
    for (k = 0; k < t->nexamples; k++)
        tck_table_free(&t->examples[k]);
    free(t->examples);
    memset(t, 0, sizeof *t);
}

/* ---- substitution and classification ------------------------------------- */

/* Copies s with every <name> of the header replaced by the row's value. */
static char *subst(loader *ld, const char *s, const tck_table *ex, size_t row)
{
    char *out = NULL;
    size_t len = 0, cap = 0, c;

    if (s && append(ld, &out, &len, &cap, "", 0)) {
        while (*s && out) {
            const char *rep = NULL;
            size_t skip = 1;
            for (c = 0; ex && *s == '<' && c < ex->ncols[0] && !rep; c++) {
                size_t hl = strlen(ex->cells[0][c]);
                if (strncmp(s + 1, ex->cells[0][c], hl) == 0 && s[1 + hl] == '>' &&
                    c < ex->ncols[row]) {
                    rep = ex->cells[row][c];
                    skip = hl + 2;
                }
            }
            append(ld, &out, &len, &cap, rep ? rep : s, rep ? strlen(rep) : 1);
            s += skip;
        }
    }
    return out;
}

static int table_copy(loader *ld, tck_table *dst, const tck_table *src, const tck_table *ex,
                      size_t row)
{
    size_t r, c;

    memset(dst, 0, sizeof *dst);
    for (r = 0; r < src->nrows && !ld->failed; r++) {
        char **cells = calloc(src->ncols[r] ? src->ncols[r] : 1, sizeof *cells);
        if (!cells)
            fail(ld, "out of memory");
        for (c = 0; cells && c < src->ncols[r]; c++)
            cells[c] = subst(ld, src->cells[r][c], ex, row);
        if (cells && !ld->failed) {
            table_add_row(ld, dst, cells, src->ncols[r]);
        } else if (cells) {
            for (c = 0; c < src->ncols[r]; c++)
                free(cells[c]);
            free(cells);
        }
    }
    return !ld->failed;
}

/* Whether [s, end) is exactly word. */
static int is_word(const char *s, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - s) == n && strncmp(s, word, n) == 0;
}

/* Sets the step's kind and arguments from its text. */
static int classify(loader *ld, tck_step *st)
{
    const char *t = st->text;
    size_t n = strlen(t);

    if (strcmp(t, "an empty graph") == 0 || strcmp(t, "any graph") == 0) {
        st->kind = TCK_STEP_EMPTY_GRAPH;
    } else if (starts_with(t, "the ") && n > 10 && strcmp(t + n - 6, " graph") == 0) {
        st->kind = TCK_STEP_NAMED_GRAPH;
        st->arg = dup_n(ld, t + 4, n - 10);
    } else if (strcmp(t, "having executed:") == 0) {
        st->kind = TCK_STEP_EXECUTED;
    } else if (strcmp(t, "parameters are:") == 0) {
        st->kind = TCK_STEP_PARAMETERS;
    } else if (starts_with(t, "there exists a procedure ")) {
        const char *sig = t + strlen("there exists a procedure ");
        size_t sl = strlen(sig);
        if (sl > 0 && sig[sl - 1] == ':')
            sl--;
        st->kind = TCK_STEP_PROCEDURE;
        st->arg = dup_n(ld, sig, trimmed_len(sig, sl));
    } else if (strcmp(t, "executing query:") == 0 || strcmp(t, "executing control query:") == 0) {
        st->kind = TCK_STEP_QUERY;
    } else if (strcmp(t, "the result should be empty") == 0) {
        st->kind = TCK_STEP_RESULT_EMPTY;
    } else if (starts_with(t, "the result should be") && t[n - 1] == ':') {
        st->kind = TCK_STEP_RESULT;
        st->ordered = strstr(t, "in order") != NULL;
        st->unordered_lists = strstr(t, "ignoring element order for lists") != NULL;
        if (!st->ordered && !strstr(t, "in any order") && !st->unordered_lists)
            st->kind = TCK_STEP_UNKNOWN;
    } else if (strcmp(t, "no side effects") == 0) {
        st->kind = TCK_STEP_NO_SIDE_EFFECTS;
    } else if (strcmp(t, "the side effects should be:") == 0) {
        st->kind = TCK_STEP_SIDE_EFFECTS;
    } else if (starts_with(t, "a ") || starts_with(t, "an ")) {
        /* a TYPE should be raised at PHASE: DETAIL */
        const char *type = strchr(t, ' ') + 1;
        const char *rest = strstr(type, " should be raised at ");
        const char *phase = rest ? rest + strlen(" should be raised at ") : NULL;
        const char *colon = phase ? strchr(phase, ':') : NULL;
        st->kind = colon ? TCK_STEP_ERROR : TCK_STEP_UNKNOWN;
        if (colon && is_word(phase, colon, "compile time"))
            st->phase = TCK_COMPILE_TIME;
        else if (colon && is_word(phase, colon, "runtime"))
            st->phase = TCK_RUNTIME;
        else if (colon && is_word(phase, colon, "any time"))
            st->phase = TCK_ANY_TIME;
        else
            st->kind = TCK_STEP_UNKNOWN;
        if (st->kind == TCK_STEP_ERROR) {
            st->arg = dup_n(ld, type, (size_t)(rest - type));
            st->detail = dup_s(ld, skip_spaces(colon + 1));
        }
    }
    return !ld->failed;
}

static void step_free(tck_step *st)
{
    free(st->text);
    free(st->arg);
    free(st->detail);
    free(st->doc);
    tck_table_free(&st->table);
}

static void case_free(tck_case *c)
{
    size_t k;

    for (k = 0; k < c->nsteps; k++)
        step_free(&c->steps[k]);
    free(c->steps);
    free(c->name);
}

/* ---- suite building ---------------------------------------------------------- */

typedef struct builder {
    loader ld;
    tck_suite *suite;
    size_t case_cap, file_cap;
} builder;

/* Appends one case made of background + template steps with row `row` of
 * examples `ex` (NULL for a plain scenario). */
static int emit_case(builder *b, const step_list *bg, const tmpl *t, const tck_table *ex,
                     size_t row, size_t exno)
{
    loader *ld = &b->ld;
    tck_suite *s = b->suite;
    tck_file *f = &s->files[s->nfiles - 1];
    tck_case *c = NULL;
    size_t k, total = bg->n + t->steps.n;
    char label[64], *name = NULL;
    size_t len = 0, cap = 0;

    if (grow(ld, (void **)&s->cases, &b->case_cap, s->ncases, sizeof *s->cases)) {
        c = &s->cases[s->ncases++];
        memset(c, 0, sizeof *c);
        f->ncases++;
        c->line = t->line;
        c->ignored = t->ignored;
        snprintf(label, sizeof label, " (example %zu.%zu)", exno + 1, row);
        if (append(ld, &name, &len, &cap, t->name, strlen(t->name)) && ex)
            append(ld, &name, &len, &cap, label, strlen(label));
        c->name = subst(ld, name, ex, row);
        c->steps = calloc(total ? total : 1, sizeof *c->steps);
        if (!c->steps)
            fail(ld, "out of memory");
    }
    for (k = 0; k < total && !ld->failed; k++) {
        const raw_step *rs = k < bg->n ? &bg->steps[k] : &t->steps.steps[k - bg->n];
        tck_step *st = &c->steps[c->nsteps++];
        st->line = rs->line;
        st->text = subst(ld, rs->text, ex, row);
        st->doc = subst(ld, rs->doc, ex, row);
        if (!ld->failed && table_copy(ld, &st->table, &rs->table, ex, row))
            classify(ld, st);
    }
    free(name);
    return !ld->failed;
}

static int flush_tmpl(builder *b, const step_list *bg, tmpl *t)
{
    size_t e, r;
    int ok = 1;

    if (!t->active)
        goto done;
    if (!t->outline) {
        ok = emit_case(b, bg, t, NULL, 0, 0);
        goto done;
    }
    for (e = 0; e < t->nexamples && ok; e++)
        for (r = 1; r < t->examples[e].nrows && ok; r++)
            ok = emit_case(b, bg, t, &t->examples[e], r, e);
done:
    tmpl_clear(t);
    return ok;
}

static char *read_file(loader *ld, const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *data = NULL;
    long size;

    if (!fp) {
        fail(ld, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        fail(ld, "%s: cannot read", path);
        goto done;
    }
    data = malloc((size_t)size + 1);
    if (!data) {
        fail(ld, "out of memory");
        goto done;
    }
    if (fread(data, 1, (size_t)size, fp) != (size_t)size) {
        fail(ld, "%s: cannot read", path);
        free(data);
        data = NULL;
        goto done;
    }
    data[size] = '\0';
done:
    fclose(fp);
    return data;
}

/* Where a line's text goes. */
typedef enum section { SEC_NONE, SEC_BACKGROUND, SEC_SCENARIO, SEC_EXAMPLES } section;

/* The state of reading one feature file. Lines are cut in place in data. */
typedef struct file_reader {
    builder *b;
    loader *ld;
    const char *rel; /* the file's path for messages */
    char *next;      /* the rest of the file */
    int lineno;
    section sec;
    step_list bg; /* the Background's steps */
    tmpl t;       /* the scenario being read */
    int pending_ignore;
} file_reader;

/* The next line, NUL-terminated in place, or NULL at the end. */
static char *next_line(file_reader *fr)
{
    char *line = fr->next;

    if (line) {
        fr->next = strchr(line, '\n');
        if (fr->next)
            *fr->next++ = '\0';
        fr->lineno++;
    }
    return line;
}

/* The steps a step line or a doc string belongs to. */
static step_list *current_steps(file_reader *fr)
{
    return fr->sec == SEC_BACKGROUND ? &fr->bg : fr->sec == SEC_SCENARIO ? &fr->t.steps : NULL;
}

/* Reads a doc string opened by delim at column indent into the last step;
 * its lines lose up to indent leading blanks. */
static void read_doc_string(file_reader *fr, const char *delim, size_t indent)
{
    step_list *sl = current_steps(fr);
    char *doc = NULL, *line = NULL;
    size_t len = 0, cap = 0, k, cl;
    int start = fr->lineno, closed = 0;

    if (!sl || sl->n == 0 || sl->steps[sl->n - 1].doc)
        fail(fr->ld, "%s:%d: a doc string that follows no step", fr->rel, start);
    if (!fr->ld->failed)
        append(fr->ld, &doc, &len, &cap, "", 0);
    while (!fr->ld->failed && !closed && (line = next_line(fr)) != NULL) {
        const char *c = line, *cs = skip_spaces(line);
        closed = trimmed_len(cs, strlen(cs)) == 3 && strncmp(cs, delim, 3) == 0;
        for (k = 0; !closed && k < indent && (*c == ' ' || *c == '\t'); k++)
            c++;
        cl = trimmed_len(c, strlen(c));
        if (!closed && len > 0)
            append(fr->ld, &doc, &len, &cap, "\n", 1);
        if (!closed)
            append(fr->ld, &doc, &len, &cap, c, cl);
    }
    if (!fr->ld->failed && !closed)
        fail(fr->ld, "%s:%d: unterminated doc string", fr->rel, start);
    if (fr->ld->failed)
        free(doc);
    else
        sl->steps[sl->n - 1].doc = doc;
}

/* A table row for the last step or the current Examples. */
static void read_table_line(file_reader *fr, const char *l)
{
    step_list *sl = current_steps(fr);
    tck_table *tab = NULL;

    if (fr->sec == SEC_EXAMPLES)
        tab = &fr->t.examples[fr->t.nexamples - 1];
    else if (sl && sl->n > 0)
        tab = &sl->steps[sl->n - 1].table;
    if (tab)
        parse_table_row(fr->ld, tab, l);
    else
        fail(fr->ld, "%s:%d: a table that follows no step", fr->rel, fr->lineno);
}

static void start_scenario(file_reader *fr, const char *l)
{
    /* the previous scenario becomes cases first */
    if (flush_tmpl(fr->b, &fr->bg, &fr->t)) {
        fr->t.active = 1;
        fr->t.outline = !starts_with(l, "Scenario:");
        fr->t.ignored = fr->pending_ignore;
        fr->t.line = fr->lineno;
        fr->t.name = dup_s(fr->ld, skip_spaces(strchr(l, ':') + 1));
        fr->pending_ignore = 0;
        fr->sec = SEC_SCENARIO;
    }
}

static void start_examples(file_reader *fr)
{
    tck_table *ne = NULL;

    if (!fr->t.active || !fr->t.outline)
        fail(fr->ld, "%s:%d: Examples outside a Scenario Outline", fr->rel, fr->lineno);
    else if ((ne = realloc(fr->t.examples, (fr->t.nexamples + 1) * sizeof *ne)) == NULL)
        fail(fr->ld, "out of memory");
    if (ne) {
        fr->t.examples = ne;
        memset(&fr->t.examples[fr->t.nexamples++], 0, sizeof *ne);
        fr->sec = SEC_EXAMPLES;
    }
}

static void add_step(file_reader *fr, const char *l)
{
    step_list *sl = current_steps(fr);
    raw_step *rs;

    if (!sl)
        fail(fr->ld, "%s:%d: a step outside a scenario", fr->rel, fr->lineno);
    if (sl && grow(fr->ld, (void **)&sl->steps, &sl->cap, sl->n, sizeof *sl->steps)) {
        rs = &sl->steps[sl->n++];
        memset(rs, 0, sizeof *rs);
        rs->line = fr->lineno;
        rs->text = dup_s(fr->ld, skip_spaces(strchr(l, ' ')));
    }
}

/* One line outside doc strings, leading and trailing blanks removed. */
static void read_line(file_reader *fr, tck_file *f, char *line, const char *l)
{
    if (l[0] == '\0' || l[0] == '#') {
        /* blank or comment */
    } else if (starts_with(l, "\"\"\"") || starts_with(l, "```")) {
        char delim[4];
        memcpy(delim, l, 3);
        delim[3] = '\0';
        read_doc_string(fr, delim, (size_t)(l - line));
    } else if (l[0] == '|') {
        read_table_line(fr, l);
    } else if (l[0] == '@') {
        fr->pending_ignore = fr->pending_ignore || strstr(l, "@ignore") != NULL;
    } else if (starts_with(l, "Feature:")) {
        free(f->feature);
        f->feature = dup_s(fr->ld, skip_spaces(l + 8));
    } else if (starts_with(l, "Background:")) {
        fr->sec = SEC_BACKGROUND;
    } else if (starts_with(l, "Scenario:") || starts_with(l, "Scenario Outline:") ||
               starts_with(l, "Scenario Template:")) {
        start_scenario(fr, l);
    } else if (starts_with(l, "Examples:") || starts_with(l, "Scenarios:")) {
        start_examples(fr);
    } else if (starts_with(l, "Given ") || starts_with(l, "When ") || starts_with(l, "Then ") ||
               starts_with(l, "And ") || starts_with(l, "But ")) {
        add_step(fr, l);
    } else {
        fail(fr->ld, "%s:%d: unrecognised line: %s", fr->rel, fr->lineno, l);
    }
}

/* Reads one feature file (full path, rel for messages and the case paths)
 * and appends its cases to the suite. */
static int parse_file(builder *b, const char *full, const char *rel)
{
    tck_suite *s = b->suite;
    tck_file *f = NULL;
    char *data = NULL, *line;
    const char *slash = strchr(rel, '/');
    file_reader fr;
    size_t k;

    memset(&fr, 0, sizeof fr);
    fr.b = b;
    fr.ld = &b->ld;
    fr.rel = rel;
    if (grow(fr.ld, (void **)&s->files, &b->file_cap, s->nfiles, sizeof *s->files)) {
        f = &s->files[s->nfiles++];
        memset(f, 0, sizeof *f);
        f->first_case = s->ncases;
        f->path = dup_s(fr.ld, rel);
        slash = slash ? strchr(slash + 1, '/') : NULL;
        f->folder = slash ? dup_n(fr.ld, rel, (size_t)(slash - rel)) : dup_s(fr.ld, ".");
        data = read_file(fr.ld, full);
    }
    fr.next = fr.ld->failed ? NULL : data;
    while (!fr.ld->failed && (line = next_line(&fr)) != NULL) {
        char *l = line + (skip_spaces(line) - line);
        l[trimmed_len(l, strlen(l))] = '\0';
        read_line(&fr, f, line, l);
    }
    if (!fr.ld->failed)
        flush_tmpl(b, &fr.bg, &fr.t);
    if (!fr.ld->failed && !f->feature)
        f->feature = dup_s(fr.ld, rel);
    /* the cases borrow the file's strings, which no longer move */
    for (k = 0; !fr.ld->failed && k < f->ncases; k++) {
        s->cases[f->first_case + k].path = f->path;
        s->cases[f->first_case + k].folder = f->folder;
        s->cases[f->first_case + k].feature = f->feature;
    }
    tmpl_clear(&fr.t);
    steps_clear(&fr.bg);
    free(data);
    return !fr.ld->failed;
}

/* ---- directory walk -------------------------------------------------------- */

typedef struct path_list {
    char **paths;
    size_t n, cap;
} path_list;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the relative paths of *.feature files below root/rel. */
static int walk(loader *ld, const char *root, const char *rel, path_list *out)
{
    char *dirpath = NULL;
    DIR *d = NULL;
    struct dirent *de;
    int ok = 0;
    size_t n = strlen(root) + strlen(rel) + 2;

    dirpath = malloc(n);
    if (!dirpath) {
        fail(ld, "out of memory");
        goto done;
    }
    snprintf(dirpath, n, "%s%s%s", root, *rel ? "/" : "", rel);
    d = opendir(dirpath);
    if (!d) {
        fail(ld, "%s: cannot open the features folder: %s", dirpath, strerror(errno));
        goto done;
    }
    while ((de = readdir(d)) != NULL) {
        char *child;
        size_t cn, nl = strlen(de->d_name);
        struct stat st;
        char *full;
        if (de->d_name[0] == '.')
            continue;
        cn = strlen(rel) + nl + 2;
        child = malloc(cn);
        full = malloc(strlen(root) + cn + 1);
        if (!child || !full) {
            free(child);
            free(full);
            fail(ld, "out of memory");
            goto done;
        }
        snprintf(child, cn, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        sprintf(full, "%s/%s", root, child);
        if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            free(full);
            ok = walk(ld, root, child, out);
            free(child);
            if (!ok)
                goto done;
            ok = 0;
            continue;
        }
        free(full);
        if (nl > 8 && strcmp(de->d_name + nl - 8, ".feature") == 0) {
            if (!grow(ld, (void **)&out->paths, &out->cap, out->n, sizeof *out->paths)) {
                free(child);
                goto done;
            }
            out->paths[out->n++] = child;
        } else {
            free(child);
        }
    }
    ok = 1;
done:
    if (d)
        closedir(d);
    free(dirpath);
    return ok;
}

tck_suite *tck_suite_load(const char *dir, char *errbuf, size_t errlen)
{
    builder b;
    path_list pl = {0};
    size_t k;
    char *full = NULL;

    memset(&b, 0, sizeof b);
    b.ld.err = errbuf;
    b.ld.errlen = errlen;
    if (errbuf && errlen)
        errbuf[0] = '\0';
    b.suite = calloc(1, sizeof *b.suite);
    if (!b.suite) {
        fail(&b.ld, "out of memory");
        goto done;
    }
    if (!walk(&b.ld, dir, "", &pl))
        goto done;
    if (pl.n == 0) {
        fail(&b.ld, "%s: no .feature files found", dir);
        goto done;
    }
    qsort(pl.paths, pl.n, sizeof *pl.paths, cmp_str);
    for (k = 0; k < pl.n; k++) {
        size_t n = strlen(dir) + strlen(pl.paths[k]) + 2;
        full = malloc(n);
        if (!full) {
            fail(&b.ld, "out of memory");
            goto done;
        }
        snprintf(full, n, "%s/%s", dir, pl.paths[k]);
        if (!parse_file(&b, full, pl.paths[k]))
            goto done;
        free(full);
        full = NULL;
    }
done:
    free(full);
    for (k = 0; k < pl.n; k++)
        free(pl.paths[k]);
    free(pl.paths);
    if (b.ld.failed) {
        tck_suite_free(b.suite);
        return NULL;
    }
    return b.suite;
}

void tck_suite_free(tck_suite *s)
{
    size_t k;

    if (!s)
        return;
    for (k = 0; k < s->ncases; k++)
        case_free(&s->cases[k]);
    free(s->cases);
    for (k = 0; k < s->nfiles; k++) {
        free(s->files[k].path);
        free(s->files[k].folder);
        free(s->files[k].feature);
    }
    free(s->files);
    free(s);
}
