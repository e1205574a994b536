// The embedded columnar tree to the nested nodes the flame graph draws, allocator frames hidden or not.
import { MERGED, type WireTree } from '../wire.js';

/** One box of the flame graph (d3-flame-graph reads n, v and c). */
export interface FlameNode {
  /** Display name; for a merged box, "(N smaller)". */
  n: string;
  /** Box width in the report's unit: the value, or in the differential view the larger side (see diffWidths). */
  v: number;
  c: FlameNode[];
  /** Per series (current, base), the value of every stack through this box once allocator frames are hidden or not. */
  values: number[];
  /** For a merged box: how many of its caller's callees it stands for. */
  merged?: number;
}

/**
 * The tree as nested nodes. With `trim`, each node keeps value - alloc per series and a node
 * left with nothing in any series goes with its subtree: allocator frames hidden, their memory
 * left with the frame that called the allocator. Iterative, so deep recursion in a profile is fine.
 */
export function decodeTree(t: WireTree, strings: readonly string[], trim: boolean): FlameNode {
  const k = t.value.length;
  let merged = 0;
  const make = (i: number): FlameNode => {
    const values: number[] = [];
    for (let s = 0; s < k; s++) values.push(t.value[s][i] - (trim ? t.alloc[s][i] : 0));
    const node: FlameNode = { n: '', v: values[0], c: [], values };
    if (t.name[i] === MERGED) {
      node.merged = t.merged[merged++];
      node.n = `(${node.merged} smaller)`;
    } else {
      node.n = strings[t.name[i]];
    }
    return node;
  };
  const root = make(0);
  // Preorder: each open node waits for kids[i] more children.
  const open: { node: FlameNode; left: number }[] = [{ node: root, left: t.kids[0] }];
  for (let i = 1; i < t.name.length; i++) {
    while (open[open.length - 1].left === 0) open.pop();
    const parent = open[open.length - 1];
    parent.left--;
    const node = make(i);
    parent.node.c.push(node);
    open.push({ node, left: t.kids[i] });
  }
  if (trim) dropEmpty(root);
  return root;
}

/** Removes children with nothing left in any series, at every level. */
function dropEmpty(root: FlameNode): void {
  const todo = [root];
  while (todo.length > 0) {
    const node = todo.pop()!;
    node.c = node.c.filter((c) => c.values.some((v) => v !== 0));
    todo.push(...node.c);
  }
}

/**
 * Box widths for the differential view: each box is as wide as the larger of its own (self)
 * value in the two profiles plus its children's widths, so a path that shrank or went away
 * still shows (a width of the current value alone would hide it) and children fit in their caller.
 */
export function diffWidths(root: FlameNode): void {
  const order: FlameNode[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const node = todo.pop()!;
    order.push(node);
    todo.push(...node.c);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    let cur = node.values[0];
    let base = node.values[1];
    let kids = 0;
    for (const c of node.c) {
      cur -= c.values[0];
      base -= c.values[1];
      kids += c.v;
    }
    node.v = Math.max(cur, base, 0) + kids;
  }
}
