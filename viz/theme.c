/* theme.c — the built-in diagram theme and the theme file reader.
 *
 * A theme file is UTF-8 text, one setting a line:
 *     # comment (from a '#' at the start of a line or after a blank)
 *     graph.fontname = Helvetica,Arial,sans-serif
 *     label.Company.fillcolor = #77AADD
 *     label.Vessel.shape = ellipse      (a new label: drawn before unknown ones)
 *     label.*.fillcolor = #EEEEEE       (labels the theme does not name)
 *     type.FINANCES.color = "#D55E00"   (quotes are optional)
 * Every value is checked against what its attribute accepts (a colour, a
 * known shape, a list of known styles, a number, a font list), so nothing
 * but these small vocabularies reaches the DOT text. Errors carry the
 * file, line and column of the offending part.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz_internal.h"

/* ---- the built-in theme ------------------------------------------------------- */

/* Labels in priority order. Fills are Paul Tol's "light" scheme (safe for
 * colour-blind readers and legible under black text); shapes tell the kinds
 * apart in grey-scale print too. */
static const struct {
    const char *name, *shape, *style, *fill, *color, *peripheries;
} default_labels[] = {
    {"Lender", "cylinder", "filled", "#EEDD88", "#AA9933", ""},
    {"Government", "box3d", "filled", "#EE8866", "#BB5533", ""},
    {"University", "tab", "filled", "#BBCC33", "#778822", ""},
    {"Project", "hexagon", "filled", "#44BB99", "#227766", ""},
    {"Law", "note", "filled", "#EEEEBB", "#888844", ""},
    {"Person", "ellipse", "filled", "#FFAABB", "#CC6677", ""},
    {"Country", "ellipse", "filled", "#F4F4F4", "#888888", "2"},
    {"Organization", "component", "filled", "#CCDDAA", "#778855", ""},
    {"Subsidiary", "box", "filled,rounded,dashed", "#99DDFF", "#4477AA", ""},
    {"Company", "box", "filled,rounded", "#77AADD", "#4477AA", ""},
};

/* Relation types. The ties a report is about (money, contracts, supply,
 * ownership, obligations, sanctions) are in Okabe and Ito's palette, which
 * stays distinct under deuteranopia and protanopia (tests/unit/test_viz.c
 * checks it with a simulation); context ties (where, membership,
 * partnership, training, leadership) are grey, told apart by line and
 * arrow. */
static const struct {
    const char *name, *color, *style, *arrowhead;
} default_types[] = {
    {"OWNS", "#0072B2", "solid", "normal"},         {"FINANCES", "#D55E00", "bold", "normal"},
    {"CONTRACTS", "#009E73", "solid", "normal"},    {"SUBCONTRACTS", "#009E73", "dashed", "normal"},
    {"SUPPLIES", "#E69F00", "solid", "normal"},     {"BUILDS", "#CC79A7", "solid", "normal"},
    {"PARTNERS_WITH", "#777777", "dashed", "none"}, {"LOCATED_IN", "#AAAAAA", "dotted", "normal"},
    {"OPERATES_IN", "#AAAAAA", "dashed", "normal"}, {"MEMBER_OF", "#888888", "solid", "empty"},
    {"LEADS", "#555555", "solid", "vee"},           {"SANCTIONS", "#000000", "bold", "tee"},
    {"SUBJECT_TO", "#882255", "dashed", "normal"},  {"TRAINS", "#777777", "dotted", "vee"},
};

static void copy(char *dst, const char *src)
{
    snprintf(dst, TG_I_VIZ_VALUE_MAX, "%s", src);
}

