// The page's flame trees: the stacks' call tree pruned and laid out in columns (see WireTree), made
// as the stacks' paths are read in path order, holding only the open path and what is drawn.
import { sortedPaths, type TreeStack } from '../../graph/call-tree.js';
import type { StringTable } from '../../model/string-table.js';
import { DEFAULT_PRUNE_FRACTION, type HtmlStack } from './types.js';
import { MERGED, type PruneNote, type WireTree } from './wire.js';
import { UsageError } from '../../model/errors.js';
import { grownToHold } from '../../model/grow.js';

/**
 * The most frames a tree draws. The default share draws at most 1 / 0.001 frames a depth; a
 * share of 0 draws every frame: the large profile's 470,000 make a 6.7 MB page that still opens,
 * the 250 MB dump's 14 million a 201 MB page (ee52ba9, 15 s at 2 GB) that no browser draws, and
 * held as drawn nodes here they took V8 past its heap limit (an abort after 54 s and 4.4 GB).
 */
export const MAX_DRAWN_FRAMES = 1_000_000;

/** A node that is drawn: its callees that are drawn, and the box of those merged. */
interface DrawnNode {
  name: number;
  weight: number;
  /** Per series of the pick: cum value and its allocator part. */
  value: number[];
  alloc: number[];
  kids: DrawnNode[];
  box?: MergedBox;
}

/** A caller's pruned callees, summed into one box. */
interface MergedBox {
  value: number[];
  alloc: number[];
  count: number;
}

/**
 * The tree of `series` (one profile, or current and base), each caller's callees whose largest
 * value over the series is below `pruneFraction` of the largest root merged into one MERGED box
 * after the others. Children are ordered by that largest value, descending, then by name. Names
 * go into `table`, only those of nodes that are drawn.
 */
export function buildTree(series: readonly (readonly HtmlStack[])[], pruneFraction: number, table: StringTable): WireTree {
  return buildTrees(series, undefined, [series.map((_, s) => s)], pruneFraction, table)[0];
}

/**
 * One pruned tree per pick of series (so the flame graph, of the current stacks, and the
 * differential view, of the current and the base's, come from one reading of the paths), as
 * buildTree describes: a node with no value in any series of a pick is not part of its tree.
 *
 * The paths come in path order (sortedPaths): a node's subtree is read whole before its next
 * sibling's, so when a path leaves a node, the node's values are final and it is drawn or merged
 * then. Only the open path and the drawn nodes are held: the whole tree of the 250 MB dump (14
 * million nodes, a parent, a name, a value and an allocator part each) took 270 MiB.
 */
export function buildTrees(
  series: readonly (readonly TreeStack[])[],
  frameNames: readonly string[] | undefined,
  picks: readonly (readonly number[])[],
  pruneFraction: number,
  table: StringTable,
  maxDrawn = MAX_DRAWN_FRAMES,
): WireTree[] {
  if (!(pruneFraction >= 0 && pruneFraction <= 1)) throw new RangeError(`pruneFraction must be between 0 and 1, not ${pruneFraction}`);
  const p = sortedPaths(series, frameNames);
  const tooMany = () =>
    new UsageError(`the flame graph would draw more than ${maxDrawn.toLocaleString('en-US')} frames at --nodefraction=${pruneFraction}, more than a browser can draw: give a larger --nodefraction (the share of the total below which a caller's callees are merged; the page's default is ${DEFAULT_PRUNE_FRACTION})`);
  const open = new OpenPath(series.length, picks.map((pick) => new PickTree(pick, pruneFraction * Math.max(...pick.map((s) => p.rootValue[s])), maxDrawn, tooMany)));
  let before = 0;
  for (const k of p.order) {
    const ids = p.idsOf[k];
    const n = ids.length;
    // The callers this path shares with the one before stay open; the rest of that one closes.
    let d = 0;
    for (const shared = Math.min(n, before); d < shared && open.nameAt(d + 1) === ids[d]; ) d++;
    open.closeTo(d + 1);
    for (; d < n; d++) open.push(ids[d]);
    before = n;
    open.addStack(p.seriesOf[k], p.valueOf[k], p.allocatorDepthOf[k]);
  }
  open.closeTo(1);
  p.release();
  return open.picks.map((pick) => pick.wire(p.rootValue, p.names, table));
}

