#include "CFlyVecSupport.h"
#include "cpu.h"

// Per-unit sums over a set of profile rows, for the z-scores, and a range check over synapses
// before they are written in half precision. Both paths run the same loop, each unit's sums over
// the rows in row order (the vector path takes several units at once, not several rows), and a
// float's square is exact in double: the two paths give the same doubles.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

static inline __attribute__((always_inline)) void moments(const float *matrix, size_t units, const int64_t *rows, size_t count,
                                                          size_t begin, size_t end, double *sum, double *square) {
    for (size_t r = 0; r < count; r++) {
        const float *row = matrix + (size_t)rows[r] * units;
        for (size_t u = begin; u < end; u++) {
            const double v = row[u];
            sum[u] += v;
            square[u] += v * v;
        }
    }
}

static void moments_portable(const float *matrix, size_t units, const int64_t *rows, size_t count, size_t begin, size_t end,
                             double *sum, double *square) {
    moments(matrix, units, rows, count, begin, end, sum, square);
}

#if defined(__x86_64__)
__attribute__((target("avx2")))
static void moments_avx2(const float *matrix, size_t units, const int64_t *rows, size_t count, size_t begin, size_t end,
                         double *sum, double *square) {
    moments(matrix, units, rows, count, begin, end, sum, square);
}
#endif

void flyvec_unit_moments(const float *matrix, size_t units, const int64_t *rows, size_t count, size_t begin, size_t end,
                         double *sum, double *square, int allowVector) {
#if defined(__x86_64__)
    if (allowVector && flyvec_cpu_avx2_fma()) {
        moments_avx2(matrix, units, rows, count, begin, end, sum, square);
        return;
    }
#endif
    moments_portable(matrix, units, rows, count, begin, end, sum, square);
}

int flyvec_floats_fit_half(const float *values, size_t count) {
    // |x| ≤ 65504 on the bit patterns: NaN's are above infinity's, which is above the limit.
    const uint32_t limit = 0x477FE000u;
    uint32_t beyond = 0;
    for (size_t i = 0; i < count; i++) {
        uint32_t bits;
        __builtin_memcpy(&bits, values + i, 4);
        beyond |= (bits & 0x7FFFFFFFu) > limit;
    }
    return beyond == 0;
}
