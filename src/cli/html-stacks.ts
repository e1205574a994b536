// A run's stacks as the HTML report's flame graph takes them: frame names root first, as the
// report's keys name them, with the allocator's innermost frames counted (the page hides them).
import type { AllocatorTrimmer } from '../graph/allocator-trim.js';
import { FlatStacks } from '../graph/flat-stacks.js';
import { IntList, KeyNumbering, translateStackIds, type TranslateContext } from '../graph/granularity.js';
import type { Stack } from '../graph/stacks.js';
import type { HtmlStack } from '../report/html/types.js';

export class HtmlStackMaker {
  /** Shared by every stack made: each PC is translated once (the top analysis's own cache is its own). */
  private readonly numbering = new KeyNumbering();

  /** What the stacks' frameIds point into (HtmlReportInput.frameNames). */
  get frameNames(): readonly string[] {
    return this.numbering.names;
  }

  constructor(
    private readonly ctx: TranslateContext,
    private readonly trimmer: AllocatorTrimmer,
  ) {}

  /**
   * Stacks after jeprof's allocator removal and the filters (filterStacks): what the top table
   * adds up. Negative values (a --base subtraction) have no width in a flame graph: the caller
   * passes the current and the base profile's stacks apart instead.
   */
  make(stacks: readonly Stack[]): HtmlStack[] {
    const out: HtmlStack[] = [];
    const flat = new FlatStacks(stacks);
    const keys = new IntList();
    const prefix = new IntList();
    const names = this.numbering.names;
    for (let i = 0; i < stacks.length; i++) {
      const s = stacks[i];
      if (!(s.value > 0) || s.locations.length === 0) continue;
      keys.n = 0;
      translateStackIds(flat.ids, flat.starts[i], flat.ends[i], flat, this.ctx, this.numbering, keys);
      // trend's trim: the innermost run of allocator PCs (at least one PC kept), then the allocator
      // levels inlined into the PC left as the leaf (one key per inline level).
      const dropped = this.trimmer.keptFrom(s.locations);
      let allocatorDepth = this.trimmer.leafCut(s.locations[dropped]);
      if (dropped > 0) {
        prefix.n = 0;
        translateStackIds(flat.ids, flat.starts[i], flat.starts[i] + dropped, flat, this.ctx, this.numbering, prefix);
        allocatorDepth += prefix.n;
      }
      const frameIds = new Int32Array(keys.n);
      for (let k = 0; k < keys.n; k++) frameIds[keys.n - 1 - k] = keys.ids[k];
      out.push(new IdStack(frameIds, names, s.value, Math.min(allocatorDepth, keys.n)));
    }
    flat.release();
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
