// Tests buildTree/buildTrees (src/report/html/flame-tree.ts) and the page's decodeTree/diffWidths (page/tree.ts) on hand-computed trees.
import { describe, expect, it } from 'vitest';
import { buildTree, buildTrees } from '../../../src/report/html/flame-tree.js';
import { decodeTree, diffWidths, type FlameNode } from '../../../src/report/html/page/tree.js';
import { StringTable } from '../../../src/model/string-table.js';
import { UsageError } from '../../../src/model/errors.js';
import type { HtmlStack } from '../../../src/report/html/types.js';
import { MERGED, type WireTree } from '../../../src/report/html/wire.js';

const st = (frames: string, value: number, allocatorDepth = 0): HtmlStack => ({ frames: frames.split(';'), value, allocatorDepth });

// all 36 -> main 36 -> a 31 -> b 20 -> malloc 20 (allocator)
//                          -> malloc 11 (allocator: 10 + 1)
//                  -> c 5
const STACKS = [st('main;a;malloc', 10, 1), st('main;a;b;malloc', 20, 1), st('main;c', 5), st('main;a;malloc', 1, 1), st('main;malloc', 0, 1)];

/** The tree as `name value/alloc` lines, indented by depth, for reading against the picture above. */
function lines(t: WireTree, strings: string[]): string[] {
  const out: string[] = [];
  const open: number[] = [];
  let merged = 0;
  t.name.forEach((n, i) => {
    while (open.length > 0 && open[open.length - 1] === 0) open.pop();
    if (open.length > 0) open[open.length - 1]--;
    const name = n === MERGED ? `(${t.merged[merged++]} merged)` : strings[n];
    out.push(`${'  '.repeat(open.length)}${name} ${t.value.map((v, s) => `${v[i]}/${t.alloc[s][i]}`).join(' ')}`);
    open.push(t.kids[i]);
  });
  return out;
}

function decoded(n: FlameNode, depth = 0): string[] {
  return [`${'  '.repeat(depth)}${n.n} ${n.v} [${n.values.join(',')}]`, ...n.c.flatMap((c) => decoded(c, depth + 1))];
}

describe('buildTree', () => {
  it('adds stacks into one node per call path, children by value, allocator parts apart, zero stacks left out', () => {
    const table = new StringTable();
    const t = buildTree([STACKS], 0, table);
    expect(lines(t, table.strings)).toEqual(['all 36/0', '  main 36/0', '    a 31/0', '      b 20/0', '        malloc 20/20', '      malloc 11/11', '    c 5/0']);
    expect(t.kids).toEqual([1, 2, 2, 1, 0, 0, 0]);
    // Each name once, in the order first drawn.
    expect(table.strings).toEqual(['all', 'main', 'a', 'b', 'malloc', 'c']);
    expect(t.pruned).toEqual({ frames: 0, framesTrimmed: 0, value: [0], valueTrimmed: [0], threshold: 0 });
  });

  it('merges callees below pruneFraction of the total into one box per caller and says what it merged', () => {
    const table = new StringTable();
    // 0.2 * 36 = 7.2: c (5) goes.
    expect(lines(buildTree([STACKS], 0.2, table), table.strings)).toEqual(['all 36/0', '  main 36/0', '    a 31/0', '      b 20/0', '        malloc 20/20', '      malloc 11/11', '    (1 merged) 5/0']);
    // 0.4 * 36 = 14.4: c (5) and a's malloc (11, all allocator) go; b (20) stays.
    const t = buildTree([STACKS], 0.4, table);
    expect(lines(t, table.strings)).toEqual(['all 36/0', '  main 36/0', '    a 31/0', '      b 20/0', '        malloc 20/20', '      (1 merged) 11/11', '    (1 merged) 5/0']);
    expect(t.merged).toEqual([1, 1]);
    // Hidden allocator frames: a's malloc leaves nothing, so only c's frame and 5 remain merged.
    expect(t.pruned).toEqual({ frames: 2, framesTrimmed: 1, value: [16], valueTrimmed: [5], threshold: 14.4 });
  });

  it('counts a merged subtree whole: a callee with three frames below it is four frames', () => {
    const t = buildTree([[st('main;big', 100), st('main;x;y;z;w', 1)]], 0.05, new StringTable());
    expect(t.pruned.frames).toBe(4);
    expect(t.merged).toEqual([1]);
  });

  it('refuses negative values and allocator depths longer than the stack', () => {
    expect(() => buildTree([[st('main', -1)]], 0, new StringTable())).toThrow(RangeError);
    expect(() => buildTree([[st('main', 1, 2)]], 0, new StringTable())).toThrow(/allocatorDepth 2/);
    expect(() => buildTree([[st('main', 1)]], 2, new StringTable())).toThrow(/pruneFraction/);
  });

  it('refuses to draw more frames than a page can hold, saying which option to raise, and draws as many', () => {
    // STACKS draw 6 frames at 0 (main, a, b, malloc, malloc, c).
    expect(() => buildTrees([STACKS], undefined, [[0]], 0, new StringTable(), 5)).toThrow(UsageError);
    expect(() => buildTrees([STACKS], undefined, [[0]], 0, new StringTable(), 5)).toThrow('the flame graph would draw more than 5 frames at --nodefraction=0, more than a browser can draw: give a larger --nodefraction');
    expect(buildTrees([STACKS], undefined, [[0]], 0, new StringTable(), 6)[0].name.length).toBe(7);
    // At 0.4 two frames are merged: 4 drawn.
    expect(buildTrees([STACKS], undefined, [[0]], 0.4, new StringTable(), 4)[0].merged).toEqual([1, 1]);
  });

  it('keeps deep recursion without recursing itself', () => {
    const deep = Array.from({ length: 20000 }, (_, i) => `f${i % 3}`).join(';');
    const t = buildTree([[st(deep, 7)]], 0, new StringTable());
    expect(t.name.length).toBe(20001);
    expect(decodeTree(t, ['all', 'f0', 'f1', 'f2'], false).v).toBe(7);
  });
});

