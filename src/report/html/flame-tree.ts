// Stacks to the page's call tree: one node per call path, pruned, columnar (see WireTree).
import { ChildIndex } from './child-index.js';
import type { StringTable } from './string-table.js';
import type { HtmlStack } from './types.js';
import { MERGED, type PruneNote, type WireTree } from './wire.js';

/** The call tree of one or more profiles over the same paths, before pruning (see wireTree). */
export interface CallTree {
  /** Number of nodes; the arrays below may be longer. */
  count: number;
  /** Per node: parent node (-1 for the root), local name id. Children come after their parent. */
  parent: Int32Array;
  name: Int32Array;
  /** Per series, per node: cum value, and the part of it where the node is an allocator frame. */
  value: Float64Array[];
  alloc: Float64Array[];
  names: string[];
}

/**
 * Each series' stacks added into one tree: a node per distinct path from the root, carrying per
 * series the value of the stacks through it and the part of that in which it is one of the
 * stack's `allocatorDepth` innermost frames. Allocator frames are kept, not cut: the page hides
 * them (value - alloc) when asked, so one tree serves both views instead of two trees in the file.
 */
export function callTree(series: readonly (readonly HtmlStack[])[]): CallTree {
  let frames = 0;
  for (const stacks of series) {
    for (const s of stacks) {
      checkStack(s);
      frames += s.frames.length;
    }
  }
  // At most one node per frame, plus the root: arrays sized once, no growing.
  const t: CallTree = {
    count: 1,
    parent: new Int32Array(frames + 1),
    name: new Int32Array(frames + 1),
    value: series.map(() => new Float64Array(frames + 1)),
    alloc: series.map(() => new Float64Array(frames + 1)),
    names: [],
  };
  t.parent[0] = -1;
  t.name[0] = -1;
  const nameIds = new Map<string, number>();
  // Most profiles share their callers: half a node per frame is plenty to start.
  const children = new ChildIndex(frames / 2);
  for (let s = 0; s < series.length; s++) {
    const value = t.value[s];
    const alloc = t.alloc[s];
    for (const stack of series[s]) {
      const v = stack.value;
      if (v === 0) continue;
      value[0] += v;
      const path = stack.frames;
      const keep = path.length - stack.allocatorDepth;
      let node = 0;
      for (let d = 0; d < path.length; d++) {
        let id = nameIds.get(path[d]);
        if (id === undefined) {
          id = t.names.length;
          t.names.push(path[d]);
          nameIds.set(path[d], id);
        }
        const child = children.childOr(node, id, t.count);
        if (child === t.count) {
          t.parent[child] = node;
          t.name[child] = id;
          t.count++;
        }
        value[child] += v;
        if (d >= keep) alloc[child] += v;
        node = child;
      }
    }
  }
  return t;
}

function checkStack(s: HtmlStack): void {
  if (!Number.isFinite(s.value) || s.value < 0) throw new RangeError(`a stack's value must be a finite number >= 0, not ${s.value}`);
  if (!Number.isInteger(s.allocatorDepth) || s.allocatorDepth < 0 || s.allocatorDepth > s.frames.length) {
    throw new RangeError(`allocatorDepth ${s.allocatorDepth} is not between 0 and the stack's ${s.frames.length} frames`);
  }
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
  return wireTree(callTree(series), series.map((_, s) => s), pruneFraction, table);
}

/**
 * `t` pruned as buildTree describes, with only the series `pick` (so the flame graph and the
 * differential view share one tree built from the current stacks and the base's): nodes that
 * have no value in any of them are not part of it at all.
 */
export function wireTree(t: CallTree, pick: readonly number[], pruneFraction: number, table: StringTable): WireTree {
  if (!(pruneFraction >= 0 && pruneFraction <= 1)) throw new RangeError(`pruneFraction must be between 0 and 1, not ${pruneFraction}`);
  const n = t.count;
  const k = pick.length;
  const value = pick.map((s) => t.value[s]);
  const alloc = pick.map((s) => t.alloc[s]);
  const weight = new Float64Array(n);
  // Subtree sizes, counted on the whole tree and on what is left with allocator frames hidden.
  const size = new Float64Array(n);
  const sizeTrimmed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < k; s++) {
      weight[i] = Math.max(weight[i], value[s][i]);
      if (value[s][i] - alloc[s][i] > 0) sizeTrimmed[i] = 1;
    }
    if (weight[i] > 0) size[i] = 1;
  }
  // Children come after their parents, so one backward pass adds each into its parent.
  for (let i = n - 1; i > 0; i--) {
    size[t.parent[i]] += size[i];
    sizeTrimmed[t.parent[i]] += sizeTrimmed[i];
  }
  const kids = childLists(t.parent, n);
  const threshold = pruneFraction * weight[0];
  const out: WireTree = { name: [], kids: [], value: pick.map(() => []), alloc: pick.map(() => []), merged: [], pruned: emptyNote(k, threshold) };
  const rootName = table.index('all');
  const names = t.names;
  const work: (number | MergedBox)[] = [0];
  while (work.length > 0) {
    const item = work.pop()!;
    if (typeof item !== 'number') {
      out.name.push(MERGED);
      out.kids.push(0);
      for (let s = 0; s < k; s++) {
        out.value[s].push(item.value[s]);
        out.alloc[s].push(item.alloc[s]);
      }
      out.merged.push(item.count);
      continue;
    }
    out.name.push(item === 0 ? rootName : table.index(names[t.name[item]]));
    for (let s = 0; s < k; s++) {
      out.value[s].push(value[s][item]);
      out.alloc[s].push(alloc[s][item]);
    }
    const kept: number[] = [];
    let box: MergedBox | undefined;
    for (let j = kids.start[item]; j < kids.start[item + 1]; j++) {
      const c = kids.list[j];
      if (weight[c] === 0) continue;
      if (weight[c] >= threshold) {
        kept.push(c);
        continue;
      }
      box ??= { value: new Array<number>(k).fill(0), alloc: new Array<number>(k).fill(0), count: 0 };
      box.count++;
      for (let s = 0; s < k; s++) {
        box.value[s] += value[s][c];
        box.alloc[s] += alloc[s][c];
        out.pruned.value[s] += value[s][c];
        out.pruned.valueTrimmed[s] += value[s][c] - alloc[s][c];
      }
      out.pruned.frames += size[c];
      out.pruned.framesTrimmed += sizeTrimmed[c];
    }
    kept.sort((a, b) => weight[b] - weight[a] || compareStrings(names[t.name[a]], names[t.name[b]]));
    out.kids.push(kept.length + (box ? 1 : 0));
    // Preorder: the first child must come off the work stack first.
    if (box) work.push(box);
    for (let j = kept.length - 1; j >= 0; j--) work.push(kept[j]);
  }
  return out;
}

function emptyNote(k: number, threshold: number): PruneNote {
  return { frames: 0, framesTrimmed: 0, value: new Array<number>(k).fill(0), valueTrimmed: new Array<number>(k).fill(0), threshold };
}

/** Each node's children, in the order they were made: node i's are list[start[i] .. start[i + 1]). */
function childLists(parent: Int32Array, n: number): { start: Int32Array; list: Int32Array } {
  const start = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) start[parent[i] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const list = new Int32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) list[fill[parent[i]]++] = i;
  return { start, list };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
