// The call tree of stacks for flame graphs: one node per distinct call path from the root, with
// each series' value (one profile, or current and base) and the part of it in allocator frames.
// The sibling of the call graph (call-graph.ts), which merges paths by key.
import { giveInts, takeInts } from '../model/int-recycler.js';

/** A stack as the tree takes it: frame names root first, its value, and how many innermost frames are the allocator's. */
export interface TreeStack {
  frames: readonly string[];
  /** Bytes or objects, >= 0. */
  value: number;
  /** How many innermost frames (the end of `frames`) are the allocator's own. */
  allocatorDepth: number;
  /**
   * The same frames as numbers into callTree's `frameNames`, when the maker has them: a number
   * is looked up in an array, a name in a hash table (a million frames on a 24,000-stack dump).
   * With them, callTree never reads `frames`, which the maker may then make only when asked.
   */
  frameIds?: ArrayLike<number>;
}

/** The call tree of one or more profiles over the same paths, before pruning (see wireTree). */
export interface CallTree {
  /** Number of nodes; the arrays below may be longer. */
  count: number;
  /**
   * Per node: parent node (-1 for the root), local name id. Nodes are in preorder: each node's
   * subtree follows it whole, before its next sibling (wireTree walks children so). Slots from
   * `count` on hold anything.
   */
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
 *
 * The stacks are taken in the order of their paths (name ids, root first), where the stacks that
 * share a caller path are next to each other: a stack's path then leaves the one before it at
 * some depth, and every node from there on is new, so no node is ever looked up. A hash table
 * of (parent, name) -> child made every frame a random probe: on the 250 MB dump's 14 million
 * frames, 2 s and 600 MB of the report.
 */
export function callTree(series: readonly (readonly TreeStack[])[], frameNames?: readonly string[]): CallTree {
  let frames = 0;
  let valued = 0;
  for (const stacks of series) {
    for (const s of stacks) {
      checkStack(s, frameNames);
      frames += depthOf(s, frameNames);
      if (s.value !== 0) valued++;
    }
  }
  // At most one node per frame, plus the root: arrays sized once, no growing.
  const t: CallTree = {
    count: 1,
    // Recycled: the analysis has just given back arrays of about this size, whose pages are
    // touched already (fresh ones cost a fault per 4 KiB); node i's slots are written as it is made.
    parent: takeInts(frames + 1),
    name: takeInts(frames + 1),
    value: series.map(() => new Float64Array(frames + 1)),
    alloc: series.map(() => new Float64Array(frames + 1)),
    names: [],
  };
  t.parent[0] = -1;
  t.name[0] = -1;
  const paths = pathsOf(series, valued, frames, frameNames, t);
  const { seq, from, stackOf, seriesOf } = paths;
  // The path of the stack before, by depth: its name ids and nodes.
  let pathName: Int32Array = new Int32Array(256);
  let pathNode: Int32Array = new Int32Array(256);
  let before = 0;
  for (const k of sortedPaths(paths)) {
    const stack = stackOf[k];
    const v = stack.value;
    const value = t.value[seriesOf[k]];
    const alloc = t.alloc[seriesOf[k]];
    const first = from[k];
    const n = from[k + 1] - first;
    if (n > pathName.length) {
      pathName = grown(pathName, n);
      pathNode = grown(pathNode, n);
    }
    // The callers this path shares with the one before are its nodes; the rest are new.
    let d = 0;
    for (const shared = Math.min(n, before); d < shared && pathName[d] === seq[first + d]; ) d++;
    let node = d > 0 ? pathNode[d - 1] : 0;
    for (; d < n; d++) {
      const child = t.count++;
      t.parent[child] = node;
      t.name[child] = seq[first + d];
      pathName[d] = seq[first + d];
      pathNode[d] = child;
      node = child;
    }
    before = n;
    // The leaf's own value now, its callers' below (each node's value is its subtree's); the
    // allocator's frames, a few innermost ones, get theirs here.
    if (n > 0) value[node] += v;
    for (let i = Math.max(n - stack.allocatorDepth, 0); i < n; i++) alloc[pathNode[i]] += v;
  }
  giveInts(seq);
  // Children come after their parents: from the last node up, each adds its subtree into its
  // parent (the root keeps its own sum, made in pathsOf).
  for (const value of t.value) {
    for (let c = t.count - 1; c > 0; c--) {
      const p = t.parent[c];
      if (p > 0) value[p] += value[c];
    }
  }
  return t;
}

/** Every stack of some value, in the series' order: its path as name ids, seq[from[k] .. from[k + 1]). */
interface Paths {
  seq: Int32Array;
  from: Int32Array;
  stackOf: TreeStack[];
  seriesOf: Int32Array;
}

/**
 * The paths of the stacks of some value, names numbered as met (into t.names), and each series'
 * root value: the stacks' sum in their order (the page compares it with the total).
 */
function pathsOf(series: readonly (readonly TreeStack[])[], valued: number, frames: number, frameNames: readonly string[] | undefined, t: CallTree): Paths {
  const nameIds = new Map<string, number>();
  const nameIdOf = (name: string) => {
    let id = nameIds.get(name);
    if (id === undefined) {
      id = t.names.length;
      t.names.push(name);
      nameIds.set(name, id);
    }
    return id;
  };
  /** By frame id: 1 + the tree's name id, 0 not yet met. */
  const byFrameId = new Int32Array(frameNames?.length ?? 0);
  // Recycled: every slot up to the last path's end is written.
  const seq = takeInts(frames);
  const from = new Int32Array(valued + 1);
  const stackOf: TreeStack[] = new Array<TreeStack>(valued);
  const seriesOf = new Int32Array(valued);
  let k = 0;
  let at = 0;
  for (let s = 0; s < series.length; s++) {
    for (const stack of series[s]) {
      if (stack.value === 0) continue;
      t.value[s][0] += stack.value;
      from[k] = at;
      stackOf[k] = stack;
      seriesOf[k] = s;
      k++;
      // With ids, the names are never read here (a stack may make them only when asked).
      const fids = frameNames ? stack.frameIds : undefined;
      if (fids) {
        for (let d = 0; d < fids.length; d++) {
          const f = fids[d];
          let id = byFrameId[f] - 1;
          if (id < 0) byFrameId[f] = (id = nameIdOf(frameNames![f])) + 1;
          seq[at++] = id;
        }
      } else {
        for (const name of stack.frames) seq[at++] = nameIdOf(name);
      }
    }
  }
  from[k] = at;
  return { seq, from, stackOf, seriesOf };
}

/**
 * The paths' numbers ordered by path, name id by name id, a path before those it starts; equal
 * paths in the series' order. Any order of names would do: what matters is that the paths that
 * share a caller path are together.
 */
function sortedPaths(p: Paths): Int32Array {
  const { seq, from } = p;
  const order = new Int32Array(from.length - 1);
  for (let k = 0; k < order.length; k++) order[k] = k;
  return order.sort((a, b) => {
    const fa = from[a];
    const fb = from[b];
    const la = from[a + 1] - fa;
    const lb = from[b + 1] - fb;
    const n = la < lb ? la : lb;
    for (let d = 0; d < n; d++) {
      const x = seq[fa + d] - seq[fb + d];
      if (x !== 0) return x;
    }
    return la - lb || a - b;
  });
}

/** How many frames the tree reads of `s`: its ids when it has them and names are given, else its names. */
function depthOf(s: TreeStack, frameNames: readonly string[] | undefined): number {
  return frameNames && s.frameIds ? s.frameIds.length : s.frames.length;
}

function grown(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

function checkStack(s: TreeStack, frameNames: readonly string[] | undefined): void {
  if (frameNames && s.frameIds) {
    for (let d = 0; d < s.frameIds.length; d++) {
      const f = s.frameIds[d];
      if (!(f >= 0 && f < frameNames.length)) throw new RangeError(`frame id ${f} is not one of the ${frameNames.length} frame names`);
    }
  }
  if (!Number.isFinite(s.value) || s.value < 0) throw new RangeError(`a stack's value must be a finite number >= 0, not ${s.value}`);
  const n = depthOf(s, frameNames);
  if (!Number.isInteger(s.allocatorDepth) || s.allocatorDepth < 0 || s.allocatorDepth > n) {
    throw new RangeError(`allocatorDepth ${s.allocatorDepth} is not between 0 and the stack's ${n} frames`);
  }
}

