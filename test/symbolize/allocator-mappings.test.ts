// Which mappings --trim-allocator takes for the allocator's: libjemalloc (and tcmalloc, mimalloc)
// by name, any other shared library whose dynamic symbols define malloc (a vendored or renamed
// allocator), and never the C library or a library that only calls malloc. Real files, real gcc.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Mapping } from '../../src/model/profile.js';
import { allocatorMappings } from '../../src/symbolize/allocator-mappings.js';
import { buildProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/temp-dir.js';

const mapping = (file: string): Mapping => ({ id: 1, start: 0n, limit: 0n, offset: 0n, file }) as Mapping;
const LIBC = '/usr/lib/x86_64-linux-gnu/libc.so.6';
const JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';

describe('allocatorMappings', () => {
  const dir = tempDir('jeprof-ts-allocator-maps-');
  const vendored = buildProgram(dir, 'libvendor.so', '#include <stddef.h>\nvoid *malloc(size_t n) { static char pool[1 << 16]; static size_t used; void *p = pool + used; used += n; return p; }\n', ['-shared', '-fPIC']);
  const caller = buildProgram(dir, 'libcaller.so', '#include <stdlib.h>\nvoid *grab(size_t n) { return malloc(n); }\n', ['-shared', '-fPIC']);

  it('libjemalloc is the allocator by its name, even stripped', () => {
    expect(existsSync(JEMALLOC), `${JEMALLOC} is missing: apt-get install libjemalloc-dev`).toBe(true);
    expect(allocatorMappings()(mapping(JEMALLOC))).toBe(true);
  });

  it('a library that defines malloc is the allocator, under any name', () => {
    expect(allocatorMappings()(mapping(vendored))).toBe(true);
    const renamed = join(dir, 'libfastpool.so.3');
    copyFileSync(vendored, renamed);
    expect(allocatorMappings()(mapping(renamed))).toBe(true);
  });

  it('libc (which defines malloc too), a library that only calls malloc, the program and a missing file are not', () => {
    const is = allocatorMappings();
    expect(is(mapping(LIBC))).toBe(false);
    expect(is(mapping(caller))).toBe(false);
    expect(is(mapping(process.execPath))).toBe(false);
    expect(is(mapping(join(dir, 'gone.so')))).toBe(false);
    expect(is(undefined)).toBe(false);
  });

  it('a damaged or cut short library is not the allocator, and reading it never throws', () => {
    const bytes = readFileSync(vendored);
    const is = allocatorMappings();
    for (const [name, data] of [['cut.so', bytes.subarray(0, 200)], ['cut-half.so', bytes.subarray(0, bytes.length >> 1)], ['garbage.so', Buffer.alloc(4096, 0x7f)]] as const) {
      writeFileSync(join(dir, name), data);
      expect(is(mapping(join(dir, name))), name).toBe(false);
    }
  });

  it('finds the file through the given path rewrite (--map-path)', () => {
    const seen: string[] = [];
    const is = allocatorMappings((f) => (seen.push(f), f.replace('/deployed/', `${dir}/`)));
    expect(is(mapping('/deployed/libvendor.so'))).toBe(true);
    expect(seen).toEqual(['/deployed/libvendor.so']);
  });
});
