/* tgvec.c — growable arrays, hashing and the uint32 map (see tgvec.h).
 *
 * The map uses linear probing over a power-of-two table kept at most half
 * full, so a probe sequence is short and deletion is never needed.
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include "tgvec.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define EMPTY 0xFFFFFFFFu

#define HUGE_PAGE ((size_t)2 << 20)
#define BIG_BLOCK ((size_t)4 << 20)

/* Asks for transparent huge pages over the 2 MB pages inside [p, p + n):
 * a block filled at once (a segment read from the store, an array built by
 * a load) then faults 512 times less. Advice only: where THP is off or the
 * call fails nothing changes. */
static void advise_huge(void *p, size_t n)
{
    uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t b = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);

    if (b > a)
        madvise((void *)a, b - a, MADV_HUGEPAGE);
}

void *tg_alloc_big(size_t n)
{
    void *p = NULL;

    if (n < BIG_BLOCK)
        return malloc(n ? n : 1);
    if (posix_memalign(&p, HUGE_PAGE, n) != 0)
        return NULL;
    advise_huge(p, n);
    return p;
}

int tg_vec_reserve(tg_vec *v, size_t esize, size_t want)
{
    size_t cap;
    void *a;

    if (want <= v->cap)
        return 0;
    cap = v->cap ? v->cap : 8;
    while (cap < want)
        cap += cap / 2 + 8;
    if (cap > SIZE_MAX / esize)
        return -1;
    a = v->a ? realloc(v->a, cap * esize) : tg_alloc_big(cap * esize);
    if (!a)
        return -1;
    if (v->a && cap * esize >= BIG_BLOCK)
        advise_huge(a, cap * esize);
    v->a = a;
    v->cap = cap;
    return 0;
}

int tg_vec_push(tg_vec *v, size_t esize, const void *elem)
{
    if (v->n == v->cap && tg_vec_reserve(v, esize, v->n + 1) != 0)
        return -1;
    memcpy((char *)v->a + v->n * esize, elem, esize);
    v->n++;
    return 0;
}

void tg_vec_free(tg_vec *v)
{
    free(v->a);
    v->a = NULL;
    v->n = v->cap = 0;
}

void tg_vec_adopt(tg_vec *v, void *block, size_t n)
{
    free(v->a);
    v->a = block;
    v->n = v->cap = n;
}

uint64_t tg_hash_u64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

uint64_t tg_hash_bytes(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    size_t i = 0;

    /* Eight bytes at a time, then the tail: FNV is slow byte by byte. */
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    for (; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return tg_hash_u64(h ^ len);
}

static int rehash(tg_u32map *m, size_t cap)
{
    uint32_t *kv = tg_alloc_big(cap * 2 * sizeof *kv);
    size_t i;

    if (!kv)
        return -1;
    for (i = 0; i < cap; i++)
        kv[2 * i] = EMPTY;
    for (i = 0; i < m->cap; i++) {
        size_t j;
        uint32_t key = m->kv[2 * i];
        if (key == EMPTY)
            continue;
        j = tg_hash_u64(key) & (cap - 1);
        while (kv[2 * j] != EMPTY)
            j = (j + 1) & (cap - 1);
        kv[2 * j] = key;
        kv[2 * j + 1] = m->kv[2 * i + 1];
    }
    free(m->kv);
    m->kv = kv;
    m->cap = cap;
    return 0;
}

int tg_u32map_reserve(tg_u32map *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 16;

    while (cap < 2 * n + 2)
        cap *= 2;
    return cap == m->cap ? 0 : rehash(m, cap);
}

int tg_u32map_put(tg_u32map *m, uint32_t key, uint32_t val)
{
    size_t j;

    if (2 * (m->n + 1) > m->cap && tg_u32map_reserve(m, m->n + 1) != 0)
        return -1;
    j = tg_hash_u64(key) & (m->cap - 1);
    while (m->kv[2 * j] != EMPTY && m->kv[2 * j] != key)
        j = (j + 1) & (m->cap - 1);
    if (m->kv[2 * j] == EMPTY) {
        m->kv[2 * j] = key;
        m->n++;
    }
    m->kv[2 * j + 1] = val;
    return 0;
}

uint32_t tg_u32map_get(const tg_u32map *m, uint32_t key)
{
    size_t j;

    if (!m->cap)
        return EMPTY;
    j = tg_hash_u64(key) & (m->cap - 1);
    while (m->kv[2 * j] != EMPTY) {
        if (m->kv[2 * j] == key)
            return m->kv[2 * j + 1];
        j = (j + 1) & (m->cap - 1);
    }
    return EMPTY;
}

void tg_u32map_prefetch(const tg_u32map *m, uint32_t key)
{
    if (m->cap)
        __builtin_prefetch(&m->kv[2 * (tg_hash_u64(key) & (m->cap - 1))]);
}

void tg_u32map_del(tg_u32map *m, uint32_t key)
{
    size_t i, j, mask = m->cap - 1;

    if (!m->cap)
        return;
    i = tg_hash_u64(key) & mask;
    while (m->kv[2 * i] != key) {
        if (m->kv[2 * i] == EMPTY)
            return;
        i = (i + 1) & mask;
    }
    /* Shift later members of the cluster back into the hole when their
     * home slot does not lie (cyclically) between the hole and them. */
    for (j = (i + 1) & mask; m->kv[2 * j] != EMPTY; j = (j + 1) & mask) {
        size_t home = tg_hash_u64(m->kv[2 * j]) & mask;
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->kv[2 * i] = m->kv[2 * j];
            m->kv[2 * i + 1] = m->kv[2 * j + 1];
            i = j;
        }
    }
    m->kv[2 * i] = EMPTY;
    m->n--;
}

void tg_u32map_free(tg_u32map *m)
{
    free(m->kv);
    memset(m, 0, sizeof *m);
}
