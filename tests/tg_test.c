/* tg_test.c — the shared test harness (see tg_test.h). */
#include "tg_test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int tg_test_failures;
int tg_test_checks;
const char *tg_test_current = "";

int tg_test_finish(void)
{
    printf("%d checks: %d passed, %d failed\n", tg_test_checks,
           tg_test_checks - tg_test_failures, tg_test_failures);
    if (tg_test_checks == 0) {
        fprintf(stderr, "no check ran: a test that tests nothing fails\n");
        return 1;
    }
    return tg_test_failures ? 1 : 0;
}

const char *tg_test_path(const char *name)
{
    static char path[1024];
    const char *base = getenv("TG_TEST_TMP");
    char dir[512];

    snprintf(dir, sizeof dir, "%s", base ? base : "/tmp/tiegraph-tests");
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/%d-%s", dir, (int)getpid(), name);
    return path;
}

const char *tg_test_write_file(const char *name, const char *text, size_t len)
{
    const char *path = tg_test_path(name);
    FILE *f = fopen(path, "wb");

    if (!f)
        return path;
    fwrite(text, 1, len, f);
    fclose(f);
    return path;
}

int tg_test_seg_sink(void *ctx, const char *name, const void *data, size_t size)
{
    tg_test_segs *s = ctx;
    tg_test_seg *x;

    if (s->n == sizeof s->items / sizeof s->items[0])
        return -1;
    x = &s->items[s->n++];
    snprintf(x->name, sizeof x->name, "%s", name);
    x->data = malloc(size ? size : 1);
    if (!x->data)
        return -1;
    memcpy(x->data, data, size);
    x->size = size;
    return 0;
}

int tg_test_seg_fetch(void *ctx, const char *name, void **data, size_t *size)
{
    tg_test_seg *x = tg_test_seg_find(ctx, name);

    if (!x || !(*data = malloc(x->size ? x->size : 1)))
        return -1;
    memcpy(*data, x->data, x->size);
    *size = x->size;
    return 0;
}

tg_test_seg *tg_test_seg_find(tg_test_segs *s, const char *name)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        if (!strcmp(s->items[i].name, name))
            return &s->items[i];
    return NULL;
}

void tg_test_segs_free(tg_test_segs *s)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        free(s->items[i].data);
    s->n = 0;
}
