// Tests deltaRows (src/report/html/delta-rows.ts): per-function change against the base, hand-computed.
import { expect, it } from 'vitest';
import { deltaRows } from '../../../src/report/html/delta-rows.js';
import { StringTable } from '../../../src/model/string-table.js';
import type { HtmlStack } from '../../../src/report/html/types.js';

const st = (frames: string, value: number, allocatorDepth = 0): HtmlStack => ({ frames: frames.split(';'), value, allocatorDepth });

it('sums flat and cum per function on trimmed stacks, recursion counted once, by |cum change|', () => {
  // Trimmed: cur main;a 10, main;c 5, main;f;f 3; base main;a 4, main;d 8, main;f;f 3.
  const cur = [st('main;a;malloc', 10, 1), st('main;c', 5), st('main;f;f', 3)];
  const base = [st('main;a;malloc', 4, 1), st('main;d', 8), st('main;f;f', 3)];
  const table = new StringTable();
  const d = deltaRows(cur, base, table);
  const rows = d.name.map((n, i) => [table.strings[n], d.flatCur[i], d.flatBase[i], d.cumCur[i], d.cumBase[i]]);
  // |cum change|: d 8, a 6, c 5, main 18 - 15 = 3; f did not change and is left out (cum 3, not 6).
  expect(rows).toEqual([
    ['d', 0, 8, 0, 8],
    ['a', 10, 4, 10, 4],
    ['c', 5, 0, 5, 0],
    ['main', 0, 0, 18, 15],
  ]);
});
