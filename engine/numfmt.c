/* numfmt.c — numbers as text, the same way everywhere: query output,
 * exports and diagrams. */
#include "numfmt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tg_format_double(double d, char *buf)
{
    char tmp[40];
    int prec;
    if (isnan(d)) {
        strcpy(buf, "NaN");
        return;
    }
    if (isinf(d)) {
        strcpy(buf, d > 0 ? "Infinity" : "-Infinity");
        return;
    }
    if (fabs(d) >= DBL_MIN) {
        /* A normal double's shortest form has at most 17 digits, and when it
         * has at most 15, the 15-digit rounding is that form padded with
         * zeros (the double is within a half-ulp, 1.1e-16 relative, of it;
         * 15-digit neighbours are 1e-15 apart), which the trimming below
         * removes: 1 to 3 tries instead of up to 17. Subnormals have fewer
         * bits and take the search. */
        for (prec = 15; prec <= 17; prec++) {
            snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
            if (strtod(tmp, NULL) == d)
                break;
        }
    } else {
        for (prec = 1; prec <= 17; prec++) {
            snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
            if (strtod(tmp, NULL) == d)
                break;
        }
    }
    {
        /* tmp is m.mmme[+-]XX: rebuild in plain or exponent form */
        char mant[32];
        int exp10;
        char *e = strchr(tmp, 'e');
        size_t ml;
        int neg = tmp[0] == '-';
        exp10 = atoi(e + 1);
        ml = 0;
        for (char *p = tmp + neg; p < e; p++)
            if (*p != '.')
                mant[ml++] = *p;
        mant[ml] = 0;
        while (ml > 1 && mant[ml - 1] == '0')
            mant[--ml] = 0;
        if (exp10 >= 16 || exp10 < -4) {
            size_t k = 0;
            if (neg)
                buf[k++] = '-';
            buf[k++] = mant[0];
            buf[k++] = '.';
            if (ml > 1) {
                memcpy(buf + k, mant + 1, ml - 1);
                k += ml - 1;
            } else
                buf[k++] = '0';
            k += (size_t)sprintf(buf + k, "e%d", exp10);
            buf[k] = 0;
        } else if (exp10 >= 0) {
            size_t k = 0, intd = (size_t)exp10 + 1;
            if (neg)
                buf[k++] = '-';
            for (size_t i = 0; i < intd; i++)
                buf[k++] = i < ml ? mant[i] : '0';
            buf[k++] = '.';
            if (ml > intd) {
                memcpy(buf + k, mant + intd, ml - intd);
                k += ml - intd;
            } else
                buf[k++] = '0';
            buf[k] = 0;
        } else {
            size_t k = 0;
            if (neg)
                buf[k++] = '-';
            buf[k++] = '0';
            buf[k++] = '.';
            for (int i = 0; i < -exp10 - 1; i++)
                buf[k++] = '0';
            memcpy(buf + k, mant, ml);
            k += ml;
            buf[k] = 0;
        }
    }
}
