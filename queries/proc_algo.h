/* proc_algo.h — the algo.* procedures (graph algorithms callable from CALL).
 *
 * Each procedure takes one optional options map and yields named columns;
 * docs/query-language.md ("Algorithm procedures") lists them with their options. They are thin wrappers
 * over engine/algo.h.
 */
#ifndef TG_PROC_ALGO_H
#define TG_PROC_ALGO_H

#include "tg_error.h"

/* Registers every algo.* procedure in the process-wide registry
 * (procedures.h). Idempotent (re-registering replaces). Call once at
 * start-up, before running queries. Errors: TG_ENOMEM. O(procedures). */
tg_status tg_proc_algo_register(tg_error *err);

#endif
