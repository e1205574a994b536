// Which of a profile's mappings are an allocator's (for --trim-allocator): libjemalloc, tcmalloc or
// mimalloc by name, or a shared library other than the C library that defines `malloc` itself,
// found in its dynamic symbol table (a renamed or vendored allocator).
import { basename } from 'node:path';
import type { Mapping } from '../model/profile.js';
import { definesDynamicFunction } from './elf-defines.js';

const BY_NAME = /^lib(je|tc|mi)malloc[^/]*\.so/;
/** Libraries that define malloc without being the allocator a program uses (glibc's own), or never define it. */
const NOT_ALLOCATORS = /^(libc|libm|libstdc\+\+|libgcc_s|ld-linux[^/]*|libpthread|libdl|librt)\.so/;

/** Decides per mapping, reading each file's dynamic symbols at most once. `find` maps a dump path to the file here. */
export function allocatorMappings(find: (file: string) => string = (f) => f): (m: Mapping | undefined) => boolean {
  const known = new Map<Mapping, boolean>();
  return (m) => {
    if (!m) return false;
    let is = known.get(m);
    if (is === undefined) {
      is = isAllocatorFile(find(m.file));
      known.set(m, is);
    }
    return is;
  };
}

function isAllocatorFile(path: string): boolean {
  const name = basename(path);
  if (BY_NAME.test(name)) return true;
  if (!name.includes('.so') || NOT_ALLOCATORS.test(name)) return false;
  return definesDynamicFunction(path, 'malloc');
}