void tg_i_viz_theme_default(tg_i_viz_theme *t)
{
    size_t i;
    tg_i_viz_graph_style *gs = &t->graph;

    memset(t, 0, sizeof *t);
    for (i = 0; i < sizeof default_labels / sizeof default_labels[0]; i++) {
        tg_i_viz_style *s = &t->labels[t->nlabels++];
        copy(s->name, default_labels[i].name);
        copy(s->shape, default_labels[i].shape);
        copy(s->style, default_labels[i].style);
        copy(s->fillcolor, default_labels[i].fill);
        copy(s->color, default_labels[i].color);
        copy(s->peripheries, default_labels[i].peripheries);
    }
    for (i = 0; i < sizeof default_types / sizeof default_types[0]; i++) {
        tg_i_viz_style *s = &t->types[t->ntypes++];
        copy(s->name, default_types[i].name);
        copy(s->color, default_types[i].color);
        copy(s->style, default_types[i].style);
        copy(s->arrowhead, default_types[i].arrowhead);
    }
    copy(t->other_label.name, "*");
    copy(t->other_label.shape, "box");
    copy(t->other_label.style, "filled");
    copy(t->other_label.fillcolor, "#DDDDDD");
    copy(t->other_label.color, "#888888");
    copy(t->other_type.name, "*");
    copy(t->other_type.color, "#666666");
    copy(t->other_type.style, "solid");
    copy(t->other_type.arrowhead, "normal");

    copy(gs->fontname, "Helvetica,Arial,sans-serif");
    copy(gs->fontsize, "11");
    copy(gs->edge_fontsize, "9");
    copy(gs->title_fontsize, "16");
    copy(gs->note_fontsize, "9");
    copy(gs->fontcolor, "#222222");
    copy(gs->edge_fontcolor, "#444444");
    copy(gs->note_fontcolor, "#555555");
    copy(gs->bgcolor, "#FFFFFF");
    copy(gs->pad, "0.3");
    copy(gs->nodesep, "0.35");
    copy(gs->ranksep, "0.55");
    copy(gs->cluster_color, "#BBBBBB");
    copy(gs->cluster_fillcolor, "#F7F7F7");
    copy(gs->highlight_penwidth, "3");
    copy(gs->penwidth, "1.2");
    copy(gs->wrap, "24");
}

const tg_i_viz_style *tg_i_viz_theme_label(const tg_i_viz_theme *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->nlabels; i++)
        if (!strcmp(t->labels[i].name, name))
            return &t->labels[i];
    return NULL;
}

const tg_i_viz_style *tg_i_viz_theme_type(const tg_i_viz_theme *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->ntypes; i++)
        if (!strcmp(t->types[i].name, name))
            return &t->types[i];
    return NULL;
}

/* ---- value checks ------------------------------------------------------------- */

typedef enum vkind { V_COLOR, V_SHAPE, V_NSTYLE, V_ESTYLE, V_ARROW, V_NUMBER, V_INT, V_FONT } vkind;

static const char *const shapes[] = {
    "box",          "rect",         "rectangle", "square",        "ellipse",       "oval",
    "circle",       "doublecircle", "point",     "egg",           "triangle",      "plaintext",
    "plain",        "diamond",      "trapezium", "parallelogram", "house",         "pentagon",
    "hexagon",      "septagon",     "octagon",   "doubleoctagon", "tripleoctagon", "invtriangle",
    "invtrapezium", "invhouse",     "Mdiamond",  "Msquare",       "Mcircle",       "note",
    "tab",          "folder",       "box3d",     "component",     "cylinder",      "underline",
    "star",         "none",
};
static const char *const node_styles[] = {"filled", "rounded", "dashed",    "dotted",
                                          "bold",   "solid",   "diagonals", "invis"};
static const char *const edge_styles[] = {"solid", "dashed", "dotted", "bold", "invis", "tapered"};
static const char *const arrows[] = {"normal",  "inv",      "dot",      "invdot", "odot",
                                     "invodot", "none",     "tee",      "empty",  "invempty",
                                     "diamond", "odiamond", "ediamond", "crow",   "box",
                                     "obox",    "open",     "halfopen", "vee"};

static int in_list(const char *s, size_t n, const char *const *list, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++)
        if (strlen(list[i]) == n && !strncmp(list[i], s, n))
            return 1;
    return 0;
}

#define IN_LIST(s, n, list) in_list(s, n, list, sizeof list / sizeof list[0])

