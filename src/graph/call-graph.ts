// The call graph of a set of stacks: one node per report key with its flat and cumulative value
// and its origin, and weighted caller -> callee edges between consecutive frames of each stack
// (jeprof's PrintDot edges: every stack, not de-duplicated, so recursion gives self edges).
// Built once here for dot and the shell; the call tree (call-tree.ts) is its flame-graph sibling.
import type { FlatCum } from './build.js';
import { FlatStacks } from './flat-stacks.js';
import { IntList, KeyNumbering, translateStackIds, type KeyOrigin, type TranslateContext } from './granularity.js';
import type { Stack } from './stacks.js';

export interface GraphNode {
  key: string;
  origin?: KeyOrigin;
  /** Value of stacks whose leaf-most key this is (bytes or objects). */
  flat: number;
  /** Value of stacks through this key, counted once per stack. */
  cum: number;
}

export interface GraphEdge {
  /** The caller's key. */
  src: string;
  /** The callee's key. */
  dst: string;
  /** Sum of the values of the stacks in which `src` calls `dst` (bytes or objects, may be negative after --base). */
  weight: number;
}

export interface CallGraph {
  /** By key, in the order `keys` gave them. */
  nodes: Map<string, GraphNode>;
  /** In the order each edge was first met. */
  edges: GraphEdge[];
}

/**
 * The graph of `stacks` over the keys of `fc` that `keep` accepts (all of them by default):
 * edges only between kept nodes, as jeprof adds an edge only when both ends are nodes.
 */
export function buildCallGraph(stacks: readonly Stack[], fc: FlatCum, ctx: TranslateContext, keep: (key: string) => boolean = () => true): CallGraph {
  const nodes = new Map<string, GraphNode>();
  for (const [key, cum] of fc.cum) {
    if (keep(key)) nodes.set(key, { key, origin: fc.origin(key), flat: fc.flat.get(key) ?? 0, cum });
  }
  const edges = new Map<string, GraphEdge>();
  // Every stack translated through one numbering, each PC once, from the stacks' location ids.
  const numbering = new KeyNumbering();
  const ids = new FlatStacks(stacks);
  const keys = new IntList();
  try {
    for (let s = 0; s < stacks.length; s++) {
      keys.n = 0;
      translateStackIds(ids.ids, ids.starts[s], ids.ends[s], ids, ctx, numbering, keys);
      const value = stacks[s].value;
      for (let i = 1; i < keys.n; i++) {
        const src = numbering.names[keys.ids[i]];
        const dst = numbering.names[keys.ids[i - 1]];
        if (!nodes.has(src) || !nodes.has(dst)) continue;
        const k = `${src}\u0001${dst}`;
        const e = edges.get(k);
        if (e) e.weight += value;
        else edges.set(k, { src, dst, weight: 0 + value });
      }
    }
  } finally {
    ids.release();
  }
  return { nodes, edges: [...edges.values()] };
}
