/* Scenario 2: C -O2, non-PIE, several functions, recursion (binary tree,
 * mutual recursion, a recursive string builder). */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "jedump.h"

struct node { struct node *l, *r; int key; char pad[40]; };

__attribute__((noinline)) static struct node *tree_build(int depth, int key) {
    struct node *n = malloc(sizeof *n);
    n->key = key;
    if (depth > 0) {
        n->l = tree_build(depth - 1, key * 2);
        n->r = tree_build(depth - 1, key * 2 + 1);
    } else {
        n->l = n->r = NULL;
    }
    return n;
}

static int is_odd(int n, void **keep);
__attribute__((noinline)) static int is_even(int n, void **keep) {
    if (n == 0) { *keep = calloc(1, 777); return 1; }
    return is_odd(n - 1, keep);
}
__attribute__((noinline)) static int is_odd(int n, void **keep) {
    if (n == 0) { *keep = malloc(999); return 0; }
    return is_even(n - 1, keep);
}

__attribute__((noinline)) static char *build_string(int n) {
    if (n == 0) return strdup("base");
    char *inner = build_string(n - 1);
    size_t len = strlen(inner) + 16;
    char *s = malloc(len);
    snprintf(s, len, "(%s)", inner);
    free(inner);
    return s;
}

__attribute__((noinline)) static void *grow_array(int steps) {
    size_t cap = 16;
    int *a = malloc(cap * sizeof(int));
    for (int i = 0; i < steps; i++) {
        if ((size_t)i == cap) { cap *= 2; a = realloc(a, cap * sizeof(int)); }
        a[i] = i;
    }
    return a;
}

__attribute__((noinline)) static void *aligned_block(size_t align, size_t n) {
    void *p = NULL;
    if (posix_memalign(&p, align, n) != 0) abort();
    return p;
}

static void *keep[4096];
static int nkeep;

int main(void) {
    struct node *t = tree_build(12, 1);
    for (int i = 0; i < 200; i++) {
        void *k = NULL;
        is_even(i % 17, &k);
        keep[nkeep++] = k;
    }
    jedump_now();
    for (int i = 0; i < 100; i++) keep[nkeep++] = build_string(i % 20);
    for (int i = 0; i < 30; i++) keep[nkeep++] = grow_array(1000 + i * 300);
    for (int i = 0; i < 40; i++) keep[nkeep++] = aligned_block(4096, 5000);
    printf("%d %d\n", t->key, nkeep);
    return 0;
}
