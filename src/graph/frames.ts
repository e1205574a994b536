// Drops allocator frames from heap stacks (jeprof's RemoveUninterestingFrames) and applies
// --retain/--exclude to single frames (FilterFrames).
import type { Location } from '../model/profile.js';
import { hex16 } from '../model/address.js';
import { IntSequenceTable } from '../model/interner.js';
import { mergeStacks, type Stack } from './stacks.js';

const ALLOCATOR_FRAMES = [
  'calloc', 'cfree', 'malloc', 'newImpl', 'void* newImpl', 'free', 'memalign', 'posix_memalign',
  'aligned_alloc', 'pvalloc', 'valloc', 'realloc', 'mallocx', 'rallocx', 'xallocx', 'dallocx',
  'sdallocx', 'sdallocx_noflags', 'tc_calloc', 'tc_cfree', 'tc_malloc', 'tc_free', 'tc_memalign',
  'tc_posix_memalign', 'tc_pvalloc', 'tc_valloc', 'tc_realloc', 'tc_new', 'tc_delete', 'tc_newarray',
  'tc_deletearray', 'tc_new_nothrow', 'tc_newarray_nothrow', 'do_malloc', '::do_malloc',
  '::do_malloc_or_cpp_alloc', 'DoSampledAllocation', 'simple_alloc::allocate',
  '__malloc_alloc_template::allocate', '__builtin_delete', '__builtin_new', '__builtin_vec_delete',
  '__builtin_vec_new', 'operator new', 'operator new[]', 'malloc_zone_malloc', 'malloc_zone_calloc',
  'malloc_zone_valloc', 'malloc_zone_realloc', 'malloc_zone_memalign', 'malloc_zone_free',
  '__start_google_malloc', '__stop_google_malloc', '__start_malloc_hook', '__stop_malloc_hook',
];
// Mach-O adds a leading underscore to every name.
const SKIP = new Set(ALLOCATOR_FRAMES.flatMap((n) => [n, '_' + n]));
const SKIP_RE = /TCMalloc|^tcmalloc::/;

/** The first (outermost) frame's short name, or undefined when the PC has no symbol record. */
export function recordName(loc: Location): string | undefined {
  return loc.lines.length > 0 ? loc.lines[0].func.name : undefined;
}

/**
 * Walking leaf to root, an allocator frame throws away itself and everything below it: those
 * frames are the allocator's own. Stacks that end up equal are added together; a stack left empty
 * keeps its value (it counts in the Total line but in no row).
 */
export function removeAllocatorFrames(stacks: readonly Stack[]): Stack[] {
  // Most PCs recur in thousands of stacks: test each one once (by location id: 0 untested,
  // 1 allocator, 2 not).
  let flags = new Uint8Array(1024);
  const isAllocator = (loc: Location) => {
    if (loc.id >= flags.length) {
      const bigger = new Uint8Array(Math.max(loc.id + 1, flags.length * 2));
      bigger.set(flags);
      flags = bigger;
    }
    let f = flags[loc.id];
    if (f === 0) {
      const name = recordName(loc);
      f = name !== undefined && (SKIP.has(name) || SKIP_RE.test(name)) ? 1 : 2;
      flags[loc.id] = f;
    }
    return f === 1;
  };
  // Trimming and merging in one pass: a trimmed stack is sliced only when it is new.
  let frames = 0;
  for (const s of stacks) frames += s.locations.length;
  const seen = new IntSequenceTable(stacks.length, frames);
  const out: Stack[] = [];
  let ids = new Int32Array(64);
  for (const s of stacks) {
    const locs = s.locations;
    let keepFrom = 0;
    for (let i = 0; i < locs.length; i++) if (isAllocator(locs[i])) keepFrom = i + 1;
    const n = locs.length - keepFrom;
    if (n > ids.length) ids = new Int32Array(n * 2);
    for (let i = 0; i < n; i++) ids[i] = locs[keepFrom + i].id;
    const e = seen.intern(ids, n);
    if (seen.added) out.push({ locations: keepFrom === 0 ? locs : locs.slice(keepFrom), value: 0 + s.value });
    else out[e].value += s.value;
  }
  return out;
}

/**
 * --retain keeps only frames whose short name (or address, when unnamed) matches; --exclude
 * removes the matching ones. Stacks left with no frames are dropped altogether.
 */
export function filterFrames(stacks: readonly Stack[], retain?: RegExp, exclude?: RegExp): Stack[] {
  if (!retain && !exclude) return [...stacks];
  const out: Stack[] = [];
  for (const s of stacks) {
    const kept = s.locations.filter((loc) => {
      const name = recordName(loc) ?? hex16(loc.address);
      if (retain && !retain.test(name)) return false;
      if (exclude && exclude.test(name)) return false;
      return true;
    });
    if (kept.length > 0) out.push({ locations: kept, value: s.value });
  }
  return mergeStacks(out);
}
