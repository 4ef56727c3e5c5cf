#include "hash/cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/*
 * The OS saves the register state named by mask (XCR0 bits) on context
 * switches; without it the instructions must not be used.
 */
static int
os_saves(unsigned mask)
{
	unsigned a, b, c, d, lo, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !((c >> 27) & 1))
		return 0;	/* no OSXSAVE: no xgetbv */
	__asm__ volatile ("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	(void)hi;
	return (lo & mask) == mask;
}

/* Leaf 7 EBX bit, or 0 when the leaf does not exist. */
static int
leaf7_ebx(int bit)
{
	unsigned a, b, c, d;

	if (__get_cpuid_max(0, 0) < 7)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return (b >> bit) & 1;
}

int
cpu_has(enum cpu_feature f)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	switch (f) {
	case CPU_SSE41:
		return (c >> 19) & 1;
	case CPU_SSE42:
		return (c >> 20) & 1;
	case CPU_PCLMUL:
		return (c >> 1) & 1;
	case CPU_SHA:
		return leaf7_ebx(29);
	case CPU_AVX2:		/* XMM and YMM state */
		return leaf7_ebx(5) && os_saves(0x6);
	case CPU_AVX512F:	/* plus opmask and both ZMM halves */
		return leaf7_ebx(16) && os_saves(0xe6);
	case CPU_AVX512VL:
		return leaf7_ebx(31) && leaf7_ebx(16) && os_saves(0xe6);
	}
	return 0;
}
#else
int
cpu_has(enum cpu_feature f)
{
	(void)f;
	return 0;
}
#endif
