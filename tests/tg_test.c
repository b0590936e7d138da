/* tg_test.c — the shared test harness (see tg_test.h). */
#include "tg_test.h"

#include <stdlib.h>
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
