#include "CFlyVecSupport.h"
#include <string.h>

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

// One loop, compiled twice: with POPCNT, and for the baseline x86-64 (or any other CPU).
// The last word is read as the 8 bytes ending at the code's end, shifted down to its own bytes,
// so no load crosses into the next code's region out of bounds of the buffer.
#define HAMMING7_BODY                                                                         \
    const uint64_t q0 = query[0], q1 = query[1], q2 = query[2], q3 = query[3], q4 = query[4], \
                   q5 = query[5], q6 = query[6];                                              \
    const unsigned shift = (unsigned)(56 - stride) * 8;                                       \
    for (size_t i = 0; i < count; i++, codes += stride) {                                     \
        distances[i] = (uint16_t)(__builtin_popcountll(load64(codes) ^ q0) +                  \
                                  __builtin_popcountll(load64(codes + 8) ^ q1) +              \
                                  __builtin_popcountll(load64(codes + 16) ^ q2) +             \
                                  __builtin_popcountll(load64(codes + 24) ^ q3) +             \
                                  __builtin_popcountll(load64(codes + 32) ^ q4) +             \
                                  __builtin_popcountll(load64(codes + 40) ^ q5) +             \
                                  __builtin_popcountll((load64(codes + stride - 8) >> shift) ^ q6)); \
    }

static void hamming7_portable(const uint8_t *codes, size_t stride, size_t count, const uint64_t *query, uint16_t *distances) {
    HAMMING7_BODY
}

#if defined(__x86_64__)
__attribute__((target("popcnt")))
static void hamming7_popcnt(const uint8_t *codes, size_t stride, size_t count, const uint64_t *query, uint16_t *distances) {
    HAMMING7_BODY
}

int flyvec_hamming_uses_popcnt(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("popcnt");
}
#else
int flyvec_hamming_uses_popcnt(void) { return 0; }
#endif

void flyvec_hamming7(const uint8_t *codes, size_t stride, size_t count, const uint64_t *query, uint16_t *distances) {
#if defined(__x86_64__)
    // Racing threads all store the same answer.
    static int usesPopcnt = -1;
    if (usesPopcnt < 0) usesPopcnt = flyvec_hamming_uses_popcnt();
    if (usesPopcnt) {
        hamming7_popcnt(codes, stride, count, query, distances);
        return;
    }
#endif
    hamming7_portable(codes, stride, count, query, distances);
}
