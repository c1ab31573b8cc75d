#include "CFlyVecSupport.h"
#include "cpu.h"
#include "halfbits.h"

// The trainer's forward pass: the unit with the largest drive, reading only the blocks of 16 units
// whose bound can reach the best drive found so far. The drives read are the full pass's, sum for
// sum, so the winner is exactly the one the full pass picks.

// The exact drive of the 16 units of block g, as the full pass computes it: Σ_j in row order from
// 0, then times the scale.
static void block_drives(const float *weights, size_t stride, const int32_t *rows, size_t m, const float *scale,
                         size_t g, float *out) {
    float sum[16] = {0};
    for (size_t j = 0; j < m; j++) {
        const float *r = weights + (size_t)rows[j] * stride + g * 16;
        for (int l = 0; l < 16; l++) sum[l] += r[l];
    }
    for (int l = 0; l < 16; l++) out[l] = sum[l] * scale[g * 16 + l];
}

// Unit u, whose drive `top` is at least *best, becomes the running winner if its drive is larger,
// or equal and u lower-numbered: ties go to the first unit.
static inline void keep_best(float top, size_t u, float *best, size_t *winner) {
    if (top > *best || u < *winner) {
        *best = top;
        *winner = u;
    }
}

// The search reads it right after a winner is found, while the winner's block is still in cache.
float flyvec_weighted_drive(const float *weights, size_t stride, const int32_t *rows, size_t m, const float *frequency,
                            const float *scale, size_t u) {
#pragma clang fp contract(off)
    float x = 0;
    for (size_t j = 0; j < m; j++) {
        const float term = frequency[rows[j]] * weights[(size_t)rows[j] * stride + u];
        x += term;
    }
    return x * scale[u];
}

// Offers block g's drives to the running winner (the first unit of the largest drive).
static void offer_block(const float *d, size_t g, size_t units, float *best, size_t *winner) {
    for (size_t l = 0; l < 16 && g * 16 + l < units; l++) {
        if (d[l] >= *best) keep_best(d[l], g * 16 + l, best, winner);
    }
}

static void block_bounds_portable(const uint16_t *blockMax, size_t blockStride, size_t blocks, const int32_t *rows, size_t m,
                                  const float *scaleHigh, const float *scaleLow, float slack, float *bounds) {
    for (size_t g = 0; g < blocks; g++) {
        float sum = slack;
        for (size_t j = 0; j < m; j++) sum += half_value(blockMax[(size_t)rows[j] * blockStride + g]);
        float a = sum * scaleHigh[g], b = sum * scaleLow[g], bound = a > b ? a : b;
        bounds[g] = bound + (bound < 0 ? -bound : bound) * 1e-6f;
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX2_TARGET __attribute__((target("avx2,fma,f16c")))

AVX2_TARGET
static void block_bounds_avx2(const uint16_t *blockMax, size_t blockStride, size_t blocks, const int32_t *rows, size_t m,
                              const float *scaleHigh, const float *scaleLow, float slack, float *bounds) {
    const __m256 sign = _mm256_set1_ps(-0.0f), margin = _mm256_set1_ps(1e-6f);
    size_t g = 0;
    for (; g + 8 <= blocks; g += 8) {
        __m256 sum = _mm256_set1_ps(slack);
        for (size_t j = 0; j < m; j++)
            sum = _mm256_add_ps(sum, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(blockMax + (size_t)rows[j] * blockStride + g))));
        const __m256 bound = _mm256_max_ps(_mm256_mul_ps(sum, _mm256_loadu_ps(scaleHigh + g)), _mm256_mul_ps(sum, _mm256_loadu_ps(scaleLow + g)));
        _mm256_storeu_ps(bounds + g, _mm256_add_ps(bound, _mm256_mul_ps(_mm256_andnot_ps(sign, bound), margin)));
    }
    if (g < blocks) block_bounds_portable(blockMax + g, blockStride, blocks - g, rows, m, scaleHigh + g, scaleLow + g, slack, bounds + g);
}

