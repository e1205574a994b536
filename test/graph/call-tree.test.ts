// The flame trees buildTrees makes from sortedPaths' paths against the plainest tree there is (one
// Map per node, every frame of every stack added into every node on its path) pruned the plainest
// way: same nodes, names, boxes and prune notes; values equal up to the order of addition (whole
// numbers where a prune decision hangs on them); with names, with frame ids, and with two ids of one name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedPaths, type TreeStack } from '../../src/graph/call-tree.js';
import { buildTrees } from '../../src/report/html/flame-tree.js';
import { StringTable } from '../../src/model/string-table.js';
import { MERGED, type WireTree } from '../../src/report/html/wire.js';

interface Plain {
  value: number[];
  alloc: number[];
  kids: Map<string, Plain>;
}

function plainTree(series: TreeStack[][]): Plain {
  const root: Plain = { value: series.map(() => 0), alloc: series.map(() => 0), kids: new Map() };
  series.forEach((stacks, s) => {
    for (const st of stacks) {
      // A stack of no value makes no node.
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

/** A drawn tree, nested: what the page decodes. */
interface Drawn {
  name: string;
  value: number[];
  alloc: number[];
  kids: Drawn[];
  box?: { count: number; value: number[]; alloc: number[] };
}

interface Note {
  frames: number;
  framesTrimmed: number;
  value: number[];
  valueTrimmed: number[];
}

/** The plain tree pruned as the page's trees are: by each node's largest value over the pick, against fraction x the root's. */
function plainPruned(root: Plain, pick: number[], fraction: number): { tree: Drawn; note: Note } {
  const weight = (n: Plain) => Math.max(...pick.map((s) => n.value[s]));
  const threshold = fraction * weight(root);
  const note: Note = { frames: 0, framesTrimmed: 0, value: pick.map(() => 0), valueTrimmed: pick.map(() => 0) };
  const count = (n: Plain, test: (n: Plain) => boolean): number => (test(n) ? 1 : 0) + [...n.kids.values()].reduce((sum, k) => sum + count(k, test), 0);
  const draw = (name: string, n: Plain): Drawn => {
    const out: Drawn = { name, value: pick.map((s) => n.value[s]), alloc: pick.map((s) => n.alloc[s]), kids: [] };
    const kept: [string, Plain][] = [];
    for (const [kname, k] of n.kids) {
      const w = weight(k);
      if (w === 0) continue;
      if (w >= threshold) {
        kept.push([kname, k]);
        continue;
      }
      out.box ??= { count: 0, value: pick.map(() => 0), alloc: pick.map(() => 0) };
      out.box.count++;
      pick.forEach((s, i) => {
        out.box!.value[i] += k.value[s];
        out.box!.alloc[i] += k.alloc[s];
        note.value[i] += k.value[s];
        note.valueTrimmed[i] += k.value[s] - k.alloc[s];
      });
      note.frames += count(k, (x) => weight(x) > 0);
      note.framesTrimmed += count(k, (x) => pick.some((s) => x.value[s] - x.alloc[s] > 0));
    }
    kept.sort(([an, a], [bn, b]) => weight(b) - weight(a) || (an < bn ? -1 : an > bn ? 1 : 0));
    out.kids = kept.map(([kname, k]) => draw(kname, k));
    return out;
  };
  return { tree: draw('all', root), note };
}

/** A WireTree back into its nesting. */
function nested(t: WireTree, strings: string[]): Drawn {
  let at = 0;
  let merged = 0;
  const node = (): Drawn => {
    const i = at++;
    const out: Drawn = { name: strings[t.name[i]], value: t.value.map((v) => v[i]), alloc: t.alloc.map((a) => a[i]), kids: [] };
    for (let c = 0; c < t.kids[i]; c++) {
      if (t.name[at] === MERGED) {
        out.box = { count: t.merged[merged++], value: t.value.map((v) => v[at]), alloc: t.alloc.map((a) => a[at]) };
        at++;
      } else {
        out.kids.push(node());
      }
    }
    return out;
  };
  const root = node();
  expect(at).toBe(t.name.length);
  return root;
}

function expectSame(want: Drawn, got: Drawn): void {
  expect(got.name).toBe(want.name);
  expect(got.kids.map((k) => k.name)).toEqual(want.kids.map((k) => k.name));
  want.value.forEach((v, i) => expect(got.value[i]).toBeCloseTo(v, 6));
  want.alloc.forEach((v, i) => expect(got.alloc[i]).toBeCloseTo(v, 6));
  expect(got.box?.count).toBe(want.box?.count);
  want.box?.value.forEach((v, i) => expect(got.box!.value[i]).toBeCloseTo(v, 6));
  want.box?.alloc.forEach((v, i) => expect(got.box!.alloc[i]).toBeCloseTo(v, 6));
  want.kids.forEach((k, i) => expectSame(k, got.kids[i]));
}

const NAMES = ['main', 'run', 'a', 'b', 'malloc', 'new', 'x'];
const stackArb = (value: fc.Arbitrary<number>) =>
  fc
    .record({ frames: fc.array(fc.constantFrom(...NAMES), { maxLength: 7 }), value: fc.oneof(fc.constant(0), value), depth: fc.nat(7) })
    .map((r): TreeStack => ({ frames: r.frames, value: r.value, allocatorDepth: Math.min(r.depth, r.frames.length) }));
// Neighbours that share callers, as real dumps' stacks do, and some that do not.
const seriesArb = (value: fc.Arbitrary<number>) =>
  fc.array(stackArb(value), { maxLength: 40 }).map((ss) => ss.map((s, i) => (i > 0 && i % 3 === 0 ? { ...s, frames: [...ss[i - 1].frames.slice(0, 3), ...s.frames], allocatorDepth: Math.min(s.allocatorDepth, s.frames.length) } : s)));

/** The series' trees by names, by frame ids, and by ids where two ids share each name: all three the reference's. */
function expectTrees(series: TreeStack[][], picks: number[][], fraction: number): void {
  const plain = plainTree(series);
  const withIds = series.map((ss) => ss.map((s) => ({ ...s, frameIds: Int32Array.from(s.frames, (f) => NAMES.indexOf(f)) })));
  const withTwins = series.map((ss) => ss.map((s) => ({ ...s, frameIds: Int32Array.from(s.frames, (f, d) => NAMES.indexOf(f) + (d % 2) * NAMES.length) })));
  for (const [input, frameNames] of [
    [series, undefined],
    [withIds, NAMES],
    [withTwins, [...NAMES, ...NAMES]],
  ] as const) {
    const table = new StringTable();
    const trees = buildTrees(input, frameNames, picks, fraction, table);
    picks.forEach((pick, p) => {
      const want = plainPruned(plain, pick, fraction);
      expectSame(want.tree, nested(trees[p], table.strings));
      const note = trees[p].pruned;
      expect([note.frames, note.framesTrimmed]).toEqual([want.note.frames, want.note.framesTrimmed]);
      want.note.value.forEach((v, i) => expect(note.value[i]).toBeCloseTo(v, 6));
      want.note.valueTrimmed.forEach((v, i) => expect(note.valueTrimmed[i]).toBeCloseTo(v, 6));
      // The root is the stacks' sum in their order, exactly.
      pick.forEach((s, i) => expect(trees[p].value[i][0]).toBe(series[s].reduce((sum, x) => sum + x.value, 0)));
    });
  }
}

describe('buildTrees on sortedPaths', () => {
  it('draws every node of the plain tree when nothing is pruned, for one series and two', () => {
    fc.assert(
      fc.property(seriesArb(fc.double({ min: 0.5, max: 1e7, noNaN: true })), seriesArb(fc.double({ min: 0.5, max: 1e7, noNaN: true })), (cur, base) => {
        expectTrees([cur], [[0]], 0);
        expectTrees([cur, base], [[0], [0, 1]], 0);
      }),
      { numRuns: 200 },
    );
  });

  it('prunes as the plain tree pruned: the same boxes, the same notes, for each pick of series', () => {
    fc.assert(
      fc.property(seriesArb(fc.integer({ min: 1, max: 1000 })), seriesArb(fc.integer({ min: 1, max: 1000 })), fc.constantFrom(0.01, 0.05, 0.1, 0.3, 0.5, 1), (cur, base, fraction) => {
        expectTrees([cur], [[0]], fraction);
        expectTrees([cur, base], [[0], [1], [0, 1]], fraction);
      }),
      { numRuns: 300 },
    );
  });

  it('orders paths so that those sharing callers are together, a path before the paths it starts', () => {
    const st = (frames: string, value = 1): TreeStack => ({ frames: frames.split(';'), value, allocatorDepth: 0 });
    const p = sortedPaths([[st('main;a;x'), st('main;b'), st('main;a'), st('main;a;x;y'), st('main;b', 0), st('other')]]);
    const path = (k: number) => Array.from(p.idsOf[k], (id) => p.names[id]).join(';');
    expect(Array.from(p.order, path)).toEqual(['main;a', 'main;a;x', 'main;a;x;y', 'main;b', 'other']);
    expect(p.rootValue).toEqual([5]);
    p.release();
  });
});
