// Tests the folded-stack report (src/report/collapsed.ts): its order, worked out PC by PC without
// making the lines, must be exactly the sorted lines' (the old way: make every line, then sort), on
// names built to trip it: one name the start of another, ';' and tabs and control characters in
// names, inlined levels, empty names, stacks with no frames, negative and fractional values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locationHex } from '../../src/model/address.js';
import type { Location } from '../../src/model/profile.js';
import type { Stack } from '../../src/graph/stacks.js';
import { renderCollapsed } from '../../src/report/collapsed.js';
import { formatInt } from '../../src/report/printf.js';
import { printable } from '../../src/report/printable.js';
import { inlinedLoc, namedLoc } from '../helpers/locations.js';

/** The old renderer, line by line: the reference. */
function reference(stacks: readonly Stack[]): string {
  const frames = (loc: Location) =>
    loc.lines.length === 0
      ? [locationHex(loc)]
      : loc.lines.map((l, i) => {
          const file = l.fileLine === '?' || l.fileLine === ':0' ? '??:0' : l.fileLine;
          const fn = l.func.systemName === '??' ? file : l.func.systemName;
          return i === 0 ? fn : `${fn}[inline]`;
        });
  const lines = stacks.map((s) => {
    const names: string[] = [];
    for (let i = s.locations.length - 1; i >= 0; i--) names.push(...frames(s.locations[i]));
    return `${printable(names.join(';'))} ${formatInt(s.value)}`;
  });
  return lines.sort().map((l) => l + '\n').join('');
}

const NAMES = ['a', 'ab', 'a::b', 'a b', 'a;b', 'a\tb', '\tz', 'a\x1bz', 'b', '', ' ', 'f<int>', 'f(int)', '??', 'Z', 'a;', ';a'];
let address = 0x1000n;
const pcs: Location[] = [
  ...NAMES.map((n) => namedLoc((address += 16n), n)),
  // Two PCs of one name: equal texts from different locations.
  namedLoc((address += 16n), 'a'),
  inlinedLoc((address += 16n), ['a', 'x.c:1'], ['b', 'x.c:2']),
  inlinedLoc((address += 16n), ['a;b', 'x.c:1'], ['', 'x.c:2', '??']),
  namedLoc((address += 16n)),
  namedLoc((address += 16n)),
];

const stack = fc.record({
  locations: fc.array(fc.constantFrom(...pcs), { maxLength: 6 }),
  value: fc.oneof(fc.integer({ min: -1000, max: 100000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, 7, 70, 700)),
});

describe('collapsed', () => {
  it('sorts as the made lines sort, on names that trip a PC-by-PC comparison', () => {
    fc.assert(
      fc.property(fc.array(stack, { maxLength: 30 }), (stacks) => {
        expect(renderCollapsed(stacks)).toBe(reference(stacks));
      }),
      { numRuns: 2000 },
    );
  });

  it('prints root first, inlined levels marked, one line per stack, by hand', () => {
    const [main, work] = [namedLoc(0x10n, 'main'), inlinedLoc(0x20n, ['work', 'w.c:1'], ['step', 'w.c:9'])];
    const out = renderCollapsed([
      { locations: [work, main], value: 1536.7 },
      { locations: [main], value: 10 },
      { locations: [], value: 3 },
    ]);
    expect(out).toBe(' 3\nmain 10\nmain;work;step[inline] 1536\n');
  });
});
