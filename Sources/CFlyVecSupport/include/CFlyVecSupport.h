// What Swift cannot say itself: a software prefetch hint, and a Hamming kernel that uses the
// POPCNT instruction when the CPU has it (chosen at run time, so the default build still runs on
// CPUs without it).
#ifndef CFLYVEC_SUPPORT_H
#define CFLYVEC_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/// Asks the CPU to start loading the cache line at `address` (a hint: it never faults).
static inline void flyvec_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

/// Hamming distances to `query` (7 words) of `count` codes of 385 to 448 bits stored back to
/// back, `stride` bytes each (49…56: the code's bytes, little-endian, without padding).
void flyvec_hamming7(const uint8_t *codes, size_t stride, size_t count, const uint64_t *query, uint16_t *distances);

/// Whether flyvec_hamming7 uses the POPCNT instruction on this CPU.
int flyvec_hamming_uses_popcnt(void);

#endif
