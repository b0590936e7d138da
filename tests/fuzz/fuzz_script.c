/* fuzz_script.c — the script splitter on arbitrary text: statements and
 * directives out, or TG_ESYNTAX with a position. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tg_script *s = NULL;
    tg_error err;

    if (tg_script_split((const char *)data, size, &s, &err) == TG_OK) {
        size_t i;
        for (i = 0; i < s->n_items; i++)
            if (s->items[i].line < 1 || s->items[i].column < 1)
                abort();
    } else if (err.status == TG_ESYNTAX && err.line < 1) {
        abort();
    }
    tg_script_free(s);
    return 0;
}
