// The HTML report's input: plain data the CLI fills from a run (no Locations, no classes).

/** Which of jemalloc's four values the report shows (jeprof's --inuse_space and friends). */
export type SampleType = 'inuse_space' | 'inuse_objects' | 'alloc_space' | 'alloc_objects';

/** What every value field below counts: bytes for the *_space types, objects for *_objects. */
export type ValueUnit = 'bytes' | 'objects';

export interface HtmlDump {
  /** The dump file as given on the command line. */
  file: string;
  /** The process id in jemalloc's file name (jeprof.<pid>.<seq>.i<n>.heap), when it has one. */
  pid?: number;
  /** The sequence number in that file name. */
  seq?: number;
  /** When the dump was written: the file's mtime, ISO 8601. */
  mtime?: string;
  /** Sum of the dump's samples, in `unit`. */
  total: number;
}

export interface HtmlStack {
  /** Display names, root (outermost caller) first, the allocating frame last. */
  frames: string[];
  /** This stack's value in `unit`; zero or more (one profile's samples, no base subtracted). */
  value: number;
  /**
   * How many innermost frames (the end of `frames`) are the allocator's own (malloc, operator
   * new, jemalloc internals), as the text reports trim them. The page hides them by default.
   */
  allocatorDepth: number;
  /** Optional: `frames` as indexes into HtmlReportInput.frameNames (faster to build the tree from). */
  frameIds?: Int32Array;
}

export interface HtmlTopRow {
  name: string;
  /** Value in `unit` whose innermost kept frame is this function. */
  flat: number;
  /** Value in `unit` of every stack through this function. */
  cum: number;
}

/** Why some frames have no name, per object file (missing debug info, stripped binary, ...). */
export interface HtmlUnnamedReason {
  /** The object file whose addresses stayed unnamed. */
  file: string;
  /** Value in `unit` of the stacks with an unnamed frame in this file. */
  value: number;
  /** One line for a human, e.g. "stripped, no .debug file found". */
  why: string;
}

export interface HtmlNaming {
  /** Value in `unit` of stacks with at least one frame that has no name (shown as an address). */
  unnamed: number;
  reasons: HtmlUnnamedReason[];
}

export interface HtmlTrendRow {
  name: string;
  /** The row's value in `unit` in each dump of the series, in `labels` order (flat, or cum with --cum: `trend`'s values). */
  values: number[];
  /** `values` at the first and at the last dump, in `unit`. */
  first: number;
  last: number;
  /** last - first, in `unit`. */
  growth: number;
  /** Least-squares slope of `values`: `unit` per dump. */
  slope: number;
  /** How steady the growth is, 0 to 1: the share of dump-to-dump steps in which the value did not shrink. */
  steady: number;
}

export interface HtmlTrend {
  /** One label per dump of the series, oldest first (file names or times). */
  labels: string[];
  /** The profile total at each dump, in `unit`. */
  totals: number[];
  /** The functions to show, in the order to show them (the trend report's order). */
  rows: HtmlTrendRow[];
}

export interface HtmlReportInput {
  /** The program path as given on the command line. */
  program: string;
  sampleType: SampleType;
  unit: ValueUnit;
  /** Average bytes between samples (2^lg_prof_sample); 0 when the dump is not sampled. */
  samplingRate: number;
  /** The dumps added together for this report (several files are summed, as jeprof does). */
  dumps: HtmlDump[];
  /** The report's Total, in `unit` (with `base`, the current total minus the base's). */
  total: number;
  naming: HtmlNaming;
  /** Exactly the rows and order of the `top` text report. */
  top: HtmlTopRow[];
  /** The current profile's stacks, untrimmed (allocator frames included), after any filter. */
  stacks: HtmlStack[];
  /** The names every stack's frameIds point into, when the stacks have them. */
  frameNames?: readonly string[];
  /** With --base: the base profile's stacks, for the differential view (current - base per frame). */
  base?: { file: string; stacks: HtmlStack[] };
  /** With a series of dumps: values per dump. */
  trend?: HtmlTrend;
  /**
   * Frames whose value is below this share (0 to 1) of the flame graph's total are merged into one
   * "smaller frames" box per caller; the page says how many and how much. Default
   * DEFAULT_PRUNE_FRACTION; 0 keeps every frame (a large profile then makes a large file).
   */
  pruneFraction?: number;
}

/** 0.1%: on a graph 1,000 pixels wide a merged frame was under a pixel; the 24,000-stack test profile keeps 1,716 boxes of 312,000 paths. */
export const DEFAULT_PRUNE_FRACTION = 0.001;
