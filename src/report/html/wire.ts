// The data the page reads (embedded as JSON): types only, shared by the builder and the page code.
import type { HtmlReportInput, HtmlUnnamedReason } from './types.js';

/** Written into every page; a page reads only the schema it was built with. */
export const PAGE_SCHEMA = 'jeprof-ts/html/1';

/** A `name` of a tree node that stands for a caller's callees merged by pruning. */
export const MERGED = -1;

/**
 * A call tree, columnar, in preorder: node i's children are the next `kids[i]` subtrees. Node 0
 * is the root ("all"). Each value column is in the report's unit. A tree carries one series (the
 * flame graph) or two (the differential view: 0 = current, 1 = base).
 */
export interface WireTree {
  /** Index into PageData.strings, or MERGED. The root's name is "all". */
  name: number[];
  /** Number of direct children. */
  kids: number[];
  /** Per series: value of every stack through the node (cum). */
  value: number[][];
  /**
   * Per series: the part of `value` in which this node is an allocator frame, so trimmed when
   * allocator frames are hidden: the node then keeps value - alloc, and goes when that is 0.
   */
  alloc: number[][];
  /** For each MERGED node, in preorder: how many callees of its caller it stands for. */
  merged: number[];
  pruned: PruneNote;
}

/** What pruning merged away, for the page to say (counted on the untrimmed and on the trimmed tree). */
export interface PruneNote {
  /** Frames (tree nodes) not drawn, each merged subtree counted whole. */
  frames: number;
  /** The same with allocator frames hidden. */
  framesTrimmed: number;
  /** Per series, the value of the MERGED boxes, in the report's unit. */
  value: number[];
  /** Per series, the same with allocator frames hidden. */
  valueTrimmed: number[];
  /** The threshold, in the report's unit: frames below it were merged. */
  threshold: number;
}

/** Columns of per-function rows; `name` indexes PageData.strings. */
export interface WireTop {
  name: number[];
  /** In the report's unit, as HtmlTopRow. */
  flat: number[];
  cum: number[];
}

/** Per function, the current profile against the base, allocator frames trimmed; by |cum delta|. */
export interface WireDelta {
  name: number[];
  /** In the report's unit. */
  flatCur: number[];
  flatBase: number[];
  cumCur: number[];
  cumBase: number[];
}

export interface WireTrend {
  labels: string[];
  /** In the report's unit, one per label. */
  totals: number[];
  /** Columns of HtmlTrendRow, `name` indexing PageData.strings. */
  name: number[];
  values: number[][];
  first: number[];
  last: number[];
  growth: number[];
  slope: number[];
  steady: number[];
}

/** The input's facts as given (see HtmlReportInput), and what the builder adds. */
export interface WireSummary extends Pick<HtmlReportInput, 'program' | 'sampleType' | 'unit' | 'samplingRate' | 'dumps' | 'total'> {
  /** Sum of the stacks the flame graph draws, in `unit` (below `total` when filters dropped stacks). */
  stacksTotal: number;
  /** In `unit`; see HtmlNaming. */
  unnamed: number;
  reasons: HtmlUnnamedReason[];
  /** 0 to 1. */
  pruneFraction: number;
}

export interface PageData {
  schema: typeof PAGE_SCHEMA;
  /** Every name, once; the columns hold indices into it. */
  strings: string[];
  summary: WireSummary;
  top: WireTop;
  flame: WireTree;
  diff?: { baseFile: string; tree: WireTree; delta: WireDelta };
  trend?: WireTrend;
}
