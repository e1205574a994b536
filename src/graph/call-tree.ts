// The call tree of stacks for flame graphs: one node per distinct call path from the root, with
// each series' value (one profile, or current and base) and the part of it in allocator frames.
// The sibling of the call graph (call-graph.ts), which merges paths by key.
import { ChildIndex } from './child-index.js';

/** A stack as the tree takes it: frame names root first, its value, and how many innermost frames are the allocator's. */
export interface TreeStack {
  frames: readonly string[];
  /** Bytes or objects, >= 0. */
  value: number;
  /** How many innermost frames (the end of `frames`) are the allocator's own. */
  allocatorDepth: number;
}

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
export function callTree(series: readonly (readonly TreeStack[])[]): CallTree {
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

function checkStack(s: TreeStack): void {
  if (!Number.isFinite(s.value) || s.value < 0) throw new RangeError(`a stack's value must be a finite number >= 0, not ${s.value}`);
  if (!Number.isInteger(s.allocatorDepth) || s.allocatorDepth < 0 || s.allocatorDepth > s.frames.length) {
    throw new RangeError(`allocatorDepth ${s.allocatorDepth} is not between 0 and the stack's ${s.frames.length} frames`);
  }
}

