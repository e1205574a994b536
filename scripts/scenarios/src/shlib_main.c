/* Scenario 4: program using its own shared library libfoo and two dlopen'ed plugins. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jedump.h"

void foo_register(int n);
void foo_raw(int n);
void *foo_calls_back(void *(*cb)(size_t), size_t n);

static void *keep[1000];

static void *load(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "dlopen %s: %s\n", path, dlerror()); exit(2); }
    return h;
}

__attribute__((noinline)) static void *main_leaf(size_t n) { return malloc(n); }

int main(int argc, char **argv) {
    (void)argc;
    char dir[4096];
    strncpy(dir, argv[0], sizeof dir - 1);
    dir[sizeof dir - 1] = 0;
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0; else strcpy(dir, ".");

    foo_register(3000);
    foo_raw(400);
    for (int i = 0; i < 50; i++) keep[i] = main_leaf(1000 + i);

    void *hk = load(dir, "plugin_keep.so");
    void (*run)(int) = (void (*)(int))dlsym(hk, "plugin_run");
    void *(*cb)(size_t) = (void *(*)(size_t))dlsym(hk, "plugin_alloc_cb");
    run(600);
    for (int i = 0; i < 100; i++) keep[100 + i] = foo_calls_back(cb, 5000 + i);

    void *hg = load(dir, "plugin_gone.so");
    void (*gone)(void **, int) = (void (*)(void **, int))dlsym(hg, "gone_run");
    gone(keep + 300, 80);
    jedump_now();                 /* plugin_gone still mapped here */
    dlclose(hg);                  /* ...but not in the final dump */
    printf("ok\n");
    return 0;
}