/**
 * The nodes of the path being read, root first (slot 0; slot d + 1 is the node at depth d), with
 * each series' value so far: its stacks' own values and those of its callees already closed.
 */
class OpenPath {
  private depth = 0;
  private names = new Int32Array(64);
  private value: Float64Array;
  private alloc: Float64Array;

  constructor(
    private readonly nSeries: number,
    readonly picks: PickTree[],
  ) {
    this.value = new Float64Array(64 * nSeries);
    this.alloc = new Float64Array(64 * nSeries);
    for (const pick of picks) pick.open(0);
  }

  nameAt(slot: number): number {
    return this.names[slot];
  }

  /** Opens the callee `name` of the deepest open node. */
  push(name: number): void {
    const slot = ++this.depth;
    if (slot >= this.names.length) this.grow();
    this.names[slot] = name;
    const S = this.nSeries;
    // Loops, not fill(): a call per node for one or two slots cost more than the writes.
    for (let i = slot * S; i < slot * S + S; i++) {
      this.value[i] = 0;
      this.alloc[i] = 0;
    }
    for (let p = 0; p < this.picks.length; p++) this.picks[p].open(slot);
  }

  /** Closes the open nodes in slot `from` and deeper, the deepest first, each into its caller. */
  closeTo(from: number): void {
    const S = this.nSeries;
    for (; this.depth >= from; this.depth--) {
      const slot = this.depth;
      for (let p = 0; p < this.picks.length; p++) this.picks[p].close(slot, this.names[slot], this.value, this.alloc, S);
      // Each node's value is its subtree's; its allocator part is its own.
      for (let s = 0; s < S; s++) this.value[(slot - 1) * S + s] += this.value[slot * S + s];
    }
  }

  /** A stack ending at the deepest open node: its value there, and in its innermost `allocatorDepth` nodes' allocator parts. */
  addStack(s: number, v: number, allocatorDepth: number): void {
    const S = this.nSeries;
    const n = this.depth;
    if (n > 0) this.value[n * S + s] += v;
    for (let slot = Math.max(n - allocatorDepth, 0) + 1; slot <= n; slot++) this.alloc[slot * S + s] += v;
  }

  private grow(): void {
    this.names = grownToHold(this.names, this.depth);
    const slots = this.names.length;
    this.value = grownToHold(this.value, slots * this.nSeries - 1);
    this.alloc = grownToHold(this.alloc, slots * this.nSeries - 1);
    for (const pick of this.picks) pick.grow(slots);
  }
}

/**
 * One pick's tree as its nodes close. Per open slot: the drawn callees and the box of the merged
 * ones. The page's prune note needs no more: a node with a value is drawn, or lies in a subtree
 * merged into the box of a drawn node, so the frames merged are those with a value less those
 * drawn, and the values merged are the boxes'.
 */
class PickTree {
  private kids: (DrawnNode[] | undefined)[] = [];
  /**
   * Per slot: how many callees its box merges, and their values and allocator parts. Columns, not
   * an object per box: most boxes belong to nodes that are merged themselves, and are dropped
   * (an object per box was a third of the large profile's tree).
   */
  private boxCount = new Int32Array(64);
  private boxValue: Float64Array;
  /** Nodes closed with a value, and with some left when allocator frames are hidden; the same of those drawn. */
  private valued = 0;
  private valuedTrimmed = 0;
  private drawn = 0;
  private drawnTrimmed = 0;

  constructor(
    readonly pick: readonly number[],
    private readonly threshold: number,
    private readonly maxDrawn: number,
    private readonly tooMany: () => Error,
  ) {
    this.boxValue = new Float64Array(64 * 2 * pick.length);
  }

  /** A slot starts with no box; its box's values are set by the first callee merged (see close). */
  open(slot: number): void {
    this.boxCount[slot] = 0;
  }

