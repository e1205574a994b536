/* Scenario 5: several pthreads, each with its own call path, named through
 * jemalloc's thread.prof.name; linked with -ljemalloc (not preloaded); a
 * manual dump with mallctl("prof.dump", file) while all threads are alive. */
#include <jemalloc/jemalloc.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NT 5
static pthread_barrier_t allocated, dumped;
static sem_t started; /* threads start one at a time: jemalloc's thread uids are then reproducible */
static void *keep[NT][4000];

__attribute__((noinline)) static void *t_leaf(size_t n) { return malloc(n); }
__attribute__((noinline)) static void path_parser(void **k, int n) { for (int i = 0; i < n; i++) k[i] = t_leaf(48 + i % 64); }
__attribute__((noinline)) static void path_cache(void **k, int n) { for (int i = 0; i < n; i++) k[i] = calloc(4, 1024 + i % 3); }
__attribute__((noinline)) static void path_buffers(void **k, int n) { for (int i = 0; i < n; i++) k[i] = t_leaf(65536); }
__attribute__((noinline)) static void path_strings(void **k, int n) {
    char tmp[64];
    for (int i = 0; i < n; i++) { snprintf(tmp, sizeof tmp, "string-%d-xxxxxxxxxxxxxxxxxxxxxxxx", i); k[i] = strdup(tmp); }
}
__attribute__((noinline)) static void path_deep3(void **k, int n) { path_parser(k, n); }
__attribute__((noinline)) static void path_deep2(void **k, int n) { path_deep3(k, n); }
__attribute__((noinline)) static void path_deep1(void **k, int n) { path_deep2(k, n); }

static void *worker(void *arg) {
    long id = (long)arg;
    static const char *names[NT] = {"parser", "cache", NULL, "strings", "deep worker"};
    free(malloc(1));
    if (names[id]) {
        const char *nm = names[id];
        if (mallctl("thread.prof.name", NULL, NULL, (void *)&nm, sizeof nm) != 0) { fprintf(stderr, "thread.prof.name failed\n"); exit(2); }
    }
    sem_post(&started);
    switch (id) {
    case 0: path_parser(keep[0], 3000); break;
    case 1: path_cache(keep[1], 500); break;
    case 2: path_buffers(keep[2], 40); break;
    case 3: path_strings(keep[3], 2000); break;
    default: path_deep1(keep[4], 1500); break;
    }
    pthread_barrier_wait(&allocated);
    pthread_barrier_wait(&dumped);
    /* after the manual dump: free half of it */
    for (int i = 0; i < 4000; i += 2) { free(keep[id][i]); keep[id][i] = NULL; }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s <manual-dump-file>\n", argv[0]); return 2; }
    pthread_t th[NT];
    pthread_barrier_init(&allocated, NULL, NT + 1);
    pthread_barrier_init(&dumped, NULL, NT + 1);
    void *mine = t_leaf(123456);
    sem_init(&started, 0, 0);
    for (long i = 0; i < NT; i++) {
        pthread_create(&th[i], NULL, worker, (void *)i);
        sem_wait(&started);
    }
    pthread_barrier_wait(&allocated);
    const char *fname = argv[1];
    if (mallctl("prof.dump", NULL, NULL, (void *)&fname, sizeof fname) != 0) { fprintf(stderr, "prof.dump failed\n"); return 2; }
    pthread_barrier_wait(&dumped);
    for (int i = 0; i < NT; i++) pthread_join(th[i], NULL);
    printf("%p\n", mine != NULL ? (void *)1 : NULL);
    return 0;
}
