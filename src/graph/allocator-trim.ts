// --trim-allocator: drops the allocator's own innermost frames from each stack, so its leaf is the
// code that asked for memory. jeprof's own removal goes by a list of names, which Debian's
// libjemalloc (stripped to its exports) defeats: every leak's leaf there is `malloc_usable_size`.
import type { Location } from '../model/profile.js';
import { grownToHold } from '../model/grow.js';
import type { FlatStacks, LocationsById } from './flat-stacks.js';
import { mergeStacks, type Stack } from './stacks.js';

/**
 * Allocation entry points by their short name: the C library's and libstdc++'s (operator new
 * and new[]), Rust's global allocator shims, jemalloc's non-standard API.
 */
const ENTRY_POINTS = new Set([
  'malloc', 'calloc', 'realloc', 'reallocarray', 'free', 'aligned_alloc', 'posix_memalign', 'memalign', 'valloc', 'pvalloc',
  '__libc_malloc', '__libc_calloc', '__libc_realloc', '__libc_memalign', '__libc_valloc', '__libc_pvalloc', '__libc_free',
  'operator new', 'operator new[]', 'operator delete', 'operator delete[]',
  '__rust_alloc', '__rust_alloc_zeroed', '__rust_realloc', '__rust_dealloc',
  '__rdl_alloc', '__rdl_alloc_zeroed', '__rdl_realloc', '__rdl_dealloc',
  '__rg_alloc', '__rg_alloc_zeroed', '__rg_realloc', '__rg_dealloc',
  'mallocx', 'rallocx', 'xallocx', 'sallocx', 'dallocx', 'sdallocx', 'nallocx', 'malloc_usable_size',
]);

/**
 * libstdc++'s allocation plumbing, inlined into the program: the allocators (std::allocator,
 * __new_allocator, allocator_traits) and the containers' node and buffer getters. The container
 * operation that asked (_M_emplace_hint_unique, _M_realloc_insert, _M_mutate) is the leaf left.
 */
const STD_PLUMBING = /^(std|__gnu_cxx)::(\w+::)*(allocate|_M_allocate\w*|_M_get_node|_M_create_node|_M_create|_M_create_storage|_Auto_node|_Scoped_node)$/;

/**
 * A jemalloc linked into the program, by its own symbols: its private namespace (je_, or Rust
 * tikv-jemallocator's _rjem_), and the static inline functions of its allocation path, which get
 * no prefix. Deliberately narrow (no extent_, pa_, large_): only the innermost run is trimmed,
 * but a program's own function must not be taken for jemalloc's.
 */
const STATIC_JEMALLOC = /^(je_|_rjem_|imalloc|ialloc|iralloc|idalloc|prof_|arena_malloc|tcache_alloc|malloc_default)/;

/** Whether a function (by its short name) is an allocation entry point, libstdc++ plumbing or a static jemalloc's. */
export function isAllocatorFunction(name: string): boolean {
  return ENTRY_POINTS.has(name) || STD_PLUMBING.test(name) || STATIC_JEMALLOC.test(name);
}

/**
 * Whether a whole PC is the allocator's: it lies in an allocator's mapping (`allocatorMapping`,
 * from the symbolizer: libjemalloc, or the library that defines malloc), or its innermost
 * function, and every function inlined around it, is the allocator's.
 */
export function allocatorFrameTest(allocatorMapping: (loc: Location) => boolean): (loc: Location) => boolean {
  const known = new Map<Location, boolean>();
  return (loc) => {
    let is = known.get(loc);
    if (is === undefined) {
      is = allocatorMapping(loc) || (loc.lines.length > 0 && loc.lines.every((l) => isAllocatorFunction(l.func.name)));
      known.set(loc, is);
    }
    return is;
  };
}

/**
 * Trims the allocator's innermost frames from stacks: whole PCs first (`isAllocator`), then the
 * inlined allocator levels of the PC left as the leaf (`std::__new_allocator::allocate (inline)`
 * inside add_to_map), which become a Location of their own. Those get ids from `firstFreeId` up,
 * and the same one in every call, so a series' dumps agree on them.
 */
export class AllocatorTrimmer {
  private readonly cut = new Map<Location, Location>();
  /** By location id, for the reduction's own trim (keepFrom): 0 untested, 1 allocator, 2 not. */
  private flags = new Uint8Array(1024);
  /** By location id: 1 + how many innermost inline levels are the allocator's (0 untested). */
  private cuts = new Uint8Array(1024);

  constructor(
    private readonly isAllocator: (loc: Location) => boolean,
    private nextId: number,
  ) {}

  /**
   * Each stack without its innermost run of allocator frames (a stack that is all allocator keeps
   * its outermost frame, so its bytes still have a row); stacks that became equal are added, in
   * first-seen order as jeprof adds stacks.
   */
  trim(stacks: readonly Stack[]): Stack[] {
    let trimmed = false;
    const out = stacks.map((s) => {
      const locs = s.locations;
      let k = 0;
      while (k < locs.length - 1 && this.isAllocator(locs[k])) k++;
      const leaf = locs.length > 0 ? this.withoutInlinedAllocator(locs[k]) : undefined;
      if (k === 0 && leaf === locs[0]) return s;
      trimmed = true;
      const kept = locs.slice(k);
      if (leaf) kept[0] = leaf;
      return { locations: kept, value: s.value };
    });
    return trimmed ? mergeStacks(out) : [...stacks];
  }

  /**
   * For the reduction (trimAndReduce), on a stack's location ids without making Stacks: where
   * stack i keeps its frames from once the innermost run of allocator PCs is dropped (at least
   * one frame kept), as an index into flat.ids.
   */
  keepFrom(flat: Pick<FlatStacks, 'ids' | 'starts' | 'ends'> & LocationsById, i: number): number {
    const ids = flat.ids;
    const last = flat.ends[i] - 1;
    let k = flat.starts[i];
    while (k < last && this.isAllocatorId(ids[k], flat)) k++;
    return k;
  }

  /**
   * How many innermost inline levels of the leaf PC `id` are allocator functions (its keys to
   * skip). By id, the Location fetched only the first time: fetching it for each of the 250 MB
   * dump's 280,000 stacks took 20 to 37 ms of trend's analysis.
   */
  leafCut(id: number, byId: LocationsById): number {
    if (id >= this.cuts.length) this.cuts = grownToHold(this.cuts, id);
    if (this.cuts[id] === 0) {
      const loc = byId.location(id);
      this.cuts[id] = 1 + loc.lines.length - this.withoutInlinedAllocator(loc).lines.length;
    }
    return this.cuts[id] - 1;
  }

  private isAllocatorId(id: number, byId: LocationsById): boolean {
    if (id >= this.flags.length) this.flags = grownToHold(this.flags, id);
    if (this.flags[id] === 0) this.flags[id] = this.isAllocator(byId.location(id)) ? 1 : 2;
    return this.flags[id] === 1;
  }

  /** `loc` without the allocator functions inlined innermost in it (lines are outermost first). */
  private withoutInlinedAllocator(loc: Location): Location {
    const known = this.cut.get(loc);
    if (known) return known;
    let n = loc.lines.length;
    while (n > 1 && isAllocatorFunction(loc.lines[n - 1].func.name)) n--;
    const out = n === loc.lines.length ? loc : { ...loc, id: this.nextId++, lines: loc.lines.slice(0, n) };
    this.cut.set(loc, out);
    return out;
  }
}
