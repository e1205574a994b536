// Tests assignToLibraries (src/symbolize/symbolizer.ts) against jeprof's rule written plainly:
// libraries by highest start first, each PC to the first whose inclusive range holds it, PCs in
// address order; addresses past 2^53 (where a double would round) and repeated ones included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignToLibraries } from '../../src/symbolize/symbolizer.js';
import type { Library } from '../../src/symbolize/libraries.js';
import type { Location } from '../../src/model/profile.js';

const lib = (path: string, start: bigint, finish: bigint): Library => ({ path, foundPath: path, start, finish, bias: 0n });
const loc = (address: bigint, id: number): Location => ({ id, address, lines: [] });

/** The rule, one PC at a time. */
function reference(locs: Location[], libs: Library[]): [string, number[]][] {
  const order = libs.map((l, i) => ({ l, i })).sort((a, b) => (a.l.start > b.l.start ? -1 : a.l.start < b.l.start ? 1 : a.i - b.i));
  const left = [...locs].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.id - b.id));
  const out: [string, number[]][] = [];
  for (const { l } of order) {
    const mine = left.filter((x) => x.address >= l.start && x.address <= l.finish);
    if (mine.length === 0) continue;
    out.push([l.path, mine.map((x) => x.id)]);
    for (const m of mine) left.splice(left.indexOf(m), 1);
  }
  return out;
}

const shape = (r: { lib: Library; locs: Location[] }[]) => r.map(({ lib: l, locs }) => [l.path, locs.map((x) => x.id)]);
const TWO53 = 1n << 53n;

describe('assignToLibraries', () => {
  it('gives nested and overlapping ranges their PCs as jeprof does', () => {
    const libs = [lib('/bin/prog', 0n, 0xffffffffn), lib('/lib/outer.so', 0x10000n, 0x1ffffn), lib('/lib/inner.so', 0x14000n, 0x14fffn)];
    const locs = [0x18000n, 0x500n, 0x14fffn, 0x10000n, 0x14000n, 0x1ffffn, 0x20000n].map((a, i) => loc(a, i + 1));
    expect(shape(assignToLibraries(locs, libs))).toEqual([
      ['/lib/inner.so', [5, 3]],
      ['/lib/outer.so', [4, 1, 6]],
      ['/bin/prog', [2, 7]],
    ]);
  });

  it('keeps exact order for addresses on both sides of 2^53 and for a library ending at 2^64 - 1', () => {
    const libs = [lib('/lib/low.so', 0x1000n, TWO53 - 1n), lib('/lib/high.so', TWO53 - 1n, (1n << 64n) - 1n)];
    const locs = [TWO53 + 1n, TWO53 - 1n, TWO53, 0x1000n, TWO53 - 2n].map((a, i) => loc(a, i + 1));
    expect(shape(assignToLibraries(locs, libs))).toEqual([
      ['/lib/high.so', [2, 3, 1]],
      ['/lib/low.so', [4, 5]],
    ]);
  });

  it('keeps two locations with one address, in their order', () => {
    const libs = [lib('/lib/a.so', 0x1000n, 0x1fffn)];
    const locs = [0x1800n, 0x1200n, 0x1800n].map((a, i) => loc(a, i + 1));
    expect(shape(assignToLibraries(locs, libs))).toEqual([['/lib/a.so', [2, 1, 3]]]);
  });

  it('agrees with the rule on random libraries and PCs, repeats and huge addresses included', () => {
    const near = (base: bigint) => fc.bigInt({ min: base, max: base + 0x4000n });
    const addr = fc.oneof(near(0n), near(TWO53 - 0x2000n), near((1n << 64n) - 0x4001n));
    const arbLib = fc.record({ path: fc.constantFrom('/a.so', '/b.so', '/c.so', '/bin/p'), start: addr, len: fc.bigInt({ min: 0n, max: 0x3000n }) });
    fc.assert(
      fc.property(fc.array(arbLib, { maxLength: 6 }), fc.array(fc.oneof(addr, fc.constantFrom(0x1000n, 0x1001n, TWO53 - 1n)), { maxLength: 40 }), (ls, pcs) => {
        const libs = ls.map((l) => lib(l.path, l.start, l.start + l.len));
        const locs = pcs.map((pc, i) => loc(pc, i + 1));
        expect(shape(assignToLibraries(locs, libs))).toEqual(reference(locs, libs));
      }),
      { numRuns: 1000 },
    );
  });
});