// The largest of v's eight lanes.
__attribute__((target("avx2,fma")))
static float max_lane(__m256 v) {
    v = _mm256_max_ps(v, _mm256_permute2f128_ps(v, v, 1));
    v = _mm256_max_ps(v, _mm256_shuffle_ps(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
    v = _mm256_max_ps(v, _mm256_shuffle_ps(v, v, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm256_cvtss_f32(v);
}

__attribute__((target("avx2,fma")))
static size_t argmax_bound_avx2(const float *bounds, size_t blocks) {
    size_t g = 0;
    __m256 top = _mm256_set1_ps(-__builtin_inff());
    for (; g + 8 <= blocks; g += 8) top = _mm256_max_ps(top, _mm256_loadu_ps(bounds + g));
    float best = max_lane(top);
    for (size_t h = g; h < blocks; h++) if (bounds[h] > best) best = bounds[h];
    const __m256 b = _mm256_set1_ps(best);
    for (size_t h = 0; h + 8 <= blocks; h += 8) {
        const int mask = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(bounds + h), b, _CMP_EQ_OQ));
        if (mask) return h + (size_t)__builtin_ctz((unsigned)mask);
    }
    for (size_t h = g; h < blocks; h++) if (bounds[h] == best) return h;
    return 0;
}

__attribute__((target("avx2,fma")))
static void offer_block_avx2(const float *weights, size_t stride, const int32_t *rows, size_t m, const float *scale,
                             size_t g, size_t units, float *best, size_t *winner) {
    __m256 lo = _mm256_setzero_ps(), hi = _mm256_setzero_ps();
    for (size_t j = 0; j < m; j++) {
        const float *r = weights + (size_t)rows[j] * stride + g * 16;
        lo = _mm256_add_ps(lo, _mm256_loadu_ps(r));
        hi = _mm256_add_ps(hi, _mm256_loadu_ps(r + 8));
    }
    lo = _mm256_mul_ps(lo, _mm256_loadu_ps(scale + g * 16));
    hi = _mm256_mul_ps(hi, _mm256_loadu_ps(scale + g * 16 + 8));
    if (g * 16 + 16 > units) {  // the padding units past the last are never winners
        float d[16];
        _mm256_storeu_ps(d, lo);
        _mm256_storeu_ps(d + 8, hi);
        offer_block(d, g, units, best, winner);
        return;
    }
    const float top = max_lane(_mm256_max_ps(lo, hi));
    if (top < *best) return;
    const __m256 v = _mm256_set1_ps(top);
    const unsigned mask = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(lo, v, _CMP_EQ_OQ))
        | (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(hi, v, _CMP_EQ_OQ)) << 8;
    keep_best(top, g * 16 + (size_t)__builtin_ctz(mask), best, winner);
}

// The helpers again, sixteen lanes wide, where the CPU has AVX-512: each lane does the AVX2 path's
// operations in its order, so the bounds, the blocks chosen and the drives are the same.
#define AVX512 __attribute__((target("avx512f,avx2,fma,f16c")))

AVX512 static void block_bounds_avx512(const uint16_t *blockMax, size_t blockStride, size_t blocks, const int32_t *rows, size_t m,
                                       const float *scaleHigh, const float *scaleLow, float slack, float *bounds) {
    const __m512 margin = _mm512_set1_ps(1e-6f);
    size_t g = 0;
    for (; g + 16 <= blocks; g += 16) {
        __m512 sum = _mm512_set1_ps(slack);
        for (size_t j = 0; j < m; j++)
            sum = _mm512_add_ps(sum, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(blockMax + (size_t)rows[j] * blockStride + g))));
        const __m512 bound = _mm512_max_ps(_mm512_mul_ps(sum, _mm512_loadu_ps(scaleHigh + g)), _mm512_mul_ps(sum, _mm512_loadu_ps(scaleLow + g)));
        _mm512_storeu_ps(bounds + g, _mm512_add_ps(bound, _mm512_mul_ps(_mm512_abs_ps(bound), margin)));
    }
    if (g < blocks) block_bounds_avx2(blockMax + g, blockStride, blocks - g, rows, m, scaleHigh + g, scaleLow + g, slack, bounds + g);
}

