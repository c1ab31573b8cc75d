// Run-time CPU checks shared by the kernels (not part of the module's interface).
#ifndef CFLYVEC_CPU_H
#define CFLYVEC_CPU_H

/// 1 when this CPU has AVX2 and FMA (x86-64), else 0; checked once.
int flyvec_cpu_avx2_fma(void);

/// 1 when this CPU also has AVX-512 F and DQ (with the OS saving their registers), else 0.
int flyvec_cpu_avx512(void);

#endif
