/* arena.h — a bump allocator for everything one query owns.
 *
 * A query's AST (and, if the executor wishes, its plan and temporary values)
 * is allocated from one tg_arena and released all at once by tg_arena_free:
 * nothing allocated from an arena is freed on its own. Memory is taken from
 * malloc in growing chunks; allocations are aligned for any type
 * (max_align_t). An arena is not thread-safe.
 */
#ifndef TG_ARENA_H
#define TG_ARENA_H

#include <stddef.h>

typedef struct tg_arena tg_arena;

/* Returns a new empty arena, owned (free with tg_arena_free), or NULL when
 * out of memory. O(1). */
tg_arena *tg_arena_new(void);

/* Releases the arena and every block allocated from it. Accepts NULL. */
void tg_arena_free(tg_arena *a);

/* Returns size bytes, zero-filled and aligned for any type, valid until
 * tg_arena_free(a); NULL when out of memory or when size overflows.
 * size 0 returns a valid unique pointer. Amortised O(size). */
void *tg_arena_alloc(tg_arena *a, size_t size);

/* Like tg_arena_alloc for an array of n elements of size bytes each;
 * NULL on overflow of n * size. */
void *tg_arena_calloc(tg_arena *a, size_t n, size_t size);

/* Copies s[0..len) into the arena and terminates it with NUL; returns the
 * copy (valid until tg_arena_free), NULL when out of memory. s may hold NULs. */
char *tg_arena_strndup(tg_arena *a, const char *s, size_t len);

/* Copies the NUL-terminated string s into the arena; NULL when out of memory. */
char *tg_arena_strdup(tg_arena *a, const char *s);

/* Bytes handed out so far (for statistics and tests). O(1). */
size_t tg_arena_used(const tg_arena *a);

#endif