AVX512 static size_t argmax_bound_avx512(const float *bounds, size_t blocks) {
    size_t g = 0;
    __m512 top = _mm512_set1_ps(-__builtin_inff());
    for (; g + 16 <= blocks; g += 16) top = _mm512_max_ps(top, _mm512_loadu_ps(bounds + g));
    float best = _mm512_reduce_max_ps(top);
    for (size_t h = g; h < blocks; h++) if (bounds[h] > best) best = bounds[h];
    const __m512 b = _mm512_set1_ps(best);
    for (size_t h = 0; h + 16 <= blocks; h += 16) {
        const __mmask16 mask = _mm512_cmp_ps_mask(_mm512_loadu_ps(bounds + h), b, _CMP_EQ_OQ);
        if (mask) return h + (size_t)__builtin_ctz((unsigned)mask);
    }
    for (size_t h = g; h < blocks; h++) if (bounds[h] == best) return h;
    return 0;
}

AVX512 static void offer_block_avx512(const float *weights, size_t stride, const int32_t *rows, size_t m, const float *scale,
                                      size_t g, size_t units, float *best, size_t *winner) {
    __m512 sum = _mm512_setzero_ps();
    for (size_t j = 0; j < m; j++) sum = _mm512_add_ps(sum, _mm512_loadu_ps(weights + (size_t)rows[j] * stride + g * 16));
    sum = _mm512_mul_ps(sum, _mm512_loadu_ps(scale + g * 16));
    if (g * 16 + 16 > units) {
        float d[16];
        _mm512_storeu_ps(d, sum);
        offer_block(d, g, units, best, winner);
        return;
    }
    const float top = _mm512_reduce_max_ps(sum);
    if (top < *best) return;
    const unsigned mask = (unsigned)_mm512_cmp_ps_mask(sum, _mm512_set1_ps(top), _CMP_EQ_OQ);
    keep_best(top, g * 16 + (size_t)__builtin_ctz(mask), best, winner);
}

// The blocks from base to the last whose bound is at least best, as a bit mask (bit l: base + l).
static inline unsigned open_blocks_tail(const float *bounds, size_t base, size_t blocks, float best) {
    unsigned mask = 0;
    for (size_t l = 0; base + l < blocks; l++) mask |= (unsigned)(bounds[base + l] >= best) << l;
    return mask;
}

// The same for the eight blocks from base (fewer at the end).
AVX2_TARGET static inline unsigned open_blocks_avx2(const float *bounds, size_t base, size_t blocks, float best) {
    if (base + 8 > blocks) return open_blocks_tail(bounds, base, blocks, best);
    return (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(bounds + base), _mm256_set1_ps(best), _CMP_GE_OQ));
}

// The same for sixteen.
AVX512 static inline unsigned open_blocks_avx512(const float *bounds, size_t base, size_t blocks, float best) {
    if (base + 16 > blocks) return open_blocks_tail(bounds, base, blocks, best);
    return (unsigned)_mm512_cmp_ps_mask(_mm512_loadu_ps(bounds + base), _mm512_set1_ps(best), _CMP_GE_OQ);
}

// Calls body(g) for each block g < blocks whose bound is at least *best, in order, comparing
// against *best as it stands when g's group of `lanes` is reached (`openBlocks` gives its mask)
// and again just before g.
#define FOR_EACH_OPEN_BLOCK(openBlocks, lanes, bounds, blocks, best, g, body)          \
    for (size_t base_ = 0; base_ < (blocks); base_ += (lanes)) {                        \
        unsigned mask_ = openBlocks((bounds), base_, (blocks), *(best));                \
        while (mask_) {                                                                 \
            const size_t g = base_ + (size_t)__builtin_ctz(mask_);                      \
            mask_ &= mask_ - 1;                                                         \
            if ((bounds)[g] >= *(best)) { body; }                                       \
        }                                                                               \
    }

#endif

