// Tests pcRouter (src/symbolize/pc-router.ts): a PC is sent only to the object file, and as the
// file address, that symbolizeLocations' assignToLibraries will give it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pcRouter } from '../../src/symbolize/pc-router.js';
import { assignToLibraries } from '../../src/symbolize/symbolizer.js';
import type { Library } from '../../src/symbolize/libraries.js';
import type { Location } from '../../src/model/profile.js';

const lib = (path: string, start: bigint, finish: bigint, bias = start): Library => ({ path, foundPath: path, start, finish, bias });
const loc = (address: bigint, id = 1): Location => ({ id, address, lines: [] });

/** The sends of a router over `pcs`. */
function routed(libs: Library[], pcs: bigint[]): [string, bigint][] {
  const sent: [string, bigint][] = [];
  const route = pcRouter(libs, (path, a) => sent.push([path, a]));
  pcs.forEach((pc) => route(pc));
  return sent;
}

describe('pcRouter', () => {
  it('sends a PC to the library that holds it, as its file address', () => {
    const libs = [lib('/bin/prog', 0x555500001000n, 0x555500002fffn, 0x555500000000n), lib('/lib/libc.so', 0x7f0000026000n, 0x7f000017bfffn, 0x7f0000000000n)];
    expect(routed(libs, [0x555500001234n, 0x7f0000029d90n, 0x7f000017c000n, 0x1000n])).toEqual([
      ['/bin/prog', 0x1234n],
      ['/lib/libc.so', 0x29d90n],
    ]);
  });

  it('leaves alone PCs of the catch-all program entry and of nested ranges', () => {
    const libs = [lib('/bin/prog', 0n, 0xffffffffn, 0n), lib('/lib/outer.so', 0x10000n, 0x1ffffn), lib('/lib/inner.so', 0x14000n, 0x14fffn)];
    // 0x18000 is past inner.so but inside outer.so: assignToLibraries gives it to outer.so, which
    // starts lower; the router does not guess.
    expect(routed(libs, [0x500n, 0x14100n, 0x18000n, 0x10100n])).toEqual([
      ['/lib/inner.so', 0x100n],
      ['/lib/outer.so', 0x100n],
    ]);
  });

  it('agrees with assignToLibraries on every PC it sends', () => {
    const arbLib = fc.record({
      path: fc.constantFrom('/a.so', '/b.so', '/c.so', '/bin/p'),
      start: fc.bigInt({ min: 0n, max: 0x3000n }),
      len: fc.bigInt({ min: 0n, max: 0x1000n }),
      bias: fc.bigInt({ min: 0n, max: 0x800n }),
    });
    fc.assert(
      fc.property(fc.array(arbLib, { maxLength: 6 }), fc.uniqueArray(fc.bigInt({ min: 0n, max: 0x4200n }), { maxLength: 40 }), (ls, pcs) => {
        const libs = ls.map((l) => lib(l.path, l.start, l.start + l.len, l.bias));
        const locs = pcs.map((pc, i) => loc(pc, i + 1));
        const owner = new Map<bigint, Library>();
        for (const { lib: l, locs: mine } of assignToLibraries(locs, libs)) for (const m of mine) owner.set(m.address, l);
        const sent: [string, bigint, bigint][] = [];
        const route = pcRouter(libs, (path, a) => sent.push([path, a, 0n]));
        for (const l of locs) {
          const before = sent.length;
          route(l.address);
          if (sent.length > before) sent[before][2] = l.address;
        }
        for (const [path, a, pc] of sent) {
          const o = owner.get(pc);
          expect(o?.path).toBe(path);
          expect(a).toBe((pc - o!.bias) & 0xffffffffffffffffn);
        }
      }),
      { numRuns: 500 },
    );
  });
});
