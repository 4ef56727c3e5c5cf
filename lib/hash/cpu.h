/*
 * cpu.h: run-time CPU feature checks for the hash kernels. Always false
 * on CPUs other than x86, where only portable code is built.
 */
#ifndef HASH_CPU_H
#define HASH_CPU_H

enum cpu_feature {
	CPU_SSE41,
	CPU_SSE42,	/* crc32 instruction: CRC-32C */
	CPU_PCLMUL,	/* carry-less multiply: CRC folding */
	CPU_SHA,	/* SHA-NI */
	CPU_AVX2,	/* 256-bit integer SIMD, enabled by the OS */
	CPU_AVX512F,	/* 512-bit SIMD, enabled by the OS */
	CPU_AVX512VL	/* AVX-512 forms on 128/256-bit registers */
};

/* 1 if the CPU (and OS) supports the feature, else 0. */
int	cpu_has(enum cpu_feature);

#endif
