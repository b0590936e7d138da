/* stack.c — the calling thread's stack bounds, found once per thread
 * (pthread_getattr_np: for the main thread glibc reads them from
 * /proc/self/maps and the stack's rlimit). */
#define _GNU_SOURCE
#include "stack.h"

#include <pthread.h>
#include <stdint.h>

static _Thread_local uintptr_t stack_low_end; /* the lowest usable address */
static _Thread_local size_t stack_reserve;    /* TG_STACK_RESERVE, or a quarter of a small stack */
static _Thread_local int stack_known;         /* 1 known, -1 cannot be known */

static void find_bounds(void)
{
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;

    stack_known = -1;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr && size > 0) {
        stack_low_end = (uintptr_t)addr;
        stack_reserve = size / 4 < TG_STACK_RESERVE ? size / 4 : TG_STACK_RESERVE;
        stack_known = 1;
    }
    pthread_attr_destroy(&attr);
}

int tg_stack_low(void)
{
    char here;

    if (!stack_known)
        find_bounds();
    if (stack_known < 0)
        return 0;
    /* stacks grow down on every platform tiegraph builds for */
    return (uintptr_t)&here < stack_low_end + stack_reserve;
}
