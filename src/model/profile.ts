// The pprof-shaped profile model that every stage reads or writes (see google/pprof profile.go).

/** One executable mapping of the profiled process, from MAPPED_LIBRARIES. Addresses are runtime addresses. */
export interface Mapping {
  id: number;
  /** First byte of the mapping in the process (runtime address). */
  start: bigint;
  /** Last byte of the mapping, inclusive, as jeprof treats it. */
  limit: bigint;
  /** File offset of `start`, as written in /proc/self/maps. */
  offset: bigint;
  /** Path as written in the profile (after `$build` expansion). */
  file: string;
  buildId?: string;
}

/** A function; `name` is the short display name, `systemName` the full (possibly nm-tagged) name. */
export interface Func {
  id: number;
  name: string;
  systemName: string;
  filename: string;
}

/** One frame level of a Location: innermost inlined callee last, as jeprof orders its triples. */
export interface Line {
  func: Func;
  /** Source line number, 0 when unknown. */
  line: number;
  /** addr2line's `file:line` text exactly as printed (`??:0`, `:?`, `f.c:12 (discriminator 3)`); jeprof prints it verbatim. */
  fileLine: string;
}

/**
 * One distinct PC. `address` is already caller-adjusted (return address minus one for every frame
 * but the leaf), which is the address jeprof symbolizes and prints.
 * `lines` is outermost function first, inlined callees after it; empty until symbolized. This is
 * the reverse of pprof's Location.line (innermost first), decided so: it is jeprof's order (its
 * symbol triples), and every stage reads lines[0] as the PC's own function (jeprof's "record"),
 * so the pprof reader and writer (src/pprof) reverse the list at that boundary, and only there.
 * `mapping` is one of the profile's mappings (set by the symbolizer); the parsers fill
 * Profile.mappings from the dump's map section, the loader Profile.funcs from the frames.
 */
export interface Location {
  id: number;
  address: bigint;
  mapping?: Mapping;
  lines: Line[];
  /**
   * A leaf address as the dump spelled it, in jeprof's 16-digit form, when it has upper-case
   * digits: jeprof keys a stack's PCs by their text and adjusts (so lower-cases) only callers, so
   * such a leaf is a PC of its own, assigned to a library by comparing text, and printed as written.
   */
  text?: string;
}

/** One stack. `locations` is leaf first. `values[i]` is described by `Profile.sampleTypes[i]`. */
export interface Sample {
  locations: Location[];
  values: number[];
  /** `thread` = jemalloc thread uid for per-thread rows; absent for the all-threads (`t*`) row. */
  labels: Map<string, string>;
}

export interface SampleType {
  type: string;
  unit: string;
}

export interface Profile {
  sampleTypes: SampleType[];
  defaultSampleType: string;
  /** Sampling period in bytes (jemalloc's 2^lg_prof_sample), 0 when not sampled. */
  period: number;
  samples: Sample[];
  locations: Location[];
  funcs: Func[];
  mappings: Mapping[];
  comments: string[];
}

/** Heap profile values, in this order, as pprof's legacy heap parser lays them out. */
export const HEAP_SAMPLE_TYPES: readonly SampleType[] = [
  { type: 'alloc_objects', unit: 'count' },
  { type: 'alloc_space', unit: 'bytes' },
  { type: 'inuse_objects', unit: 'count' },
  { type: 'inuse_space', unit: 'bytes' },
];

export type HeapSampleType = 'alloc_objects' | 'alloc_space' | 'inuse_objects' | 'inuse_space';

/** The label key for jemalloc's per-thread rows. */
export const THREAD_LABEL = 'thread';

/** Index of a sample type in `profile.sampleTypes`; throws when absent (a programming error). */
export function sampleTypeIndex(profile: Profile, type: string): number {
  const i = profile.sampleTypes.findIndex((t) => t.type === type);
  if (i < 0) throw new Error(`profile has no sample type ${type}`);
  return i;
}

/** Creates an empty heap profile. */
export function emptyHeapProfile(period: number): Profile {
  return {
    sampleTypes: HEAP_SAMPLE_TYPES.map((t) => ({ ...t })),
    defaultSampleType: 'inuse_space',
    period,
    samples: [],
    locations: [],
    funcs: [],
    mappings: [],
    comments: [],
  };
}
