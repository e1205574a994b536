// Drops allocator frames from heap stacks (jeprof's RemoveUninterestingFrames) and applies
// --retain/--exclude to single frames (FilterFrames).
import type { Location } from '../model/profile.js';
import { locationHex } from '../model/address.js';
import { IntSequenceTable } from '../model/interner.js';
import { mergeStacks, type Stack } from './stacks.js';
import { FlatStacks, type LocationsById } from './flat-stacks.js';
import { grownToHold } from '../model/grow.js';
import type { AllocatorTrimmer } from './allocator-trim.js';

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

/** Which PCs are allocator frames; most PCs recur in thousands of stacks, so each is tested once. */
export class AllocatorFrames {
  /** By location id: 0 untested, 1 allocator, 2 not. */
  private flags = new Uint8Array(1024);

  /** Whether location `id` is an allocator frame. */
  is(id: number, byId: LocationsById): boolean {
    if (id >= this.flags.length) this.flags = grownToHold(this.flags, id);
    let f = this.flags[id];
    if (f === 0) {
      const name = recordName(byId.location(id));
      f = name !== undefined && (SKIP.has(name) || SKIP_RE.test(name)) ? 1 : 2;
      this.flags[id] = f;
    }
    return f === 1;
  }

  /** Where stack i's kept part starts, as an index into flat.ids: just above its outermost allocator frame. */
  keepFrom(flat: FlatStacks, i: number, from = flat.starts[i]): number {
    const ids = flat.ids;
    const end = flat.ends[i];
    let keepFrom = from;
    for (let k = keepFrom; k < end; k++) if (this.is(ids[k], flat)) keepFrom = k + 1;
    return keepFrom;
  }
}

/**
 * Walking leaf to root, an allocator frame throws away itself and everything below it: those
 * frames are the allocator's own. Stacks that end up equal are added together; a stack left empty
 * keeps its value (it counts in the Total line but in no row).
 */
export function removeAllocatorFrames(stacks: readonly Stack[]): Stack[] {
  // Trimming and merging in one pass: a trimmed stack is sliced only when it is new.
  const flat = new FlatStacks(stacks);
  const seen = new TrimmedStacks(flat);
  const out: Stack[] = [];
  for (let i = 0; i < stacks.length; i++) {
    const s = stacks[i];
    const e = seen.add(i);
    const skip = seen.keepFrom - flat.starts[i];
    if (seen.added) out.push({ locations: skip === 0 ? s.locations : s.locations.slice(skip), value: 0 + s.value });
    else out[e].value += s.value;
  }
  seen.release();
  flat.release();
  return out;
}

/** Numbers stacks by what is left once allocator frames are trimmed: equal leftovers, one number. */
export class TrimmedStacks {
  private readonly allocator = new AllocatorFrames();
  private readonly table: IntSequenceTable;
  /** Where the last stack added keeps its frames from, as an index into flat.ids. */
  keepFrom = 0;
  /** Where the last stack started after --trim-allocator's own trim, before jeprof's. */
  trimmedFrom = 0;

  /** `trimmer`: --trim-allocator's trim, done first (see AllocatorTrimmer.keepFrom). */
  constructor(
    private readonly flat: FlatStacks,
    private readonly trimmer?: AllocatorTrimmer,
  ) {
    // Trimmed stacks are ranges of the flat ids: the table points into them.
    this.table = new IntSequenceTable(flat.count, 0, flat.ids);
  }

  /** True when the last add() saw its trimmed list for the first time. */
  get added(): boolean {
    return this.table.added;
  }

  /** The number of stack i of the flat stacks, trimmed. */
  add(i: number): number {
    this.trimmedFrom = this.trimmer ? this.trimmer.keepFrom(this.flat, i) : this.flat.starts[i];
    const keepFrom = (this.keepFrom = this.allocator.keepFrom(this.flat, i, this.trimmedFrom));
    return this.table.intern(this.flat.ids, this.flat.ends[i] - keepFrom, keepFrom);
  }

  /** Done adding: the table's arrays go to the next table made. */
  release(): void {
    this.table.release();
  }
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
      const name = recordName(loc) ?? locationHex(loc);
      if (retain && !retain.test(name)) return false;
      if (exclude && exclude.test(name)) return false;
      return true;
    });
    if (kept.length > 0) out.push({ locations: kept, value: s.value });
  }
  return mergeStacks(out);
}
