// The call tree of stacks for flame graphs: one node per distinct call path from the root, with
// each series' value (one profile, or current and base) and the part of it in allocator frames.
// The sibling of the call graph (call-graph.ts), which merges paths by key.
import { ChildIndex } from './child-index.js';
import { takeInts } from '../model/int-recycler.js';

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
  /** Per node: parent node (-1 for the root), local name id. Children come after their parent. Slots from `count` on hold anything. */
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
export function callTree(series: readonly (readonly TreeStack[])[], frameNames?: readonly string[]): CallTree {
  let frames = 0;
  for (const stacks of series) {
    for (const s of stacks) {
      checkStack(s, frameNames);
      frames += depthOf(s, frameNames);
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
  // Most profiles share their callers: half a node per frame is plenty to start.
  const children = new ChildIndex(frames / 2);
  // The path of the stack before, by depth: its name ids and nodes. Stacks next to each other
  // mostly share their callers, whose nodes are then taken from here instead of looked up.
  let pathName: Int32Array = new Int32Array(256);
  let pathNode: Int32Array = new Int32Array(256);
  for (let s = 0; s < series.length; s++) {
    const value = t.value[s];
    const alloc = t.alloc[s];
    let shared = 0;
    for (const stack of series[s]) {
      const v = stack.value;
      if (v === 0) continue;
      // The root's value is the stacks' sum in their order (the page compares it with the total).
      value[0] += v;
      const fids = frameNames ? stack.frameIds : undefined;
      // With ids, the names are never read here (a stack may make them only when asked).
      const path = fids ? undefined : stack.frames;
      const n = fids ? fids.length : path!.length;
      if (n > pathName.length) {
        pathName = grown(pathName, n);
        pathNode = grown(pathNode, n);
      }
      const keep = n - stack.allocatorDepth;
      let node = 0;
      let same = true;
      for (let d = 0; d < n; d++) {
        let id: number;
        if (fids) {
          const f = fids[d];
          id = byFrameId[f] - 1;
          if (id < 0) byFrameId[f] = (id = nameIdOf(frameNames![f])) + 1;
        } else {
          id = nameIdOf(path![d]);
        }
        if (same && d < shared && pathName[d] === id) {
          node = pathNode[d];
          continue;
        }
        same = false;
        const child = children.childOr(node, id, t.count);
        if (child === t.count) {
          t.parent[child] = node;
          t.name[child] = id;
          t.count++;
        }
        pathName[d] = id;
        pathNode[d] = child;
        node = child;
      }
      shared = n;
      // The leaf's own value now, its callers' below (each node's value is its subtree's); the
      // allocator's frames, a few innermost ones, get theirs here.
      if (n > 0) value[node] += v;
      for (let d = Math.max(keep, 0); d < n; d++) alloc[pathNode[d]] += v;
    }
  }
  // Children come after their parents: from the last node up, each adds its subtree into its
  // parent (the root keeps its own sum, made above).
  for (const value of t.value) {
    for (let c = t.count - 1; c > 0; c--) {
      const p = t.parent[c];
      if (p > 0) value[p] += value[c];
    }
  }
  return t;
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

