/* Scenario 6: built -O2 -g, then stripped; debug info kept separately. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "jedump.h"

static void *keep[10000];
static int nkeep;

static inline void *sized(size_t n) { return malloc(n); }
__attribute__((noinline)) void *make_record(int i) { char *p = sized(100 + i % 50); memset(p, i, 10); return p; }
__attribute__((noinline)) static void *make_table(int i) { return calloc(64, 8 + i % 4); }
__attribute__((noinline)) static void fill_records(int n) { for (int i = 0; i < n; i++) keep[nkeep++] = make_record(i); }
__attribute__((noinline)) static void fill_tables(int n) { for (int i = 0; i < n; i++) keep[nkeep++] = make_table(i); }
__attribute__((noinline)) static void *recurse_alloc(int d) { if (d == 0) return malloc(4096); return recurse_alloc(d - 1); }

int main(void) {
    fill_records(3000);
    jedump_now();
    fill_tables(800);
    for (int i = 0; i < 50; i++) keep[nkeep++] = recurse_alloc(i % 8);
    keep[nkeep++] = sized(1 << 20);
    printf("%d\n", nkeep);
    return 0;
}
