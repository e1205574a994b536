// This machine's libm as a reference: a small C program, built with gcc, that computes exp or fma.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir.js';

// Reads doubles from stdin and writes, as raw doubles, exp(x) of each or fma(a, b, c) of each
// triple. -O2 without -ffast-math: the calls go to libm (exp@GLIBC_2.29, the symbol Perl uses).
const SOURCE = `#include <math.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  int fused = argc > 1 && strcmp(argv[1], "fma") == 0;
  size_t width = fused ? 3 : 1;
  static double in[3 * 4096], out[4096];
  size_t n;
  while ((n = fread(in, sizeof(double) * width, 4096, stdin)) > 0) {
    for (size_t i = 0; i < n; i++) out[i] = fused ? fma(in[3 * i], in[3 * i + 1], in[3 * i + 2]) : exp(in[i]);
    if (fwrite(out, sizeof(double), n, stdout) != n) return 1;
  }
  return ferror(stdin) ? 1 : 0;
}
`;

/** Builds the reference program in a temp folder and returns its path; fails when gcc is missing. */
export function buildLibmReference(): string {
  const dir = tempDir('jeprof-ts-libm-');
  writeFileSync(join(dir, 'libm-reference.c'), SOURCE);
  const program = join(dir, 'libm-reference');
  try {
    execFileSync('gcc', ['-O2', '-o', program, join(dir, 'libm-reference.c'), '-lm'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    // Not a skip: without the reference nothing checks that our numbers are jeprof's.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('gcc is needed to build the libm reference for this test: apt-get install gcc libc6-dev');
    throw new Error(`gcc failed to build the libm reference: ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
  }
  return program;
}

/** libm's results for `input`: exp of each double, or fma of each triple (mode 'fma'). */
export function runLibmReference(program: string, mode: 'exp' | 'fma', input: Float64Array): Float64Array {
  const count = mode === 'fma' ? input.length / 3 : input.length;
  const res = spawnSync(program, mode === 'fma' ? ['fma'] : [], { input: new Uint8Array(input.buffer, input.byteOffset, input.byteLength), maxBuffer: 8 * count + 1024 });
  if (res.error) throw res.error;
  if (res.status !== 0 || res.stdout.length !== 8 * count) throw new Error(`libm reference failed (exit ${res.status}, ${res.stdout.length} of ${8 * count} bytes): ${res.stderr.toString()}`);
  // A copy: the Buffer's offset need not be a multiple of 8.
  return new Float64Array(new Uint8Array(res.stdout).buffer);
}

/** A seeded generator of doubles uniform in [0, 1) with 53 random bits (mulberry32, twice). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  const next32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
}

/** The double `steps` representable values above `x` (below, for negative steps); x finite. */
export function ulpsAway(x: number, steps: number): number {
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  // Doubles of one sign are ordered like their bit patterns; -0 and +0 meet in the middle.
  const ordered = bits[0] < 0n ? -(bits[0] & 0x7fffffffffffffffn) : bits[0];
  const moved = ordered + BigInt(steps);
  bits[0] = moved < 0n ? -moved | -0x8000000000000000n : moved;
  return f[0];
}

/** The bit pattern of a double as 16 hex digits, for messages. */
export function hexBits(x: number): string {
  return new BigUint64Array(new Float64Array([x]).buffer)[0].toString(16).padStart(16, '0');
}