  /** The box of slot's merged callees, if it has one. */
  private boxOf(slot: number): MergedBox | undefined {
    const count = this.boxCount[slot];
    if (count === 0) return undefined;
    const k = this.pick.length;
    const at = slot * 2 * k;
    return { count, value: Array.from(this.boxValue.subarray(at, at + k)), alloc: Array.from(this.boxValue.subarray(at + k, at + 2 * k)) };
  }

  close(slot: number, name: number, value: Float64Array, alloc: Float64Array, S: number): void {
    const pick = this.pick;
    const k = pick.length;
    let weight = 0;
    let trimmed = false;
    for (let i = 0; i < k; i++) {
      const s = pick[i];
      const v = value[slot * S + s];
      if (v > weight) weight = v;
      if (v - alloc[slot * S + s] > 0) trimmed = true;
    }
    // No value in the pick's series: nor in any callee (values are >= 0); not part of the tree.
    if (weight === 0) return;
    this.valued++;
    if (trimmed) this.valuedTrimmed++;
    const parent = slot - 1;
    if (weight >= this.threshold) {
      if (++this.drawn > this.maxDrawn) throw this.tooMany();
      if (trimmed) this.drawnTrimmed++;
      // Only a drawn node has drawn callees (a callee's value is at most its caller's).
      const node: DrawnNode = { name, weight, value: pick.map((s) => value[slot * S + s]), alloc: pick.map((s) => alloc[slot * S + s]), kids: this.kids[slot] ?? [], box: this.boxOf(slot) };
      this.kids[slot] = undefined;
      (this.kids[parent] ??= []).push(node);
      return;
    }
    const at = parent * 2 * k;
    const first = this.boxCount[parent]++ === 0;
    for (let i = 0; i < k; i++) {
      const v = value[slot * S + pick[i]];
      const a = alloc[slot * S + pick[i]];
      this.boxValue[at + i] = first ? v : this.boxValue[at + i] + v;
      this.boxValue[at + k + i] = first ? a : this.boxValue[at + k + i] + a;
    }
  }

  /** Room for `slots` slots. */
  grow(slots: number): void {
    this.boxCount = grownToHold(this.boxCount, slots - 1);
    this.boxValue = grownToHold(this.boxValue, slots * 2 * this.pick.length - 1);
  }

  /** The pick's tree in the page's columns, the root's values the stacks' sums in their order. */
  wire(rootValue: readonly number[], names: readonly string[], table: StringTable): WireTree {
    const pick = this.pick;
    const k = pick.length;
    const note: PruneNote = { frames: this.valued - this.drawn, framesTrimmed: this.valuedTrimmed - this.drawnTrimmed, value: pick.map(() => 0), valueTrimmed: pick.map(() => 0), threshold: this.threshold };
    const root: DrawnNode = { name: -1, weight: 0, value: pick.map((s) => rootValue[s]), alloc: pick.map(() => 0), kids: this.kids[0] ?? [], box: this.boxOf(0) };
    const out: WireTree = { name: [], kids: [], value: pick.map(() => []), alloc: pick.map(() => []), merged: [], pruned: note };
    const rootName = table.index('all');
    const work: (DrawnNode | MergedBox)[] = [root];
    while (work.length > 0) {
      const item = work.pop()!;
      if (!('kids' in item)) {
        out.name.push(MERGED);
        out.kids.push(0);
        for (let i = 0; i < k; i++) {
          out.value[i].push(item.value[i]);
          out.alloc[i].push(item.alloc[i]);
          note.value[i] += item.value[i];
          note.valueTrimmed[i] += item.value[i] - item.alloc[i];
        }
        out.merged.push(item.count);
        continue;
      }
      out.name.push(item === root ? rootName : table.index(names[item.name]));
      for (let i = 0; i < k; i++) {
        out.value[i].push(item.value[i]);
        out.alloc[i].push(item.alloc[i]);
      }
      const kept = item.kids.sort((a, b) => b.weight - a.weight || compareStrings(names[a.name], names[b.name]));
      out.kids.push(kept.length + (item.box ? 1 : 0));
      // Preorder: the first child must come off the work stack first.
      if (item.box) work.push(item.box);
      for (let j = kept.length - 1; j >= 0; j--) work.push(kept[j]);
    }
    return out;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
