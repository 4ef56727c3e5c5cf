#include "hash/cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

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
		if (__get_cpuid_max(0, 0) < 7)
			return 0;
		__cpuid_count(7, 0, a, b, c, d);
		return (b >> 29) & 1;
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
