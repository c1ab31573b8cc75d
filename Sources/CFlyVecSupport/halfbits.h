// Half-precision bounds without F16C (not part of the module's interface).
#ifndef CFLYVEC_HALFBITS_H
#define CFLYVEC_HALFBITS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

// The value of half-precision bit pattern h, exactly: a normal half's fields moved into a float's
// (the Hebbian step calls this for every entry, so no libm call), a subnormal one scaled.
static inline float half_value(uint16_t h) {
    const uint32_t sign = (uint32_t)(h & 0x8000) << 16, e = (h >> 10) & 0x1f, m = h & 0x3ff;
    uint32_t bits;
    if (e == 0) {
        const float v = (float)m * 5.9604644775390625e-08f;  // m · 2^-24, exact
        memcpy(&bits, &v, 4);
        bits |= sign;
    } else {
        bits = sign | (e == 31 ? 0xff : e - 15 + 127) << 23 | m << 13;
    }
    float v;
    memcpy(&v, &bits, 4);
    return v;
}

// The smallest half-precision value at least x (x not NaN): |x| cut toward zero to half precision,
// which is already at least x when x is negative, else stepped up once unless exact (the step
// from 65504 is infinity).
static inline uint16_t half_at_least(float x) {
    uint32_t bits;
    memcpy(&bits, &x, 4);
    const uint16_t sign = (uint16_t)(bits >> 16 & 0x8000);
    const float a = fabsf(x);
    uint16_t magnitude;
    int exact;
    if (a >= 65536.0f) {  // past the largest finite half and its rounding range
        return sign ? 0xfbff : 0x7c00;
    } else if (a < 6.103515625e-05f) {  // below 2^-14: subnormal halves, multiples of 2^-24
        const float scaled = a * 16777216.0f;
        magnitude = (uint16_t)scaled;
        exact = (float)magnitude == scaled;
    } else {
        const uint32_t e = (bits >> 23 & 0xff) - 127 + 15, m = bits & 0x7fffff;
        magnitude = (uint16_t)(e << 10 | m >> 13);
        exact = (m & 0x1fff) == 0;
    }
    if (sign) return (uint16_t)(sign | magnitude);
    return (uint16_t)(magnitude + !exact);
}

#endif
