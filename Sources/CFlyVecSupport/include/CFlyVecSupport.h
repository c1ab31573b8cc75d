// What Swift cannot say itself: a software prefetch hint for the hot loops.
#ifndef CFLYVEC_SUPPORT_H
#define CFLYVEC_SUPPORT_H

/// Asks the CPU to start loading the cache line at `address` (a hint: it never faults).
static inline void flyvec_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
