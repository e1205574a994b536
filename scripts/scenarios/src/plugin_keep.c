/* Scenario 4: plugin that stays loaded (dlopen'ed, never closed). */
#include <stdlib.h>
#include <string.h>
static void *held[1000];
static int nheld;
__attribute__((noinline)) static void *plugin_leaf(size_t n) { void *p = malloc(n); memset(p, 0, n); return p; }
__attribute__((noinline)) static void plugin_mid(int i) { held[nheld++] = plugin_leaf(200 + 16 * (i % 20)); }
void plugin_run(int n) { for (int i = 0; i < n && nheld < 1000; i++) plugin_mid(i); }
void *plugin_alloc_cb(size_t n) { return plugin_leaf(n); }