describe('the differential tree', () => {
  // cur: main;a;malloc 10 (allocator 1), main;c 5. base: main;a;malloc 4, main;d 8.
  const cur = [st('main;a;malloc', 10, 1), st('main;c', 5)];
  const base = [st('main;a;malloc', 4, 1), st('main;d', 8)];

  it('carries both series per node, ordered by the larger of the two', () => {
    const table = new StringTable();
    const t = buildTree([cur, base], 0, table);
    expect(lines(t, table.strings)).toEqual(['all 15/0 12/0', '  main 15/0 12/0', '    a 10/0 4/0', '      malloc 10/10 4/4', '    d 0/0 8/0', '    c 5/0 0/0']);
  });

  it('makes the current-only tree in the same reading, without the base-only paths', () => {
    const table = new StringTable();
    const [t, both] = buildTrees([cur, base], undefined, [[0], [0, 1]], 0, table);
    expect(lines(t, table.strings)).toEqual(['all 15/0', '  main 15/0', '    a 10/0', '      malloc 10/10', '    c 5/0']);
    expect(t).toEqual(buildTree([cur], 0, new StringTable()));
    const alone = new StringTable();
    expect(lines(both, table.strings)).toEqual(lines(buildTree([cur, base], 0, alone), alone.strings));
  });

  it('is as wide as the larger side of each box, so what went away still shows', () => {
    const table = new StringTable();
    const t = buildTree([cur, base], 0, table);
    const untrimmed = decodeTree(t, table.strings, false);
    diffWidths(untrimmed);
    // malloc max(10, 4) = 10; a 0 self + 10; d 8; c 5; main 0 self + 10 + 8 + 5 = 23.
    expect(decoded(untrimmed)).toEqual(['all 23 [15,12]', '  main 23 [15,12]', '    a 10 [10,4]', '      malloc 10 [10,4]', '    d 8 [0,8]', '    c 5 [5,0]']);
    const trimmed = decodeTree(t, table.strings, true);
    diffWidths(trimmed);
    // malloc goes; a keeps its 10 and 4 as self: max(10, 4) = 10.
    expect(decoded(trimmed)).toEqual(['all 23 [15,12]', '  main 23 [15,12]', '    a 10 [10,4]', '    d 8 [0,8]', '    c 5 [5,0]']);
  });
});

describe('decodeTree', () => {
  it('rebuilds the nesting, and hiding allocator frames drops the boxes that are all allocator', () => {
    const table = new StringTable();
    const t = buildTree([STACKS], 0.4, table);
    expect(decoded(decodeTree(t, table.strings, false))).toEqual(['all 36 [36]', '  main 36 [36]', '    a 31 [31]', '      b 20 [20]', '        malloc 20 [20]', '      (1 smaller) 11 [11]', '    (1 smaller) 5 [5]']);
    expect(decoded(decodeTree(t, table.strings, true))).toEqual(['all 36 [36]', '  main 36 [36]', '    a 31 [31]', '      b 20 [20]', '    (1 smaller) 5 [5]']);
  });
});
