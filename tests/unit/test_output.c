/* test_output.c — the exporters' output layer (loaders/output.c): floats
 * written without printf are byte for byte what tg_format_double writes
 * (boundaries of the fast path, decimals, integers, random bit patterns),
 * XML escaping in attribute values and text, and the in-memory buffer
 * across its growth (the writers build cached text in it). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "output.h"
#include "tg_test.h"

/* What tg_i_out_double writes for d, NUL-terminated into buf. */
static const char *out_double(double d, char *buf, size_t cap)
{
    tg_out o;

    tg_i_out_memory(&o);
    tg_i_out_double(&o, d);
    snprintf(buf, cap, "%.*s", (int)o.n, o.buf);
    tg_i_out_abort(&o);
    return buf;
}

/* Checks d against tg_format_double; returns 1 when they agree. */
static int same_as_numfmt(double d)
{
    char want[48], got[64];

    tg_format_double(d, want);
    out_double(d, got, sizeof got);
    if (strcmp(want, got) != 0) {
        fprintf(stderr, "%s: %a: tg_i_out_double wrote %s, tg_format_double %s\n", tg_test_current,
                d, got, want);
        return 0;
    }
    return 1;
}

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void t_double_table(void)
{
    static const struct {
        double d;
        const char *want;
    } cases[] = {
        {1700000.0, "1700000.0"},
        {22300000000.93, "22300000000.93"},
        {0.35, "0.35"},
        {0.0035, "0.0035"},
        {1e-4, "0.0001"},
        {-1.5, "-1.5"},
        {0.1, "0.1"},
        {0.30000000000000004, "0.30000000000000004"},
        {123456789012345.0, "123456789012345.0"},
        {999999999999999.0, "999999999999999.0"},
        {1e15, "1000000000000000.0"},
        {1234567890123456.0, "1234567890123456.0"},
        {1e16, "1.0e16"},
        {9007199254740993.0, "9007199254740992.0"},
        {0.0, "0.0"},
        {-0.0, "-0.0"},
        {5e-324, "5.0e-324"},
        {DBL_MAX, "1.7976931348623157e308"},
        {1.5e20, "1.5e20"},
        {0.00001, "1.0e-5"},
        {2019.0, "2019.0"},
    };
    char got[64];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TG_CHECK_STR(out_double(cases[i].d, got, sizeof got), cases[i].want);
        TG_CHECK(same_as_numfmt(cases[i].d));
    }
    TG_CHECK_STR(out_double(NAN, got, sizeof got), "NaN");
    TG_CHECK_STR(out_double(INFINITY, got, sizeof got), "Infinity");
    TG_CHECK_STR(out_double(-INFINITY, got, sizeof got), "-Infinity");
}

/* The fast path's edges: around 1e-4 and 1e15, and the neighbours of
 * short decimals (which need 16 or 17 digits and must take the long way). */
static void t_double_edges(void)
{
    static const double around[] = {1e-4,
                                    1e15,
                                    0.1,
                                    0.35,
                                    1.0,
                                    1700000.0,
                                    22300000000.93,
                                    123456789012345.0,
                                    99999999999999.99,
                                    0.0001234};
    size_t i;
    int k, bad = 0;

    for (i = 0; i < sizeof around / sizeof around[0]; i++) {
        double up = around[i], down = around[i];
        for (k = 0; k < 50; k++) {
            bad += !same_as_numfmt(up) + !same_as_numfmt(-up);
            bad += !same_as_numfmt(down) + !same_as_numfmt(-down);
            up = nextafter(up, INFINITY);
            down = nextafter(down, 0);
        }
    }
    TG_CHECK_INT(bad, 0);
}

