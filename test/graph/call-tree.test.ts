// callTree against the plainest tree there is (one Map per node, every frame of every stack
// added into every node on its path): same nodes, same names, values equal up to the order of
// addition, allocator parts exact; with names and with frame ids; nodes in preorder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callTree, type TreeStack } from '../../src/graph/call-tree.js';

interface Plain {
  value: number[];
  alloc: number[];
  kids: Map<string, Plain>;
}

function plainTree(series: TreeStack[][]): Plain {
  const root: Plain = { value: series.map(() => 0), alloc: series.map(() => 0), kids: new Map() };
  series.forEach((stacks, s) => {
    for (const st of stacks) {
      // A stack of no value makes no node (callTree skips it).
      if (st.value === 0) continue;
      root.value[s] += st.value;
      let node = root;
      st.frames.forEach((f, d) => {
        let k = node.kids.get(f);
        if (!k) node.kids.set(f, (k = { value: series.map(() => 0), alloc: series.map(() => 0), kids: new Map() }));
        k.value[s] += st.value;
        if (d >= st.frames.length - st.allocatorDepth) k.alloc[s] += st.value;
        node = k;
      });
    }
  });
  return root;
}

/** callTree's result as the same nested shape. */
function nested(t: ReturnType<typeof callTree>): Plain {
  const nodes: Plain[] = [];
  for (let i = 0; i < t.count; i++) nodes.push({ value: t.value.map((v) => v[i]), alloc: t.alloc.map((a) => a[i]), kids: new Map() });
  for (let i = 1; i < t.count; i++) nodes[t.parent[i]].kids.set(t.names[t.name[i]], nodes[i]);
  return nodes[0];
}

function expectSame(a: Plain, b: Plain): void {
  expect([...a.kids.keys()].sort()).toEqual([...b.kids.keys()].sort());
  a.value.forEach((v, s) => expect(b.value[s]).toBeCloseTo(v, 6));
  a.alloc.forEach((x, s) => expect(b.alloc[s]).toBeCloseTo(x, 6));
  for (const [k, kid] of a.kids) expectSame(kid, b.kids.get(k)!);
}

/** Each node's parent is on the path from the root to the node before it: each subtree is whole, before the next sibling's. */
function expectPreorder(t: ReturnType<typeof callTree>): void {
  for (let i = 1; i < t.count; i++) {
    let a = i - 1;
    while (a !== -1 && a !== t.parent[i]) a = t.parent[a];
    expect(a, `node ${i}: its parent ${t.parent[i]} is not an ancestor of node ${i - 1}`).toBe(t.parent[i]);
  }
}

const NAMES = ['main', 'run', 'a', 'b', 'malloc', 'new', 'x'];
const stackArb = fc
  .record({ frames: fc.array(fc.constantFrom(...NAMES), { maxLength: 7 }), value: fc.oneof(fc.constant(0), fc.double({ min: 0.5, max: 1e7, noNaN: true })), depth: fc.nat(7) })
  .map((r): TreeStack => ({ frames: r.frames, value: r.value, allocatorDepth: Math.min(r.depth, r.frames.length) }));
// Neighbours that share callers, as real dumps' stacks do, and some that do not.
const seriesArb = fc.array(stackArb, { maxLength: 40 }).map((ss) => ss.map((s, i) => (i > 0 && i % 3 === 0 ? { ...s, frames: [...ss[i - 1].frames.slice(0, 3), ...s.frames], allocatorDepth: Math.min(s.allocatorDepth, s.frames.length) } : s)));

describe('callTree', () => {
  it('equals the plain tree, by names and by frame ids, for one series and two', () => {
    fc.assert(
      fc.property(seriesArb, seriesArb, (cur, base) => {
        for (const series of [[cur], [cur, base]]) {
          const want = plainTree(series);
          expectSame(want, nested(callTree(series)));
          const frameNames = [...NAMES];
          const withIds = series.map((ss) => ss.map((s) => ({ ...s, frameIds: Int32Array.from(s.frames, (f) => frameNames.indexOf(f)) })));
          expectSame(want, nested(callTree(withIds, frameNames)));
          // Two frame ids with one name are one node: ids alternate between two copies of the names.
          const twice = [...NAMES, ...NAMES];
          const withTwins = series.map((ss) => ss.map((s) => ({ ...s, frameIds: Int32Array.from(s.frames, (f, d) => NAMES.indexOf(f) + (d % 2) * NAMES.length) })));
          expectSame(want, nested(callTree(withTwins, twice)));
          expectPreorder(callTree(series));
          // The root is the stacks' sum in their order, exactly.
          series.forEach((ss, s) => expect(callTree(series).value[s][0]).toBe(ss.reduce((sum, x) => sum + x.value, 0)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
