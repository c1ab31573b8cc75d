#include "CFlyVecSupport.h"
#include "cpu.h"
#include <stdlib.h>

// The k largest of a row of values: every code and every usage profile is made by this. The
// portable path keeps a heap of the best k so far and offers it each value in index order. The
// vector path offers the same heap only values that can enter it: those at least a bound on the
// k-th largest value (top_k_by_bound_avx2), or, when that bound lets too many through, those above
// the heap's threshold, eight compared at once (top_k_avx2). All three give the same indices.

// a ranks below b: a smaller value, or an equal value at a higher index.
static inline int worse(const float *v, int64_t a, int64_t b) { return v[a] != v[b] ? v[a] < v[b] : a > b; }

// A min-heap of the best k so far, the root the worst of them.
static inline void sift_down(const float *v, int64_t *heap, size_t k, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < k && worse(v, heap[l], heap[m])) m = l;
        if (r < k && worse(v, heap[r], heap[m])) m = r;
        if (m == i) return;
        const int64_t t = heap[i];
        heap[i] = heap[m];
        heap[m] = t;
        i = m;
    }
}

static inline void heap_start(const float *v, int64_t *heap, size_t k) {
    for (size_t i = 0; i < k; i++) heap[i] = (int64_t)i;
    for (size_t i = k / 2; i-- > 0;) sift_down(v, heap, k, i);
}

// Values come in ascending index, so an equal value never beats the root: it must exceed it.
static inline void offer(const float *v, int64_t *heap, size_t k, size_t j, float *threshold) {
    if (v[j] > *threshold) {
        heap[0] = (int64_t)j;
        sift_down(v, heap, k, 0);
        *threshold = v[heap[0]];
    }
}

static void top_k_portable(const float *v, size_t n, size_t k, int64_t *heap) {
    heap_start(v, heap, k);
    float threshold = v[heap[0]];
    for (size_t j = k; j < n; j++) offer(v, heap, k, j, &threshold);
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2")))
static void top_k_avx2(const float *v, size_t n, size_t k, int64_t *heap) {
    heap_start(v, heap, k);
    float threshold = v[heap[0]];
    size_t j = k;
    for (; j + 8 <= n; j += 8) {
        unsigned mask = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(v + j), _mm256_set1_ps(threshold), _CMP_GT_OQ));
        while (mask) {
            offer(v, heap, k, j + (size_t)__builtin_ctz(mask), &threshold);
            mask &= mask - 1;
        }
    }
    for (; j < n; j++) offer(v, heap, k, j, &threshold);
}
#endif

static int ascending(const void *a, const void *b) {
    const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

// The heap's cost is in its insertions (about k·ln(n/k) of them, each a few mispredicted
// branches), not in the compares. With 2k blocks, the k-th largest of the block maxima is at most
// the k-th largest value (k blocks reach it), so only the values at least that bound can be among
// the best k: usually a few more than k, which the heap then takes in index order.
enum { block_groups = 2, most_candidates = 512 };

// The k-th largest of the first `count` values of `v` (k ≤ count, none NaN), by partial insertion
// sort into `best` (k floats, largest first).
static float kth_largest(const float *v, size_t count, size_t k, float *best) {
    size_t filled = 0;
    for (size_t i = 0; i < count; i++) {
        const float x = v[i];
        if (filled == k && !(x > best[k - 1])) continue;
        size_t j = filled < k ? filled++ : k - 1;
        while (j > 0 && best[j - 1] < x) { best[j] = best[j - 1]; j--; }
        best[j] = x;
    }
    return filled == k ? best[k - 1] : -__builtin_inff();
}

#if defined(__x86_64__)
// Fills out with the best k of v (as a heap), or returns 0 when the bound lets too many through
// or v holds a NaN (which the portable heap ranks in its own way: the threshold scan follows it).
__attribute__((target("avx2")))
static int top_k_by_bound_avx2(const float *v, size_t n, size_t k, int64_t *out) {
    const size_t blocks = block_groups * k, width = (n + blocks - 1) / blocks;
    float maxima[block_groups * 64], best[64], candidates[most_candidates];
    int64_t index[most_candidates];
    for (size_t b = 0; b < blocks; b++) {
        const size_t lo = b * width < n ? b * width : n, hi = lo + width < n ? lo + width : n;  // the last may be empty
        float m = -__builtin_inff();
        size_t i = lo;
        if (hi - lo >= 8) {
            __m256 top = _mm256_loadu_ps(v + lo), nan = _mm256_cmp_ps(top, top, _CMP_UNORD_Q);
            for (i = lo + 8; i + 8 <= hi; i += 8) {
                const __m256 x = _mm256_loadu_ps(v + i);
                top = _mm256_max_ps(top, x);
                nan = _mm256_or_ps(nan, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
            }
            if (_mm256_movemask_ps(nan)) return 0;
            float lanes[8];
            _mm256_storeu_ps(lanes, top);
            for (int l = 0; l < 8; l++) if (lanes[l] > m) m = lanes[l];
        }
        for (; i < hi; i++) {
            if (v[i] != v[i]) return 0;
            if (v[i] > m) m = v[i];
        }
        maxima[b] = m;
    }
    const float bound = kth_largest(maxima, blocks, k, best);
    if (bound == -__builtin_inff()) return 0;  // no bound: every value could be the k-th
    const __m256 b8 = _mm256_set1_ps(bound);
    size_t c = 0, j = 0;
    for (; j + 8 <= n; j += 8) {
        unsigned mask = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(v + j), b8, _CMP_GE_OQ));
        if (c + (size_t)__builtin_popcount(mask) > most_candidates) return 0;
        while (mask) {
            const size_t at = j + (size_t)__builtin_ctz(mask);
            candidates[c] = v[at];
            index[c++] = (int64_t)at;
            mask &= mask - 1;
        }
    }
    for (; j < n; j++) {
        if (!(v[j] >= bound)) continue;
        if (c == most_candidates) return 0;
        candidates[c] = v[j];
        index[c++] = (int64_t)j;
    }
    if (c < k) return 0;
    // The heap over the candidates in index order: the same k as over all values, since every
    // value left out is below k of them.
    heap_start(candidates, out, k);
    float threshold = candidates[out[0]];
    for (size_t i = k; i < c; i++) offer(candidates, out, k, i, &threshold);
    for (size_t i = 0; i < k; i++) out[i] = index[out[i]];
    return 1;
}
#endif

size_t flyvec_top_k(const float *values, size_t count, size_t k, int64_t *out, int allowVector) {
    if (k > count) k = count;
    if (k == 0) return 0;
#if defined(__x86_64__)
    if (allowVector && flyvec_cpu_avx2_fma()) {
        if (k > 64 || count < 8 * k || !top_k_by_bound_avx2(values, count, k, out)) top_k_avx2(values, count, k, out);
    } else
#endif
        top_k_portable(values, count, k, out);
    if (k > 64) qsort(out, k, sizeof *out, ascending);
    else
        for (size_t i = 1; i < k; i++) {  // few: insertion beats qsort's call per compare
            const int64_t x = out[i];
            size_t j = i;
            while (j > 0 && out[j - 1] > x) { out[j] = out[j - 1]; j--; }
            out[j] = x;
        }
    return k;
}
