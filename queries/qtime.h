/* qtime.h — the clock of the query time limit (internal to queries/).
 *
 * One monotonic clock for every stage that a statement's --timeout covers:
 * parsing, binding, planning and running.
 */
#ifndef TG_QTIME_H
#define TG_QTIME_H

#include <time.h>

/* Seconds on CLOCK_MONOTONIC. */
static inline double tg_i_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The message of a statement stopped by its time limit, during what. */
#define TG_TIMEOUT_FMT "the query ran past its time limit of %g s and was stopped while %s"

#endif