// One sample's search, in plain loops.
static size_t bounded_winner_portable(const float *weights, size_t stride, size_t units, const uint16_t *blockMax, size_t blockStride,
                                      const int32_t *rows, size_t m, const float *scale, const float *scaleHigh,
                                      const float *scaleLow, float slack, float *bounds) {
    const size_t blocks = stride / 16;
    block_bounds_portable(blockMax, blockStride, blocks, rows, m, scaleHigh, scaleLow, slack, bounds);
    // The blocks of the three largest bounds are read first, together: the best drive among them
    // is usually near the winner's, so few other blocks remain in the running.
    enum { lead = 3 };
    size_t top[lead], n = 0;
    for (size_t g = 0; g < blocks; g++) {
        size_t i = n < lead ? n++ : lead;
        if (i == lead && !(bounds[g] > bounds[top[lead - 1]])) continue;
        if (i == lead) i = lead - 1;
        while (i > 0 && bounds[top[i - 1]] < bounds[g]) { top[i] = top[i - 1]; i--; }
        top[i] = g;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) __builtin_prefetch(weights + (size_t)rows[j] * stride + top[i] * 16, 0, 3);
    float d[16], best = -__builtin_inff();
    size_t winner = 0;
    for (size_t i = 0; i < n; i++) {
        block_drives(weights, stride, rows, m, scale, top[i], d);
        offer_block(d, top[i], units, &best, &winner);
        bounds[top[i]] = -__builtin_inff();  // read
    }
    // The blocks still in the running: their rows are requested together, then read.
    for (size_t g = 0; g < blocks; g++)
        if (bounds[g] >= best)
            for (size_t j = 0; j < m; j++) __builtin_prefetch(weights + (size_t)rows[j] * stride + g * 16, 0, 3);
    for (size_t g = 0; g < blocks; g++) {
        if (bounds[g] < best) continue;
        block_drives(weights, stride, rows, m, scale, g, d);
        offer_block(d, g, units, &best, &winner);
    }
    return winner;
}

// Sample s's rows, in the searches over a run of samples below.
#define SAMPLE_ROWS(s) (rows + (s) * width)

#if defined(__x86_64__)
// bounded_winner_portable's search over a run of samples, in three stages a few samples apart,
// so that the memory reads of one sample overlap the work on the others: (A) bounds, the three
// largest found and their rows requested; (B) those blocks read, the blocks still in the running
// requested; (C) those read. Each sample's result is the one-sample search's.
enum { lag = 3, ring = 8 };

typedef void (*BlockBounds)(const uint16_t *, size_t, size_t, const int32_t *, size_t, const float *, const float *, float, float *);
typedef size_t (*LargestBound)(const float *, size_t);
typedef void (*OfferBlock)(const float *, size_t, const int32_t *, size_t, const float *, size_t, size_t, float *, size_t *);
typedef unsigned (*OpenBlocks)(const float *, size_t, size_t, float);

