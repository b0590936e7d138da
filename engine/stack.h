/* stack.h — how much of the thread's stack is left.
 *
 * Recursive descents (the query parser and binder) are bounded by a depth,
 * but the bytes one level takes depend on the compiler and the build: a
 * bound that is safe in a Release build overflowed under clang's
 * AddressSanitizer at -O0 (a 40 KB chain of property accesses). These
 * descents also ask the stack itself, so that a deep input gets an error in
 * every build instead of a crash. */
#ifndef TG_STACK_H
#define TG_STACK_H

#include <stddef.h>

/* The bytes a descent keeps free for the work below its last check (the
 * evaluator, libraries): it stops with an error when less is left. */
#define TG_STACK_RESERVE ((size_t)256 * 1024)

/* 1 when less than TG_STACK_RESERVE bytes (a quarter of a stack smaller than
 * 1 MB) of the calling thread's stack are left; 0 otherwise, and when the
 * stack's bounds cannot be known. */
int tg_stack_low(void);

#endif
