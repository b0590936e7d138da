/* tgvec.h — growable arrays and an open-addressing uint32 -> uint32 map.
 *
 * Small data structures in the Redis spirit: they include nothing of the
 * engine and can be reused anywhere. A vector's storage is one malloc'ed
 * block (`a`), so it can be adopted from or handed to other code whole
 * (the store loads segments straight into it).
 */
#ifndef TG_VEC_H
#define TG_VEC_H

#include <stddef.h>
#include <stdint.h>

/* A growable array of elements of `esize` bytes. Zero-initialise to start. */
typedef struct tg_vec {
    void *a;
    size_t n;   /* elements in use */
    size_t cap; /* elements allocated */
} tg_vec;

/* Ensures room for `want` elements of esize bytes; 0 on success, -1 when out
 * of memory (the vector is unchanged then). Amortised O(1) per element. */
int tg_vec_reserve(tg_vec *v, size_t esize, size_t want);

/* malloc for a block that will be filled at once: 4 MB and more are aligned
 * to 2 MB and advised to use transparent huge pages (free with free()). */
void *tg_alloc_big(size_t n);

/* Appends one element copied from elem; 0 or -1 (out of memory). */
int tg_vec_push(tg_vec *v, size_t esize, const void *elem);

/* Frees the storage and zeroes the vector. */
void tg_vec_free(tg_vec *v);

/* Takes a malloc'ed block of n elements as the vector's storage. */
void tg_vec_adopt(tg_vec *v, void *block, size_t n);

#define TG_VEC_AT(v, type, i) (((type *)(v)->a)[i])

/* A 64-bit hash of bytes (FNV-1a folded with a final mix). */
uint64_t tg_hash_bytes(const void *data, size_t len, uint64_t seed);

/* Mixes a 64-bit integer into a well-spread hash. */
uint64_t tg_hash_u64(uint64_t x);

/* Open-addressing map from uint32 keys to uint32 values. Key 0xFFFFFFFF is
 * reserved (it marks empty slots). Zero-initialise to start. A slot is a
 * key and its value side by side (kv[2 * j], kv[2 * j + 1]), so that a hit
 * costs one cache miss, not two. */
typedef struct tg_u32map {
    uint32_t *kv;
    size_t cap; /* slots: a power of two, or 0 */
    size_t n;
} tg_u32map;

/* Sets key -> val (replacing); 0 or -1 (out of memory). Amortised O(1). */
int tg_u32map_put(tg_u32map *m, uint32_t key, uint32_t val);

/* The value of key, or 0xFFFFFFFF when absent. O(1) expected. */
uint32_t tg_u32map_get(const tg_u32map *m, uint32_t key);

/* Removes key (no-op when absent). Backward-shift deletion keeps every
 * probe chain intact without tombstones. O(1) expected. */
void tg_u32map_del(tg_u32map *m, uint32_t key);

/* Asks the CPU to bring key's first slot into cache, for a get soon after
 * (lookups of independent keys then overlap their cache misses). */
void tg_u32map_prefetch(const tg_u32map *m, uint32_t key);

/* Ensures room for n keys without rehashing; 0 or -1. */
int tg_u32map_reserve(tg_u32map *m, size_t n);

void tg_u32map_free(tg_u32map *m);

#endif
