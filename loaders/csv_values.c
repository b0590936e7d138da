/* csv_values.c — typed values from CSV cells (see csv_values.h). */
#include "csv_values.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "temporal.h"
#include "text.h"

static const struct {
    const char *name;
    int vtype;
} type_names[] = {
    {"int", TG_V_INT},           {"long", TG_V_INT},
    {"short", TG_V_INT},         {"byte", TG_V_INT},
    {"float", TG_V_FLOAT},       {"double", TG_V_FLOAT},
    {"boolean", TG_V_BOOL},      {"bool", TG_V_BOOL},
    {"string", TG_V_STRING},     {"char", TG_V_STRING},
    {"date", TG_V_DATE},         {"localtime", TG_V_LOCALTIME},
    {"time", TG_V_TIME},         {"localdatetime", TG_V_LOCALDATETIME},
    {"datetime", TG_V_DATETIME}, {"duration", TG_V_DURATION},
};

int tg_i_ctype_parse(const char *s, size_t len, tg_ctype *t)
{
    size_t i;

    t->list = 0;
    if (len >= 2 && s[len - 2] == '[' && s[len - 1] == ']') {
        t->list = 1;
        len -= 2;
    }
    for (i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (strlen(type_names[i].name) == len && strncasecmp(type_names[i].name, s, len) == 0) {
            t->vtype = type_names[i].vtype;
            return 0;
        }
    return -1;
}

void tg_i_cvals_reset(tg_cvals *v)
{
    v->n = 0;
}

void tg_i_cvals_free(tg_cvals *v)
{
    free(v->items);
    memset(v, 0, sizeof *v);
}

/* Strips ASCII blanks around a number or boolean (spreadsheets pad them). */
static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* One scalar of type vt from s[0..len) into *v; 0 or -1 with msg. */
static int scalar(tg_graph *g, const char *s, size_t len, int vt, tg_pval *v, char *msg,
                  size_t cap)
{
    char buf[64], q[96];
    char *end;

    memset(v, 0, sizeof *v);
    v->type = (uint8_t)vt;
    if (vt == TG_V_STRING) {
        v->u.s = len ? tg_graph_intern(g, s, len) : 0;
        if (len && !v->u.s) {
            snprintf(msg, cap, "out of memory");
            return -2;
        }
        return 0;
    }
    trim(&s, &len);
    if (tg_time_is_kind(vt)) {
        /* ISO 8601 text, as date() etc. read it; a datetime without zone is UTC */
        tg_temporal t;
        tg_error e;
        tg_status st = tg_time_parse(s, len, vt, &t, &e);
        if (st == TG_OK)
            st = tg_graph_make_temporal(g, &t, v, &e);
        if (st == TG_ENOMEM) {
            snprintf(msg, cap, "out of memory");
            return -2;
        }
        if (st != TG_OK) {
            snprintf(msg, cap, "%s", e.message);
            return -1;
        }
        return 0;
    }
    if (vt == TG_V_BOOL) {
        if (len == 4 && strncasecmp(s, "true", 4) == 0)
            v->u.b = 1;
        else if (len == 5 && strncasecmp(s, "false", 5) == 0)
            v->u.b = 0;
        else {
            snprintf(msg, cap, "%s is not a boolean; expected true or false",
                     tg_i_quote(q, sizeof q, s, len));
            return -1;
        }
        return 0;
    }
    if (len == 0 || len >= sizeof buf) {
        snprintf(msg, cap, "%s is not a number; expected %s", tg_i_quote(q, sizeof q, s, len),
                 vt == TG_V_INT ? "a whole number such as 2015" : "a number such as 1.5e6");
        return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    if (vt == TG_V_INT) {
        long long x = strtoll(buf, &end, 10);
        if (*end || end == buf) {
            snprintf(msg, cap, "%s is not an integer; expected a whole number such as 2015",
                     tg_i_quote(q, sizeof q, s, len));
            return -1;
        }
        if (errno == ERANGE) {
            snprintf(msg, cap,
                     "%s is out of range for an integer (64 bits); expected a float column "
                     "(:float) for it",
                     tg_i_quote(q, sizeof q, s, len));
            return -1;
        }
        v->u.i = x;
        return 0;
    }
    {
        double x = strtod(buf, &end);
        if (*end || end == buf) {
            snprintf(msg, cap, "%s is not a number; expected a number such as 1.5e6",
                     tg_i_quote(q, sizeof q, s, len));
            return -1;
        }
        if (errno == ERANGE && isinf(x)) {
            snprintf(msg, cap, "%s is too large for a float", tg_i_quote(q, sizeof q, s, len));
            return -1;
        }
        v->u.f = x;
    }
    return 0;
}

int tg_i_cvalue(tg_graph *g, const char *s, size_t len, const tg_ctype *t, char adelim,
                tg_cvals *vals, tg_iprop *p, char *msg, size_t cap, size_t *bad_off)
{
    size_t at = 0, first = vals->n, count = 0;

    *bad_off = 0;
    if (!t->list)
        return scalar(g, s, len, t->vtype, &p->v, msg, cap);
    memset(&p->v, 0, sizeof p->v);
    while (at <= len) {
        const char *e = memchr(s + at, adelim, len - at);
        size_t end = e ? (size_t)(e - s) : len;
        int r;
        if (tg_i_grow((void **)&vals->items, &vals->cap, vals->n + 1, sizeof *vals->items) != 0) {
            snprintf(msg, cap, "out of memory");
            return -2;
        }
        if ((r = scalar(g, s + at, end - at, t->vtype, &vals->items[vals->n], msg, cap)) != 0) {
            *bad_off = at;
            return r;
        }
        vals->n++;
        count++;
        if (!e)
            break;
        at = end + 1;
    }
    p->v.type = TG_V_LIST;
    p->v.elem = (uint8_t)t->vtype;
    p->v.len = (uint32_t)count;
    p->v.u.list = (uint32_t)first;
    p->items = NULL;
    return 0;
}

void tg_i_cvals_fix(tg_cvals *vals, tg_iprop *props, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (props[i].v.type == TG_V_LIST)
            props[i].items = vals->items + props[i].v.u.list;
}
