/* tg_test.h — a minimal table-driven test harness.
 *
 * A test file defines test functions `static void t_name(void)` and lists
 * them in main with TG_RUN(t_name). Checks record failures and go on;
 * main returns tg_test_finish(), which prints "N passed, N failed".
 */
#ifndef TG_TEST_H
#define TG_TEST_H

#include <stdio.h>
#include <string.h>

extern int tg_test_failures;
extern int tg_test_checks;
extern const char *tg_test_current;

#define TG_CHECK(cond)                                                                   \
    do {                                                                                 \
        tg_test_checks++;                                                                \
        if (!(cond)) {                                                                   \
            tg_test_failures++;                                                          \
            fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__,         \
                    tg_test_current, #cond);                                             \
        }                                                                                \
    } while (0)

#define TG_CHECK_INT(a, b)                                                               \
    do {                                                                                 \
        long long tg_a_ = (long long)(a), tg_b_ = (long long)(b);                        \
        tg_test_checks++;                                                                \
        if (tg_a_ != tg_b_) {                                                            \
            tg_test_failures++;                                                          \
            fprintf(stderr, "%s:%d: %s: %s == %lld, expected %lld\n", __FILE__, __LINE__,  \
                    tg_test_current, #a, tg_a_, tg_b_);                                  \
        }                                                                                \
    } while (0)

#define TG_CHECK_STR(a, b)                                                               \
    do {                                                                                 \
        const char *tg_a_ = (a), *tg_b_ = (b);                                           \
        tg_test_checks++;                                                                \
        if (!tg_a_ || !tg_b_ || strcmp(tg_a_, tg_b_) != 0) {                             \
            tg_test_failures++;                                                          \
            fprintf(stderr, "%s:%d: %s: %s == \"%s\", expected \"%s\"\n", __FILE__,        \
                    __LINE__, tg_test_current, #a, tg_a_ ? tg_a_ : "(null)",             \
                    tg_b_ ? tg_b_ : "(null)");                                           \
        }                                                                                \
    } while (0)

#define TG_RUN(fn)                                                                       \
    do {                                                                                 \
        tg_test_current = #fn;                                                           \
        fn();                                                                            \
    } while (0)

/* Prints the summary line and returns the process exit status. */
int tg_test_finish(void);

/* Writes text to a new file under the build's scratch folder and returns its
 * path (static buffer, valid until the next call). */
const char *tg_test_write_file(const char *name, const char *text, size_t len);

/* A fresh scratch path (not created) with the given name. */
const char *tg_test_path(const char *name);

/* Named binary segments held in memory: a tg_segment_sink / _source pair
 * for round trips of the engine's serialization without a store. */
typedef struct tg_test_seg {
    char name[64];
    void *data;
    size_t size;
} tg_test_seg;

typedef struct tg_test_segs {
    tg_test_seg items[256];
    size_t n;
} tg_test_segs;

/* The sink copies each segment in; the source hands out a malloc'ed copy. */
int tg_test_seg_sink(void *ctx, const char *name, const void *data, size_t size);
int tg_test_seg_fetch(void *ctx, const char *name, void **data, size_t *size);

/* The segment of that name, or NULL. */
tg_test_seg *tg_test_seg_find(tg_test_segs *s, const char *name);

/* Frees every segment and empties the set. */
void tg_test_segs_free(tg_test_segs *s);

#endif
