// Tests the folded-stack report (src/report/collapsed.ts): its order, worked out PC by PC without
// making the lines, must be exactly the sorted lines' (the old way: make every line, then sort), on
// names built to trip it: one name the start of another, ';' and tabs and control characters in
// names, inlined levels, empty names, stacks with no frames, negative and fractional values; and
// its bytes, copied together from each text's UTF-8, must be the UTF-8 of those lines (names
// outside ASCII, whose UTF-16 order is not their UTF-8 order; lines across pieces).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locationHex } from '../../src/model/address.js';
import type { Location } from '../../src/model/profile.js';
import type { Stack } from '../../src/graph/stacks.js';
import { rangesOf } from '../../src/graph/flat-stacks.js';
import { collapsedChunks, renderCollapsed } from '../../src/report/collapsed.js';
import { PIECE_BYTES } from '../../src/report/piece-pool.js';
import { formatInt } from '../../src/report/printf.js';
import { FoldedOrder } from '../../src/report/folded-order.js';
import { FoldedTexts } from '../../src/report/folded-texts.js';
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
// Two and three bytes in UTF-8, and four (a surrogate pair, which sorts before U+FF5E in UTF-16
// though after it in UTF-8); a lone surrogate, which UTF-8 spells as U+FFFD.
const WIDE = ['é', 'éa', 'aé', 'é;b', '日本', '日本語', '\u{1F600}', '\u{1F600}x', '\uFF5E', 'x\uD800'];
let address = 0x1000n;
const pcs: Location[] = [
  ...[...NAMES, ...WIDE].map((n) => namedLoc((address += 16n), n)),
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
  it('sorts as the made lines sort, on names that trip a PC-by-PC comparison, and writes their UTF-8', () => {
    fc.assert(
      fc.property(fc.array(stack, { maxLength: 30 }), (stacks) => {
        expect(Buffer.concat([...collapsedChunks(rangesOf(stacks))]).equals(Buffer.from(reference(stacks), 'utf8'))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('orders as with two levels of keys when the texts are too many for two (one level) or for one (no keys)', () => {
    // A million stacks with some 10^5 distinct texts take the one-level road, more the last one:
    // the limit lowered here reaches both on small input.
    const roads = { one: 0, none: 0 };
    fc.assert(
      fc.property(fc.array(stack, { minLength: 2, maxLength: 40 }), (stacks) => {
        const ranges = rangesOf(stacks);
        const texts = new FoldedTexts(ranges);
        const order = new FoldedOrder(ranges, texts);
        const lines = (o: Int32Array) => Array.from(o, (i) => order.line(i));
        let unit = 1;
        while (unit < ranges.count) unit *= 2;
        const families = texts.strings.length + 1;
        const two = lines(order.sorted());
        // Just room for one level of keys; then none.
        if (families * families * unit >= families * unit + 1) {
          roads.one++;
          expect(lines(order.sorted(families * unit + 1))).toEqual(two);
        }
        roads.none++;
        expect(lines(order.sorted(families * unit))).toEqual(two);
        expect(two.map((l) => l + '\n').join('')).toBe(reference(stacks));
      }),
      { numRuns: 300 },
    );
    expect(roads.one).toBeGreaterThan(100);
    expect(roads.none).toBe(300);
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

  it('writes lines across pieces, and a line longer than a piece, whole', () => {
    const long = namedLoc((address += 16n), 'ü'.repeat(PIECE_BYTES / 2 + 1));
    const stacks = Array.from({ length: 3000 }, (_, i) => ({ locations: [pcs[i % pcs.length], pcs[(i * 7) % pcs.length], ...(i % 1000 === 0 ? [long] : [])], value: i }));
    const pieces = [...collapsedChunks(rangesOf(stacks))];
    expect(pieces.length).toBeGreaterThan(3);
    expect(Buffer.concat(pieces).equals(Buffer.from(reference(stacks), 'utf8'))).toBe(true);
  });
});
