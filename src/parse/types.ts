// What a heap-file reader hands to the rest of the pipeline.
import type { Location, Profile } from '../model/profile.js';
import type { SymbolSection } from './symbolized.js';
import type { RunStacks } from './run-stacks.js';

export interface HeapFile {
  file: string;
  /** jeprof's profile type: it picks units and which allocator frames to drop. */
  kind: 'heap' | 'growth';
  /** t* rows as unlabelled samples, tN rows with a `thread` label; values already unsampled. */
  profile: Profile;
  /** The MAPPED_LIBRARIES text, verbatim. */
  mapText: string;
  /** Lines jeprof itself prints on stderr for this file (sampling notices, %warn). */
  notices: string[];
  /** Damage jeprof silently accepts; we say what and where. */
  warnings: string[];
  /** Highest address of any stack in the file: the end of jeprof's catch-all program mapping. */
  maxAddress: bigint;
  /**
   * Set when a worker thread read the part from byte `at` on (see split-parse.ts), its stacks
   * coming in `segments` segments (see PartRecorder).
   */
  split?: { at: number; segments: number };
  /** Symbolized profiles (--raw output) carry their own names; no program is needed then. */
  symbols?: SymbolSection;
}

export interface ParseOptions {
  /** Keep jemalloc's per-thread rows as samples (only --thread reports them); default true. */
  threadRows?: boolean;
  /** Told of each new Location as the stacks are read (early tools take the PCs as they come). */
  onNewLocation?: (loc: Location) => void;
  /**
   * The run's stacks, for a run of several dumps sharing one LocationTable (its `locations`):
   * their stacks go in one table, and a stack line read before is not parsed again.
   */
  runStacks?: RunStacks;
  /**
   * Told, as a file is read, how many of its bytes are read (both threads' when it is split) and
   * its size; only for a file whose size is known (not a pipe).
   */
  onProgress?: (bytes: number, total: number) => void;
}
