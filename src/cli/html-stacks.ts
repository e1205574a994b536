// A run's stacks as the HTML report's flame graph takes them: frame names root first, as the
// report's keys name them, with the allocator's innermost frames counted (the page hides them).
import type { AllocatorTrimmer } from '../graph/allocator-trim.js';
import type { StackRanges } from '../graph/flat-stacks.js';
import { IntList, type KeyNumbering, translateStackIds, type TranslateContext } from '../graph/granularity.js';
import type { HtmlStack } from '../report/html/types.js';

/** The ids of stacks' frames are kept in blocks of this many (4 MiB). */
const BLOCK_INTS = 1 << 20;

export class HtmlStackMaker {
  /**
   * `numbering`: the top analysis's own, so each PC's keys are known already (translation is
   * then copying ids) and a frame's name is the very string the table shows.
   */
  constructor(
    private readonly ctx: TranslateContext,
    private readonly trimmer: AllocatorTrimmer,
    private readonly numbering: KeyNumbering,
  ) {}

  /** What the stacks' frameIds point into (HtmlReportInput.frameNames). */
  get frameNames(): readonly string[] {
    return this.numbering.names;
  }

  /**
   * Stacks after jeprof's allocator removal and the filters (the analysis's own ranges): what
   * the top table adds up. Negative values (a --base subtraction) have no width in a flame
   * graph: the caller passes the current and the base profile's stacks apart instead.
   */
  make(r: StackRanges): HtmlStack[] {
    const out: HtmlStack[] = [];
    const keys = new IntList();
    const prefix = new IntList();
    // Each stack's ids a view into a shared block: an Int32Array of its own per stack was a buffer
    // and its allocation each (280,000 of them on the 250 MB dump).
    let block = new Int32Array(BLOCK_INTS);
    let used = 0;
    for (let i = 0; i < r.count; i++) {
      const value = r.values[i];
      const from = r.starts[i];
      if (!(value > 0) || from === r.ends[i]) continue;
      keys.n = 0;
      translateStackIds(r.ids, from, r.ends[i], r, this.ctx, this.numbering, keys);
      // trend's trim: the innermost run of allocator PCs (at least one PC kept), then the allocator
      // levels inlined into the PC left as the leaf (one key per inline level).
      const kept = this.trimmer.keepFrom(r, i);
      let allocatorDepth = this.trimmer.leafCut(r.ids[kept], r);
      if (kept > from) {
        prefix.n = 0;
        translateStackIds(r.ids, from, kept, r, this.ctx, this.numbering, prefix);
        allocatorDepth += prefix.n;
      }
      if (used + keys.n > block.length) {
        block = new Int32Array(Math.max(BLOCK_INTS, keys.n));
        used = 0;
      }
      const frameIds = block.subarray(used, used + keys.n);
      used += keys.n;
      for (let k = 0; k < keys.n; k++) frameIds[keys.n - 1 - k] = keys.ids[k];
      out.push(new IdStack(frameIds, this.numbering.names, value, Math.min(allocatorDepth, keys.n)));
    }
    return out;
  }
}

/**
 * A stack whose frame names are made only when read: the tree reads the ids, and only the diff
 * view's delta table reads names (a million strings put in arrays cost more than the tree).
 */
class IdStack implements HtmlStack {
  private names?: string[];

  constructor(
    readonly frameIds: Int32Array,
    private readonly table: readonly string[],
    readonly value: number,
    readonly allocatorDepth: number,
  ) {}

  get frames(): string[] {
    return (this.names ??= Array.from(this.frameIds, (id) => this.table[id]));
  }
}
