/* arena.c — bump allocator (see arena.h).
 *
 * Invariants: chunks form a singly linked list, newest first; only the
 * newest chunk is allocated from; `used <= cap` in every chunk; every
 * returned pointer is aligned to TG_ARENA_ALIGN. A request larger than half
 * the default chunk size gets its own chunk, inserted behind the newest so
 * that the newest chunk's free space is not wasted.
 */
#include "arena.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TG_ARENA_ALIGN alignof(max_align_t)
#define TG_ARENA_CHUNK ((size_t)16384)

typedef struct chunk {
    struct chunk *next;
    size_t cap;
    size_t used;
    alignas(max_align_t) unsigned char data[];
} chunk;

struct tg_arena {
    chunk *head;
    size_t total; /* bytes handed out */
};

tg_arena *tg_arena_new(void)
{
    return calloc(1, sizeof(tg_arena));
}

void tg_arena_free(tg_arena *a)
{
    if (a == NULL)
        return;
    chunk *c = a->head;
    while (c != NULL) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

static chunk *chunk_new(size_t cap)
{
    if (cap > SIZE_MAX - sizeof(chunk))
        return NULL;
    chunk *c = malloc(sizeof(chunk) + cap);
    if (c == NULL)
        return NULL;
    c->next = NULL;
    c->cap = cap;
    c->used = 0;
    return c;
}

void *tg_arena_alloc(tg_arena *a, size_t size)
{
    void *p = NULL;
    if (a == NULL || size > SIZE_MAX - TG_ARENA_ALIGN)
        goto done;
    size_t need = (size + TG_ARENA_ALIGN - 1) & ~(TG_ARENA_ALIGN - 1);
    if (need == 0)
        need = TG_ARENA_ALIGN;
    chunk *head = a->head;
    chunk *c = head;
    if (head == NULL || head->cap - head->used < need) {
        if (need > TG_ARENA_CHUNK / 2) {
            /* A big block gets its own chunk, kept behind the head. */
            if ((c = chunk_new(need)) == NULL)
                goto done;
            if (head == NULL) {
                a->head = c;
            } else {
                c->next = head->next;
                head->next = c;
            }
        } else {
            if ((c = chunk_new(TG_ARENA_CHUNK)) == NULL)
                goto done;
            c->next = head;
            a->head = c;
        }
    }
    p = c->data + c->used;
    c->used += need;
    a->total += need;
    memset(p, 0, need);
done:
    return p;
}

void *tg_arena_calloc(tg_arena *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    return tg_arena_alloc(a, n * size);
}

char *tg_arena_strndup(tg_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = tg_arena_alloc(a, len + 1);
    if (p != NULL) {
        if (len > 0)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *tg_arena_strdup(tg_arena *a, const char *s)
{
    return tg_arena_strndup(a, s, strlen(s));
}

size_t tg_arena_used(const tg_arena *a)
{
    return a == NULL ? 0 : a->total;
}
