// Small C and C++ programs for the record and doctor tests, built with the real compilers.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { needTool } from './need.js';

/**
 * Leaks 64 KiB per round in leak_some and frees 256 KiB per round in churn; `leak_some` is the only
 * call site of its size. argv: rounds (default 200), exit status (default 0), a file to write the
 * jemalloc-related environment it got to, and `kill` to end by SIGTERM to itself.
 */
export const LEAKY_C = `
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static void **kept; static size_t nkept;
__attribute__((noinline)) void leak_some(size_t n) { kept = realloc(kept, (nkept + 1) * sizeof *kept); kept[nkept++] = memset(malloc(n), 1, n); }
__attribute__((noinline)) void churn(size_t n) { char *p = malloc(n); memset(p, 2, n); free(p); }
int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 200;
  if (argc > 3) {
    FILE *f = fopen(argv[3], "w");
    const char *names[] = {"LD_PRELOAD", "MALLOC_CONF", "_RJEM_MALLOC_CONF"};
    for (int i = 0; i < 3; i++) fprintf(f, "%s=%s\\n", names[i], getenv(names[i]) ? getenv(names[i]) : "(unset)");
    fclose(f);
  }
  for (int i = 0; i < rounds; i++) { leak_some(64 * 1024); churn(256 * 1024); }
  if (argc > 4 && strcmp(argv[4], "kill") == 0) raise(SIGTERM);
  return argc > 2 ? atoi(argv[2]) : 0;
}
`;

/** Allocates and frees the same amount each round: nothing grows. */
export const STEADY_CXX = `
#include <cstdlib>
#include <memory>
#include <vector>
__attribute__((noinline)) void work_steady(size_t n) { std::vector<char> v(n, 1); asm volatile("" :: "r"(v.data()) : "memory"); }
int main(int argc, char **argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 200;
  for (int i = 0; i < rounds; i++) work_steady(256 * 1024);
  return 0;
}
`;

/** A C++ program that leaks through operator new in grow_cache. */
export const LEAKY_CXX = `
#include <cstdlib>
#include <string>
#include <vector>
static std::vector<std::string*> cache;
__attribute__((noinline)) void grow_cache(size_t n) { cache.push_back(new std::string(n, 'x')); }
int main(int argc, char **argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 200;
  for (int i = 0; i < rounds; i++) grow_cache(64 * 1024);
  return 0;
}
`;

export const NO_ALLOC_C = `int main(void) { return 0; }\n`;

/** Writes `source` to dir/name.c (or .cc) and compiles it to dir/name with `flags`; returns the program's path. */
export function buildProgram(dir: string, name: string, source: string, flags: string[] = [], cxx = false): string {
  needTool(cxx ? 'g++' : 'gcc', cxx ? 'g++' : 'gcc');
  const src = join(dir, `${name}.${cxx ? 'cc' : 'c'}`);
  writeFileSync(src, source);
  const out = join(dir, name);
  execFileSync(cxx ? 'g++' : 'gcc', ['-O1', '-g', '-fno-omit-frame-pointer', '-o', out, src, ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  return out;
}
