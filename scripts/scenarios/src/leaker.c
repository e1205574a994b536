/* Scenario 8: leaks steadily through a few paths; run with lg_prof_interval
 * so jemalloc writes a series of interval dumps. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static void *keep[100000];
static int nkeep;

__attribute__((noinline)) static void *leak_small(int i) { return malloc(32 + i % 96); }
__attribute__((noinline)) static void *leak_page(int i) { (void)i; return malloc(4096); }
__attribute__((noinline)) static void *leak_big(int i) { return malloc(200000 + (i % 5) * 1000); }
__attribute__((noinline)) static void temp_work(int i) { char *p = malloc(2000 + i % 100); memset(p, 1, 100); free(p); }
__attribute__((noinline)) static void phase(int step) {
    for (int i = 0; i < 200; i++) keep[nkeep++] = leak_small(i + step);
    for (int i = 0; i < 30; i++) keep[nkeep++] = leak_page(i);
    if (step % 3 == 0) keep[nkeep++] = leak_big(step);
    for (int i = 0; i < 50; i++) temp_work(i);
    /* some early leaks are freed later: the diff can go negative per stack */
    if (step > 5 && step % 4 == 0)
        for (int i = 0; i < 100; i++) { int k = (step - 5) * 230 + i; free(keep[k]); keep[k] = NULL; }
}

int main(void) {
    for (int step = 0; step < 100; step++) phase(step);
    printf("%d\n", nkeep);
    return 0;
}