/* Decimals of every length and scale, and random bit patterns. */
static void t_double_random(void)
{
    static const double p10[] = {1,    1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                                 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
    uint64_t s = 0x9E3779B97F4A7C15u;
    int i, bad = 0;

    for (i = 0; i < 50000; i++) {
        uint64_t r = next_random(&s), bits = next_random(&s);
        uint64_t digits = r % 10000000000000000u >> (r % 40); /* 0 to 16 digits */
        double d = (double)digits / p10[(r >> 8) % 19];
        double x;
        memcpy(&x, &bits, sizeof x);
        bad += !same_as_numfmt(d) + !same_as_numfmt(-d) + !same_as_numfmt(x);
        bad += !same_as_numfmt((double)(int64_t)(r >> (r % 64)));
    }
    TG_CHECK_INT(bad, 0);
}

/* Escaping: a table of inputs and the attribute and text forms. */
static void t_xml(void)
{
    static const struct {
        const char *in;
        size_t len;
        const char *attr, *text;
        size_t bad;
    } cases[] = {
        {"plain", 5, "plain", "plain", 0},
        {"", 0, "", "", 0},
        {"a&b<c>d\"e", 9, "a&amp;b&lt;c&gt;d&quot;e", "a&amp;b&lt;c&gt;d\"e", 0},
        {"t\tn\nr\r", 6, "t&#9;n&#10;r&#13;", "t\tn\nr&#13;", 0},
        {"x\x01y\x1f", 4, "x\xEF\xBF\xBDy\xEF\xBF\xBD", "x\xEF\xBF\xBDy\xEF\xBF\xBD", 2},
        {"\xEF\xBF\xBE|\xEF\xBF\xBF", 7, "\xEF\xBF\xBD|\xEF\xBF\xBD", "\xEF\xBF\xBD|\xEF\xBF\xBD",
         2},
        {"\xEF\xBC\xA1\xEF", 4, "\xEF\xBC\xA1\xEF", "\xEF\xBC\xA1\xEF", 0}, /* U+FF21; a cut */
        {"\xEF\xBF", 2, "\xEF\xBF", "\xEF\xBF", 0},
        {"a\0b", 3,
         "a\xEF\xBF\xBD"
         "b",
         "a\xEF\xBF\xBD"
         "b",
         1},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tg_out o;
        char got[128];
        size_t bad;
        tg_i_out_memory(&o);
        bad = tg_i_out_xml(&o, cases[i].in, cases[i].len);
        snprintf(got, sizeof got, "%.*s", (int)o.n, o.buf);
        TG_CHECK_STR(got, cases[i].attr);
        TG_CHECK_INT(bad, cases[i].bad);
        o.n = 0;
        bad = tg_i_out_xml_text(&o, cases[i].in, cases[i].len);
        snprintf(got, sizeof got, "%.*s", (int)o.n, o.buf);
        TG_CHECK_STR(got, cases[i].text);
        TG_CHECK_INT(bad, cases[i].bad);
        tg_i_out_abort(&o);
    }
}

/* The memory buffer: starts in the struct, grows on the heap, keeps every
 * byte in order through writes, reserves and single characters. */
static void t_memory(void)
{
    tg_out o;
    size_t i, n = 0;
    int bad = 0;

    tg_i_out_memory(&o);
    for (i = 0; i < 5000; i++) {
        char *p;
        switch (i % 4) {
        case 0:
            tg_i_out_write(&o, "abcdefghij", 1 + i % 10);
            n += 1 + i % 10;
            break;
        case 1:
            tg_i_out_char(&o, 'z');
            n++;
            break;
        case 2:
            p = tg_i_out_reserve(&o, TG_OUT_SPAN);
            memset(p, 'r', TG_OUT_SPAN); /* all of it may be written */
            tg_i_out_advance(&o, p + 3);
            n += 3;
            break;
        default: tg_i_out_int(&o, -(int64_t)i); n += (size_t)snprintf(NULL, 0, "%d", -(int)i);
        }
        bad += o.n != n;
    }
    TG_CHECK_INT(bad, 0);
    TG_CHECK_INT(o.err_no, 0);
    TG_CHECK(memcmp(o.buf, "azrrr-3abcdezrrr-7", 18) == 0);
    tg_i_out_int(&o, INT64_MIN);
    TG_CHECK(o.n >= 20 && memcmp(o.buf + o.n - 20, "-9223372036854775808", 20) == 0);
    tg_i_out_abort(&o);
}

int main(void)
{
    TG_RUN(t_double_table);
    TG_RUN(t_double_edges);
    TG_RUN(t_double_random);
    TG_RUN(t_xml);
    TG_RUN(t_memory);
    return tg_test_finish();
}