/* Whether v is valid for kind; *what names what was expected. */
static int valid_value(vkind kind, const char *v, const char **what)
{
    size_t n = strlen(v), i;

    switch (kind) {
    case V_COLOR:
        *what = "a colour (#RGB, #RRGGBB, #RRGGBBAA or a name such as navy)";
        if (v[0] == '#') {
            if (n != 4 && n != 7 && n != 9)
                return 0;
            for (i = 1; i < n; i++)
                if (!isxdigit((unsigned char)v[i]))
                    return 0;
            return 1;
        }
        if (!n || !isalpha((unsigned char)v[0]))
            return 0;
        for (i = 0; i < n; i++)
            if (!isalnum((unsigned char)v[i]))
                return 0;
        return 1;
    case V_SHAPE:
        *what = "a graphviz shape (box, ellipse, hexagon, cylinder, note, tab, ...)";
        return IN_LIST(v, n, shapes);
    case V_NSTYLE:
    case V_ESTYLE:
        *what = kind == V_NSTYLE
                    ? "styles separated by ',' (filled, rounded, dashed, dotted, bold, solid, "
                      "diagonals, invis)"
                    : "styles separated by ',' (solid, dashed, dotted, bold, invis, tapered)";
        if (!n)
            return 0;
        for (i = 0; i <= n;) {
            size_t j = i;
            while (j < n && v[j] != ',')
                j++;
            if (kind == V_NSTYLE ? !IN_LIST(v + i, j - i, node_styles)
                                 : !IN_LIST(v + i, j - i, edge_styles))
                return 0;
            i = j + 1;
        }
        return 1;
    case V_ARROW:
        *what = "an arrow shape (normal, none, tee, vee, dot, diamond, ...)";
        return IN_LIST(v, n, arrows);
    case V_NUMBER:
    case V_INT: {
        char *end;
        double d;
        *what = kind == V_INT ? "a whole number from 8 to 200" : "a non-negative number";
        if (!n || !(isdigit((unsigned char)v[0]) || v[0] == '.'))
            return 0;
        errno = 0;
        d = strtod(v, &end);
        if (*end || errno || d < 0 || d > 1000)
            return 0;
        if (kind == V_INT)
            for (i = 0; i < n; i++)
                if (!isdigit((unsigned char)v[i]) || d < 8 || d > 200)
                    return 0;
        return 1;
    }
    case V_FONT:
        *what = "font names separated by ',' (letters, digits, spaces, '-', '_', '.')";
        if (!n)
            return 0;
        for (i = 0; i < n; i++)
            if (!isalnum((unsigned char)v[i]) && !strchr(" ,-_.", v[i]))
                return 0;
        return 1;
    }
    return 0;
}

/* ---- keys --------------------------------------------------------------------- */

typedef struct attr_def {
    const char *name;
    vkind kind;
    size_t offset;
} attr_def;

#define SA(field, kind)                                                                            \
    {                                                                                              \
#field, kind, offsetof(tg_i_viz_style, field)                                              \
    }
static const attr_def label_attrs[] = {
    SA(shape, V_SHAPE),     SA(style, V_NSTYLE),    SA(fillcolor, V_COLOR),    SA(color, V_COLOR),
    SA(fontcolor, V_COLOR), SA(penwidth, V_NUMBER), SA(peripheries, V_NUMBER),
};
static const attr_def type_attrs[] = {
    SA(color, V_COLOR),     SA(style, V_ESTYLE),    SA(arrowhead, V_ARROW),
    SA(fontcolor, V_COLOR), SA(penwidth, V_NUMBER),
};
#undef SA
#define GA(field, kind)                                                                            \
    {                                                                                              \
#field, kind, offsetof(tg_i_viz_graph_style, field)                                        \
    }
static const attr_def graph_attrs[] = {
    GA(fontname, V_FONT),
    GA(fontsize, V_NUMBER),
    GA(edge_fontsize, V_NUMBER),
    GA(title_fontsize, V_NUMBER),
    GA(note_fontsize, V_NUMBER),
    GA(fontcolor, V_COLOR),
    GA(edge_fontcolor, V_COLOR),
    GA(note_fontcolor, V_COLOR),
    GA(bgcolor, V_COLOR),
    GA(pad, V_NUMBER),
    GA(nodesep, V_NUMBER),
    GA(ranksep, V_NUMBER),
    GA(cluster_color, V_COLOR),
    GA(cluster_fillcolor, V_COLOR),
    GA(highlight_penwidth, V_NUMBER),
    GA(penwidth, V_NUMBER),
    GA(wrap, V_INT),
};
#undef GA

static const attr_def *find_attr(const attr_def *defs, size_t n, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strlen(defs[i].name) == len && !strncmp(defs[i].name, s, len))
            return &defs[i];
    return NULL;
}

