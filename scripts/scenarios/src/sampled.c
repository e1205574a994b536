/* Scenario 3: default sampling (lg_prof_sample 19) with prof_accum: many sizes,
 * some big, lots of freed churn so --alloc_space/--alloc_objects differ. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <stdint.h>
#include "jedump.h"

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

static void *keep[200000];
static int nkeep;

__attribute__((noinline)) void *alloc_small(size_t n) { return malloc(n); }
__attribute__((noinline)) void *alloc_medium(size_t n) { return calloc(1, n); }
__attribute__((noinline)) void *alloc_big(size_t n) { void *p = malloc(n); memset(p, 1, 4096); return p; }
__attribute__((noinline)) void *alloc_huge(size_t n) { return malloc(n); }
__attribute__((noinline)) void *alloc_aligned(size_t n) { return aligned_alloc(256, n); }
__attribute__((noinline)) void *regrow(void *p, size_t n) { return realloc(p, n); }

__attribute__((noinline)) void churn_small(int rounds) {
    for (int i = 0; i < rounds; i++) {
        void *p = alloc_small(8 + next() % 4000);
        free(p);
    }
}
__attribute__((noinline)) void churn_big(int rounds) {
    for (int i = 0; i < rounds; i++) {
        void *p = alloc_big(65536 + next() % (4u << 20));
        free(p);
    }
}

__attribute__((noinline)) void keep_mixed(int rounds) {
    for (int i = 0; i < rounds; i++) {
        uint64_t r = next() % 100;
        void *p;
        if (r < 60) p = alloc_small(1 + next() % 512);
        else if (r < 90) p = alloc_medium(1024 + next() % 30000);
        else if (r < 98) p = alloc_aligned(4096 * (1 + next() % 16));
        else p = alloc_big(100000 + next() % 900000);
        keep[nkeep++] = p;
    }
}

__attribute__((noinline)) void grow_buffers(int n) {
    for (int i = 0; i < n; i++) {
        void *p = NULL;
        size_t sz = 100;
        for (int k = 0; k < 12; k++) { sz *= 2; p = regrow(p, sz); }
        keep[nkeep++] = p;
    }
}

int main(void) {
    keep_mixed(20000);
    churn_small(50000);
    jedump_now();
    churn_big(300);
    for (int i = 0; i < 6; i++) keep[nkeep++] = alloc_huge((size_t)(8 + i * 4) << 20);
    grow_buffers(40);
    keep_mixed(10000);
    printf("%d\n", nkeep);
    return 0;
}
