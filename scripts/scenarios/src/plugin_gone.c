/* Scenario 4: plugin that allocates, leaks, and is then dlclose'd, so its
 * frames point into a mapping that is gone from MAPPED_LIBRARIES. */
#include <stdlib.h>
void *gone_store[100];
__attribute__((noinline)) static void *gone_leaf(size_t n) { return malloc(n); }
void gone_run(void **out, int n) { for (int i = 0; i < n; i++) out[i] = gone_leaf(3000 + i); }