static void list_attrs(char *buf, size_t cap, const attr_def *defs, size_t n)
{
    size_t i, used = 0;

    buf[0] = '\0';
    for (i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", defs[i].name);
}

/* The style named name[0..len) in a list, created (empty) when missing. */
static tg_i_viz_style *style_slot(tg_i_viz_style *list, size_t *count, const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < *count; i++)
        if (strlen(list[i].name) == len && !strncmp(list[i].name, name, len))
            return &list[i];
    if (*count == TG_I_VIZ_STYLES_MAX)
        return NULL;
    memset(&list[*count], 0, sizeof list[*count]);
    memcpy(list[*count].name, name, len);
    return &list[(*count)++];
}

/* A label or type name: letters, digits, '_' (what a query names unquoted). */
static int valid_name(const char *s, size_t n)
{
    size_t i;

    if (!n || n >= TG_I_VIZ_NAME_MAX)
        return 0;
    if (n == 1 && s[0] == '*')
        return 1;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return 0;
    return 1;
}

/* One `key = value` line, line[0..n) (no newline), number lno. */
static tg_status parse_line(tg_i_viz_theme *t, const char *file, long lno, const char *line,
                            size_t n, tg_error *err)
{
    size_t i = 0, kstart, kend, vstart, vend;
    char key[256], value[TG_I_VIZ_VALUE_MAX], names[256];
    const char *what = "";
    const attr_def *def = NULL;
    char *base = NULL;
    const char *dot1, *dot2;
    tg_status st = TG_OK;

    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == n || line[i] == '#') /* blank or a comment */
        goto done;
    kstart = i;
    while (i < n && line[i] != '=' && line[i] != ' ' && line[i] != '\t')
        i++;
    kend = i;
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == n || line[i] != '=') {
        st = tg_error_set(err, TG_EDATA, file, lno, (long)i + 1,
                          "expected '=' after the key; a theme line reads `key = value`");
        goto done;
    }
    i++;
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    vstart = i;
    vend = n;
    /* A '#' after a blank starts a comment; a value may itself start with
     * '#' (a colour), and a quoted value may hold " #". */
    {
        size_t k;
        int quoted = 0;
        for (k = vstart; k < n; k++) {
            if (line[k] == '"')
                quoted = !quoted;
            else if (!quoted && line[k] == '#' && k > vstart &&
                     (line[k - 1] == ' ' || line[k - 1] == '\t')) {
                vend = k;
                break;
            }
        }
    }
    while (vend > vstart && (line[vend - 1] == ' ' || line[vend - 1] == '\t'))
        vend--;
    if (vend > vstart && line[vstart] == '"') {
        if (vend - vstart < 2 || line[vend - 1] != '"') {
            st = tg_error_set(err, TG_EDATA, file, lno, (long)vstart + 1,
                              "unterminated quoted value");
            goto done;
        }
        vstart++;
        vend--;
    }
    if (kend - kstart >= sizeof key) {
        st = tg_error_set(err, TG_EDATA, file, lno, (long)kstart + 1, "key too long");
        goto done;
    }
    memcpy(key, line + kstart, kend - kstart);
    key[kend - kstart] = '\0';
    if (vend - vstart >= sizeof value) {
        st = tg_error_set(err, TG_EDATA, file, lno, (long)vstart + 1,
                          "value too long (at most %d bytes)", TG_I_VIZ_VALUE_MAX - 1);
        goto done;
    }
    memcpy(value, line + vstart, vend - vstart);
    value[vend - vstart] = '\0';

    dot1 = strchr(key, '.');
    if (dot1 && !strncmp(key, "graph.", 6)) {
        def = find_attr(graph_attrs, sizeof graph_attrs / sizeof graph_attrs[0], key + 6,
                        strlen(key + 6));
        if (!def) {
            list_attrs(names, sizeof names, graph_attrs,
                       sizeof graph_attrs / sizeof graph_attrs[0]);
            st = tg_error_set(err, TG_EDATA, file, lno, (long)kstart + 7,
                              "unknown graph setting '%s'; expected one of %s", key + 6, names);
            goto done;
        }
        base = (char *)&t->graph;
    } else if (dot1 && (!strncmp(key, "label.", 6) || !strncmp(key, "type.", 5))) {
        int is_label = key[0] == 'l';
        const attr_def *defs = is_label ? label_attrs : type_attrs;
        size_t ndefs = is_label ? sizeof label_attrs / sizeof label_attrs[0]
                                : sizeof type_attrs / sizeof type_attrs[0];
        const char *name = dot1 + 1;
        tg_i_viz_style *s;
        dot2 = strrchr(name, '.');
        if (!dot2 || !valid_name(name, (size_t)(dot2 - name))) {
            st = tg_error_set(err, TG_EDATA, file, lno, (long)(kstart + (size_t)(name - key)) + 1,
                              "expected %s.NAME.ATTRIBUTE with NAME made of letters, digits "
                              "and '_' (or '*' for the ones the theme does not name)",
                              is_label ? "label" : "type");
            goto done;
        }
        def = find_attr(defs, ndefs, dot2 + 1, strlen(dot2 + 1));
        if (!def) {
            list_attrs(names, sizeof names, defs, ndefs);
            st = tg_error_set(err, TG_EDATA, file, lno,
                              (long)(kstart + (size_t)(dot2 + 1 - key)) + 1,
                              "unknown %s attribute '%s'; expected one of %s",
                              is_label ? "label" : "type", dot2 + 1, names);
            goto done;
        }
        if (dot2 - name == 1 && name[0] == '*')
            s = is_label ? &t->other_label : &t->other_type;
        else if (is_label)
            s = style_slot(t->labels, &t->nlabels, name, (size_t)(dot2 - name));
        else
            s = style_slot(t->types, &t->ntypes, name, (size_t)(dot2 - name));
        if (!s) {
            st = tg_error_set(err, TG_EDATA, file, lno, (long)kstart + 1,
                              "too many %s in the theme (at most %d)",
                              is_label ? "labels" : "types", TG_I_VIZ_STYLES_MAX);
            goto done;
        }
        base = (char *)s;
    } else {
        st = tg_error_set(err, TG_EDATA, file, lno, (long)kstart + 1,
                          "unknown key '%s'; expected graph.SETTING, label.NAME.ATTRIBUTE "
                          "or type.NAME.ATTRIBUTE",
                          key);
        goto done;
    }
    if (!valid_value(def->kind, value, &what)) {
        st = tg_error_set(err, TG_EDATA, file, lno, (long)vstart + 1,
                          "bad value '%s' for %s; expected %s", value, key, what);
        goto done;
    }
    copy(base + def->offset, value);
