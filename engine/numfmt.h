/* numfmt.h — formatting numbers as text. */
#ifndef TG_NUMFMT_H
#define TG_NUMFMT_H

/* Writes d into buf (at least 40 bytes) in the shortest form that reads back
 * as the same double, always with a decimal point or an exponent so that a
 * float stays distinct from an integer ("1.0", "1.5e+20" is "1.5e20",
 * "0.001"); NaN and the infinities are "NaN", "Infinity", "-Infinity". */
void tg_format_double(double d, char *buf);

#endif
