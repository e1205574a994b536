/* Manual heap dump through jemalloc's mallctl("prof.dump"), found at run time
 * (the programs are run with LD_PRELOAD=libjemalloc.so.2, not linked to it).
 * Without a file name jemalloc writes <prof_prefix>.<pid>.<seq>.m<mseq>.heap. */
#ifndef JEDUMP_H
#define JEDUMP_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif
static inline void jedump_now(void) {
    typedef int (*mallctl_fn)(const char *, void *, size_t *, void *, size_t);
    mallctl_fn f = (mallctl_fn)dlsym(RTLD_DEFAULT, "mallctl");
    if (!f) {
        fprintf(stderr, "jedump: mallctl not found (is libjemalloc preloaded?)\n");
        exit(3);
    }
    int rc = f("prof.dump", NULL, NULL, NULL, 0);
    if (rc != 0) {
        fprintf(stderr, "jedump: prof.dump failed: %d\n", rc);
        exit(3);
    }
}
#ifdef __cplusplus
}
#endif
#endif