done:
    return st;
}

tg_status tg_i_viz_theme_parse(tg_i_viz_theme *t, const char *name, const char *text, size_t len,
                               tg_error *err)
{
    size_t i = 0;
    long lno = 1;
    tg_status st = TG_OK;

    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) /* a UTF-8 byte order mark */
        i = 3;
    while (i < len && st == TG_OK) {
        size_t end = i;
        while (end < len && text[end] != '\n')
            end++;
        st = parse_line(t, name, lno, text + i,
                        (end > i && text[end - 1] == '\r') ? end - i - 1 : end - i, err);
        if (st == TG_OK && memchr(text + i, '\0', end - i))
            st = tg_error_set(err, TG_EDATA, name, lno, 1, "a NUL byte in the theme file");
        i = end + 1;
        lno++;
    }
    return st;
}

tg_status tg_i_viz_theme_load(tg_i_viz_theme *t, const char *path, tg_error *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0;
    tg_status st = TG_OK;

    if (!f) {
        st = tg_error_set(err, TG_ENOENT, path, 0, 0, "cannot read the theme file: %s",
                          strerror(errno));
        goto done;
    }
    /* Theme files are small; a cap keeps a wrong path from eating memory. */
    buf = malloc(1 << 20);
    if (!buf) {
        st = tg_error_set(err, TG_ENOMEM, path, 0, 0, "out of memory");
        goto done;
    }
    n = fread(buf, 1, 1 << 20, f);
    if (ferror(f)) {
        st = tg_error_set(err, TG_ENOENT, path, 0, 0, "cannot read the theme file");
        goto done;
    }
    if (n == 1 << 20) {
        st = tg_error_set(err, TG_EDATA, path, 0, 0, "the theme file is larger than 1 MiB");
        goto done;
    }
    st = tg_i_viz_theme_parse(t, path, buf, n, err);
done:
    free(buf);
    if (f)
        fclose(f);
    return st;
}