// The staged search with one vector width's helpers; inlined into each width's function, where the
// helpers (constants there) are inlined in turn.
__attribute__((always_inline)) static inline void
bounded_winners_staged(const float *weights, size_t stride, size_t units, const uint16_t *blockMax, size_t blockStride,
                       const int32_t *rows, const int32_t *counts, size_t width, size_t n, const float *scale,
                       const float *scaleHigh, const float *scaleLow, const float *slack, float *scratch, int32_t *winners,
                       const float *frequency, float *drives, BlockBounds blockBounds, LargestBound largest, OfferBlock offer, OpenBlocks openBlocks, size_t lanes) {
    enum { lead = 3 };
    const size_t blocks = stride / 16;
    size_t top[ring][lead], leads[ring], winner[ring];
    float best[ring];
    for (size_t t = 0; t < n + 2 * lag; t++) {
        if (t < n) {  // stage A
            const size_t s = t, slot = s % ring, m = (size_t)counts[s];
            float *bounds = scratch + slot * blocks;
            blockBounds(blockMax, blockStride, blocks, SAMPLE_ROWS(s), m, scaleHigh, scaleLow, slack[s], bounds);
            leads[slot] = blocks < lead ? blocks : lead;
            for (size_t i = 0; i < leads[slot]; i++) {
                const size_t g = largest(bounds, blocks);
                top[slot][i] = g;
                bounds[g] = -__builtin_inff();
                for (size_t j = 0; j < m; j++) __builtin_prefetch(weights + (size_t)SAMPLE_ROWS(s)[j] * stride + g * 16, 0, 3);
            }
        }
        if (t >= lag && t - lag < n) {  // stage B
            const size_t s = t - lag, slot = s % ring, m = (size_t)counts[s];
            const int32_t *r = SAMPLE_ROWS(s);
            float *bounds = scratch + slot * blocks;
            best[slot] = -__builtin_inff();
            winner[slot] = 0;
            for (size_t i = 0; i < leads[slot]; i++) offer(weights, stride, r, m, scale, top[slot][i], units, &best[slot], &winner[slot]);
            FOR_EACH_OPEN_BLOCK(openBlocks, lanes, bounds, blocks, &best[slot], g,
                for (size_t j = 0; j < m; j++) __builtin_prefetch(weights + (size_t)r[j] * stride + g * 16, 0, 3))
        }
        if (t >= 2 * lag && t - 2 * lag < n) {  // stage C
            const size_t s = t - 2 * lag, slot = s % ring, m = (size_t)counts[s];
            const int32_t *r = SAMPLE_ROWS(s);
            float *bounds = scratch + slot * blocks;
            FOR_EACH_OPEN_BLOCK(openBlocks, lanes, bounds, blocks, &best[slot], g,
                offer(weights, stride, r, m, scale, g, units, &best[slot], &winner[slot]))
            winners[s] = (int32_t)winner[slot];
            drives[s] = flyvec_weighted_drive(weights, stride, r, m, frequency, scale, winner[slot]);
        }
    }
}

#define BOUNDED_WINNERS_PARAMETERS                                                                                    \
    const float *weights, size_t stride, size_t units, const uint16_t *blockMax, size_t blockStride, const int32_t *rows, \
        const int32_t *counts, size_t width, size_t n, const float *scale, const float *scaleHigh, const float *scaleLow,  \
        const float *slack, float *scratch, int32_t *winners, const float *frequency, float *drives
#define BOUNDED_WINNERS_ARGUMENTS \
    weights, stride, units, blockMax, blockStride, rows, counts, width, n, scale, scaleHigh, scaleLow, slack, scratch, winners, \
        frequency, drives

AVX2_TARGET static void bounded_winners_avx2(BOUNDED_WINNERS_PARAMETERS) {
    bounded_winners_staged(BOUNDED_WINNERS_ARGUMENTS, block_bounds_avx2, argmax_bound_avx2, offer_block_avx2, open_blocks_avx2, 8);
}

AVX512 static void bounded_winners_avx512(BOUNDED_WINNERS_PARAMETERS) {
    bounded_winners_staged(BOUNDED_WINNERS_ARGUMENTS, block_bounds_avx512, argmax_bound_avx512, offer_block_avx512, open_blocks_avx512, 16);
}
#endif

void flyvec_bounded_winners(const float *weights, size_t stride, size_t units, const uint16_t *blockMax, size_t blockStride,
                            const int32_t *rows, const int32_t *counts, size_t width, size_t n, const float *scale,
                            const float *scaleHigh, const float *scaleLow, const float *slack, float *scratch,
                            int32_t *winners, const float *frequency, float *drives, int allowVector) {
#if defined(__x86_64__)
    if (allowVector >= 2 && flyvec_cpu_avx512() && flyvec_uses_f16c()) {
        bounded_winners_avx512(BOUNDED_WINNERS_ARGUMENTS);
        return;
    }
    if (allowVector && flyvec_cpu_avx2_fma() && flyvec_uses_f16c()) {
        bounded_winners_avx2(BOUNDED_WINNERS_ARGUMENTS);
        return;
    }
#endif
    for (size_t s = 0; s < n; s++) {
        const size_t winner = bounded_winner_portable(weights, stride, units, blockMax, blockStride, SAMPLE_ROWS(s),
                                                      (size_t)counts[s], scale, scaleHigh, scaleLow, slack[s], scratch);
        winners[s] = (int32_t)winner;
        drives[s] = flyvec_weighted_drive(weights, stride, SAMPLE_ROWS(s), (size_t)counts[s], frequency, scale, winner);
    }
}
