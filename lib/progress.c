#include <stdio.h>

#include "progress.h"

void
progress_init(struct progress *p, uint64_t total, const struct clock *c)
{
	p->clock = c ? c : &clock_real;
	p->total = total;
	p->start_ns = p->clock->now_ns(p->clock->ctx);
	p->done = 0;
	p->retries = 0;
	p->last_ns = p->start_ns;
	p->last_done = 0;
	p->rate = 0;
}

void
progress_add(struct progress *p, uint64_t bytes)
{
	__atomic_add_fetch(&p->done, bytes, __ATOMIC_RELAXED);
}

void
progress_retry(struct progress *p)
{
	__atomic_add_fetch(&p->retries, 1, __ATOMIC_RELAXED);
}

void
progress_set_total(struct progress *p, uint64_t total)
{
	__atomic_store_n(&p->total, total, __ATOMIC_RELAXED);
}

void
progress_human(uint64_t b, char *buf, size_t cap)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB",
	    "PiB" };
	double v = (double)b;
	int i = 0;

	while (v >= 1024 && i < 5) {
		v /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, cap, "%llu B", (unsigned long long)b);
	else
		snprintf(buf, cap, "%.1f %s", v, unit[i]);
}

void
progress_format(struct progress *p, char *buf, size_t cap, int final)
{
	uint64_t now = p->clock->now_ns(p->clock->ctx);
	uint64_t done = __atomic_load_n(&p->done, __ATOMIC_RELAXED);
	uint64_t total = __atomic_load_n(&p->total, __ATOMIC_RELAXED);
	uint64_t retries = __atomic_load_n(&p->retries, __ATOMIC_RELAXED);
	char d[24], t[24], r[24], eta[32] = "";
	double dt, inst, rate;
	size_t n;

	if (final) {
		dt = (double)(now - p->start_ns) / 1e9;
		rate = dt > 0 ? (double)done / dt : 0;
	} else {
		dt = (double)(now - p->last_ns) / 1e9;
		if (dt >= 0.2) {
			inst = (double)(done - p->last_done) / dt;
			/* smooth over about three seconds */
			p->rate = p->rate == 0 ? inst : p->rate + (inst -
			    p->rate) * (dt / 3 < 1 ? dt / 3 : 1);
			p->last_ns = now;
			p->last_done = done;
		}
		rate = p->rate;
	}
	progress_human(done, d, sizeof(d));
	progress_human((uint64_t)rate, r, sizeof(r));
	if (total > 0) {
		progress_human(total, t, sizeof(t));
		if (!final && rate > 0 && total > done) {
			uint64_t s = (uint64_t)((double)(total - done) / rate);

			snprintf(eta, sizeof(eta), "  ETA %llu:%02llu",
			    (unsigned long long)(s / 60),
			    (unsigned long long)(s % 60));
		}
		n = (size_t)snprintf(buf, cap, "%10s / %s  %3d%%  %s/s%s", d, t,
		    (int)(done * 100 / total), r, eta);
	} else
		n = (size_t)snprintf(buf, cap, "%10s  %s/s", d, r);
	if (retries > 0 && n < cap)
		snprintf(buf + n, cap - n, "  retries %llu",
		    (unsigned long long)retries);
}
