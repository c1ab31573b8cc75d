#include "CFlyVecSupport.h"
#include "cpu.h"
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

void flyvec_count_postings(uint8_t *shared, const uint16_t *postings, size_t count, size_t base) {
    size_t i = 0;
    // Four at a time: the increments are independent unless two postings repeat a position,
    // which a list never does.
    for (; i + 4 <= count; i += 4) {
        shared[base | postings[i]]++;
        shared[base | postings[i + 1]]++;
        shared[base | postings[i + 2]]++;
        shared[base | postings[i + 3]]++;
    }
    for (; i < count; i++) shared[base | postings[i]]++;
}

void flyvec_byte_histogram(const uint8_t *values, size_t count, uint32_t *histogram) {
    // Four partial histograms, so that runs of equal bytes do not wait on one counter.
    uint32_t h[4][256] = {{0}};
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        h[0][values[i]]++;
        h[1][values[i + 1]]++;
        h[2][values[i + 2]]++;
        h[3][values[i + 3]]++;
    }
    for (; i < count; i++) h[0][values[i]]++;
    for (int v = 0; v < 256; v++) histogram[v] = h[0][v] + h[1][v] + h[2][v] + h[3][v];
}

size_t flyvec_positions_at_least(const uint8_t *values, size_t count, uint8_t threshold, int exactly, uint32_t *out, size_t capacity) {
    size_t found = 0, i = 0;
    // Eight bytes at a time: a word none of whose bytes reaches the threshold is skipped whole.
    // Bytes are at most 255 and the threshold at least 1, so (byte + 128 - threshold) has its top
    // bit set exactly when byte >= threshold, for bytes under 128; larger bytes are checked one by one.
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    const uint64_t add = ones * (uint64_t)(128 - (threshold > 128 ? 128 : threshold));
    for (; i + 8 <= count && found < capacity; i += 8) {
        uint64_t w;
        __builtin_memcpy(&w, values + i, 8);
        if ((((w & ~high) + add) | w) & high) {
            for (size_t j = i; j < i + 8 && found < capacity; j++)
                if (exactly ? values[j] == threshold : values[j] >= threshold) out[found++] = (uint32_t)j;
        }
    }
    for (; i < count && found < capacity; i++)
        if (exactly ? values[i] == threshold : values[i] >= threshold) out[found++] = (uint32_t)i;
    return found;
}

// Half to float through the table the caller gives (every bit pattern's value), or with the F16C
// instruction where the CPU has it: eight at a time.
static void add_halves_table(float *sum, const uint16_t *halves, float weight, size_t count, const float *table) {
    for (size_t i = 0; i < count; i++) sum[i] += weight * table[halves[i]];
}

static void halves_to_floats_table(float *out, const uint16_t *halves, size_t count, const float *table) {
    for (size_t i = 0; i < count; i++) out[i] = table[halves[i]];
}

#if defined(__x86_64__)
#include <immintrin.h>
__attribute__((target("avx,f16c")))
static void add_halves_f16c(float *sum, const uint16_t *halves, float weight, size_t count) {
    const __m256 w = _mm256_set1_ps(weight);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 v = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(halves + i)));
        _mm256_storeu_ps(sum + i, _mm256_add_ps(_mm256_loadu_ps(sum + i), _mm256_mul_ps(w, v)));
    }
    for (; i < count; i++) {
        __m128 v = _mm_cvtph_ps(_mm_cvtsi32_si128(halves[i]));
        sum[i] += weight * _mm_cvtss_f32(v);
    }
}

__attribute__((target("avx,f16c")))
static void halves_to_floats_f16c(float *out, const uint16_t *halves, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8)
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(halves + i))));
    for (; i < count; i++) out[i] = _mm_cvtss_f32(_mm_cvtph_ps(_mm_cvtsi32_si128(halves[i])));
}

__attribute__((target("avx,f16c")))
static void floats_to_halves_f16c(uint16_t *out, const float *values, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8)
        _mm_storeu_si128((__m128i *)(out + i), _mm256_cvtps_ph(_mm256_loadu_ps(values + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < count; i++)
        out[i] = (uint16_t)_mm_extract_epi16(_mm_cvtps_ph(_mm_set_ss(values[i]), _MM_FROUND_TO_NEAREST_INT), 0);
}

// The answer of `probe`, asked once: threads that race here all store the same answer, and atomics
// keep that well-defined.
static int once(int *known, int (*probe)(void)) {
    int answer = __atomic_load_n(known, __ATOMIC_RELAXED);
    if (answer < 0) {
        __builtin_cpu_init();
        answer = probe();
        __atomic_store_n(known, answer, __ATOMIC_RELAXED);
    }
    return answer;
}

static int probe_avx2_fma(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
static int probe_avx512(void) {
    return probe_avx2_fma() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}
static int probe_f16c(void) { return __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx"); }

int flyvec_cpu_avx2_fma(void) {
    static int known = -1;
    return once(&known, probe_avx2_fma);
}

int flyvec_cpu_avx512(void) {
    static int known = -1;
    return once(&known, probe_avx512);
}

static int uses_f16c(void) {
    static int known = -1;
    return once(&known, probe_f16c);
}
#endif

void flyvec_add_halves(float *sum, const uint16_t *halves, float weight, size_t count, const float *table) {
#if defined(__x86_64__)
    if (uses_f16c()) {
        add_halves_f16c(sum, halves, weight, count);
        return;
    }
#endif
    add_halves_table(sum, halves, weight, count, table);
}

void flyvec_halves_to_floats(float *out, const uint16_t *halves, size_t count, const float *table, int allowF16C) {
#if defined(__x86_64__)
    if (allowF16C && uses_f16c()) {
        halves_to_floats_f16c(out, halves, count);
        return;
    }
#endif
    halves_to_floats_table(out, halves, count, table);
}

int flyvec_halves_finite(const uint16_t *halves, size_t count) {
    // Infinity and NaN are the patterns whose five exponent bits are all set.
    uint16_t all = 0;
    for (size_t i = 0; i < count; i++) all |= (uint16_t)((halves[i] & 0x7C00) == 0x7C00);
    return all == 0;
}

int flyvec_floats_finite(const float *values, size_t count) {
    uint32_t all = 0;
    for (size_t i = 0; i < count; i++) {
        uint32_t bits;
        memcpy(&bits, values + i, 4);
        all |= (uint32_t)((bits & 0x7F800000u) == 0x7F800000u);
    }
    return all == 0;
}

int flyvec_uses_f16c(void) {
#if defined(__x86_64__)
    return uses_f16c();
#else
    return 0;
#endif
}

int flyvec_vector_level(void) {
#if defined(__x86_64__)
    return flyvec_cpu_avx512() ? 2 : flyvec_cpu_avx2_fma() ? 1 : 0;
#else
    return 0;
#endif
}

void flyvec_floats_to_halves(uint16_t *out, const float *values, size_t count) {
#if defined(__x86_64__)
    floats_to_halves_f16c(out, values, count);
#else
    (void)out; (void)values; (void)count;
#endif
}
