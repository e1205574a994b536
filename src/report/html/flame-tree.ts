// The page's flame tree: the call tree (src/graph/call-tree.ts) pruned and laid out in columns (see WireTree).
import { callTree, type CallTree } from '../../graph/call-tree.js';
import type { StringTable } from '../../model/string-table.js';
import type { HtmlStack } from './types.js';
import { MERGED, type PruneNote, type WireTree } from './wire.js';
import { giveInts, takeInts } from '../../model/int-recycler.js';

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
  // A node's largest value over the series: the series' own values when there is one.
  let weight = value[0];
  if (k > 1) {
    weight = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let s = 0; s < k; s++) weight[i] = Math.max(weight[i], value[s][i]);
  }
  // Nodes are in preorder (see CallTree): node i's subtree is nodes i .. i + span[i] - 1, its
  // children the first after it and each next one past the subtree of the one before. Recycled
  // (every slot is written); a child list per node took three arrays of the tree's size.
  const span = takeInts(n).fill(1, 0, n);
  for (let i = n - 1; i > 0; i--) span[t.parent[i]] += span[i];
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
    for (let c = item + 1; c < item + span[item]; c += span[c]) {
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
      // The nodes of the merged subtree that have a value: each merged subtree is counted once.
      for (let i = c; i < c + span[c]; i++) {
        let trimmed = false;
        for (let s = 0; s < k; s++) if (value[s][i] - alloc[s][i] > 0) trimmed = true;
        if (weight[i] > 0) out.pruned.frames++;
        if (trimmed) out.pruned.framesTrimmed++;
      }
    }
    kept.sort((a, b) => weight[b] - weight[a] || compareStrings(names[t.name[a]], names[t.name[b]]));
    out.kids.push(kept.length + (box ? 1 : 0));
    // Preorder: the first child must come off the work stack first.
    if (box) work.push(box);
    for (let j = kept.length - 1; j >= 0; j--) work.push(kept[j]);
  }
  giveInts(span);
  return out;
}

function emptyNote(k: number, threshold: number): PruneNote {
  return { frames: 0, framesTrimmed: 0, value: new Array<number>(k).fill(0), valueTrimmed: new Array<number>(k).fill(0), threshold };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
