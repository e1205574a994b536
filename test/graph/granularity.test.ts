// Tests translateStack and disambiguationMap (src/graph/granularity.ts): jeprof's TranslateStack keys and name@addr renames, reference §4.1, §5.7, §5.9, §6.2.
import { describe, expect, it } from 'vitest';
import { disambiguationMap, KeyNumbering, SeriesRenames, translateStack, type Granularity, type TranslateContext } from '../../src/graph/granularity.js';
import { flatAndCumOf } from '../../src/graph/build.js';
import { inlinedLoc as loc, namedLoc } from '../helpers/locations.js';
import fc from 'fast-check';
import type { Func, Location } from '../../src/model/profile.js';


function ctx(granularity: Granularity | 'address-only', renames = new Map<string, string>()): TranslateContext {
  return { granularity, renames, runIds: new Map() };
}

// Reference §6.2 (src/t5, -O2): inner inlined into middle inlined into outer, one PC.
const t5 = loc(
  0x56524b1ef18bn,
  ['outer', '/home/dev/facts/src/t5.c:5'],
  ['middle', '/home/dev/facts/src/t5.c:4'],
  ['inner', '/home/dev/facts/src/t5.c:3'],
);

describe('translateStack', () => {
  it('functions: innermost level first, inlined levels get " (inline)"', () => {
    expect(translateStack([t5], ctx('functions'))).toEqual(['inner (inline)', 'middle (inline)', 'outer']);
  });

  it('lines: "<name> <file:line>"', () => {
    expect(translateStack([t5], ctx('lines'))).toEqual([
      'inner (inline) /home/dev/facts/src/t5.c:3',
      'middle (inline) /home/dev/facts/src/t5.c:4',
      'outer /home/dev/facts/src/t5.c:5',
    ]);
  });

  it('addresses: "<16-hex> <name> <file:line>" (reference §6.2 rows)', () => {
    expect(translateStack([t5], ctx('addresses'))).toEqual([
      '000056524b1ef18b inner (inline) /home/dev/facts/src/t5.c:3',
      '000056524b1ef18b middle (inline) /home/dev/facts/src/t5.c:4',
      '000056524b1ef18b outer /home/dev/facts/src/t5.c:5',
    ]);
  });

  it('files: file:line without the trailing :<digits>', () => {
    expect(translateStack([t5], ctx('files'))).toEqual(['/home/dev/facts/src/t5.c', '/home/dev/facts/src/t5.c', '/home/dev/facts/src/t5.c']);
  });

  it('address-only: one bare address per frame, no inline expansion', () => {
    const main = loc(0x55ac4ad972e8n, ['main', 't1.c:20']);
    expect(translateStack([t5, main], ctx('address-only'))).toEqual(['000056524b1ef18b', '000055ac4ad972e8']);
  });

  it('keeps addr2line text verbatim: (discriminator N), ??:? and :? are not trimmed as files', () => {
    const rec = loc(0x55ac4ad971e2n, ['rec', '/home/dev/facts/src/t1.c:11 (discriminator 1)']);
    const q = loc(0x7efc14045304n, ['__libc_start_main_impl', '??:?']);
    const c = loc(0x7efc14045305n, ['_dl_init', ':?']);
    // Reference §8.9 and §6.2.
    expect(translateStack([rec], ctx('lines'))).toEqual(['rec /home/dev/facts/src/t1.c:11 (discriminator 1)']);
    expect(translateStack([rec, q, c], ctx('files'))).toEqual(['/home/dev/facts/src/t1.c:11 (discriminator 1)', '??:?', ':?']);
  });

  describe("a '??' function", () => {
    const unknown = loc(0x7efc140938cbn, ['??', '??:0']);
    const unknownWithLine = loc(0x7efc140938ccn, ['??', '/x.c:7']);

    it('functions: the 16-hex address', () => {
      expect(translateStack([unknown, unknownWithLine], ctx('functions'))).toEqual(['00007efc140938cb', '00007efc140938cc']);
    });

    it('lines: the address only when file:line is ??:0 too', () => {
      expect(translateStack([unknown, unknownWithLine], ctx('lines'))).toEqual(['00007efc140938cb', '?? /x.c:7']);
    });

    it('addresses: "<addr> ?? ??:0"', () => {
      expect(translateStack([unknown], ctx('addresses'))).toEqual(['00007efc140938cb ?? ??:0']);
    });

    it('files: the address for ??:0', () => {
      expect(translateStack([unknown, unknownWithLine], ctx('files'))).toEqual(['00007efc140938cb', '/x.c']);
    });
  });

  describe('a PC without a symbol record (reference §5.9, mapping file missing)', () => {
    const bare = loc(0x7efc140938cbn);

    it('functions: the bare address', () => {
      expect(translateStack([bare], ctx('functions'))).toEqual(['00007efc140938cb']);
    });

    it('lines: the address and a trailing space', () => {
      expect(translateStack([bare], ctx('lines'))).toEqual(['00007efc140938cb ']);
    });

    it('addresses: the address twice and a trailing space', () => {
      expect(translateStack([bare], ctx('addresses'))).toEqual(['00007efc140938cb 00007efc140938cb ']);
    });

    it('files: the address', () => {
      expect(translateStack([bare], ctx('files'))).toEqual(['00007efc140938cb']);
    });
  });

  it('skips addresses above 0x7fffffffffffffff (reference §4.1)', () => {
    const allocBig = loc(0x55ac4ad971a1n, ['alloc_big', 't1.c:5']);
    const wrapped = loc(0xffffffffffffffffn, ['??', '??:0']);
    const vsyscall = loc(0xffffffffff600004n);
    const main = loc(0x55ac4ad972e8n, ['main', 't1.c:20']);
    expect(translateStack([allocBig, wrapped, vsyscall, main], ctx('functions'))).toEqual(['alloc_big', 'main']);
    expect(translateStack([allocBig, wrapped, vsyscall, main], ctx('address-only'))).toEqual(['000055ac4ad971a1', '000055ac4ad972e8']);
  });

  it('keeps 0x7fffffffffffffff itself', () => {
    expect(translateStack([loc(0x7fffffffffffffffn)], ctx('functions'))).toEqual(['7fffffffffffffff']);
  });

  it('applies renames by full name at every inline level', () => {
    const renames = new Map([['ns::over(int)<00000000000012a9>', 'ns::over@12a9']]);
    const l = loc(0x55ac4ad97300n, ['caller', 'a.cc:1', 'caller<0000000000001300>'], ['ns::over', 'a.cc:2', 'ns::over(int)<00000000000012a9>']);
    expect(translateStack([l], ctx('functions', renames))).toEqual(['ns::over@12a9 (inline)', 'caller']);
  });

  it('numbers Callback...::Run frames per neighbouring (leaf-side) address', () => {
    const run = loc(0x1000n, ['base::Callback::Run', 'cb.h:1']);
    const x = loc(0x2000n, ['x', 'x.c:1']);
    const c = ctx('functions');
    // leaf: caller key '0' -> Run#1; after x: key '0000000000002000' -> Run#2; leaf again -> Run#1.
    expect(translateStack([run, x], c)).toEqual(['Run#1', 'x']);
    expect(translateStack([x, run], c)).toEqual(['x', 'Run#2']);
    expect(translateStack([run], c)).toEqual(['Run#1']);
  });
});

// Unnamed PCs' keys are numbered by address, not through the key Map: a name that reads like an
// address must still meet the unnamed PC's key, in either order, as jeprof's one hash does.
describe('address keys', () => {
  const unnamed = namedLoc(0x12abn);
  const lookalike = namedLoc(0x9000n, '00000000000012ab');
  const other = namedLoc(0x9010n, 'main');

  it('an unnamed PC and a function named like its address are one key, whichever comes first', () => {
    for (const order of [[unnamed, lookalike], [lookalike, unnamed]]) {
      const numbering = new KeyNumbering();
      const a = translateStack([order[0], other], ctx('functions'), numbering);
      const b = translateStack([order[1], other], ctx('functions'), numbering);
      expect(a[0]).toBe('00000000000012ab');
      expect(b[0]).toBe('00000000000012ab');
      expect(numbering.names.filter((n) => n === '00000000000012ab')).toHaveLength(1);
    }
  });

  it('their values add into one row', () => {
    const fc = flatAndCumOf([{ locations: [unnamed, other], value: 5 }, { locations: [lookalike, other], value: 7 }], ctx('functions'));
    expect([...fc.flat]).toEqual([['00000000000012ab', 12]]);
    expect([...fc.cum]).toEqual([['00000000000012ab', 12], ['main', 12]]);
  });

  it('unnamed PCs at different addresses stay apart; lines granularity keys them differently', () => {
    const fc = flatAndCumOf([{ locations: [unnamed], value: 1 }, { locations: [namedLoc(0x12acn)], value: 2 }], ctx('functions'));
    expect([...fc.flat]).toEqual([['00000000000012ab', 1], ['00000000000012ac', 2]]);
    expect(translateStack([unnamed], ctx('lines'))).toEqual(['00000000000012ab ']);
  });
});

describe('disambiguationMap', () => {
  it('renames nm-tagged full names that share a short name to short@hex (reference §5.7: ns::over@12a9, ns::over@12cc)', () => {
    const a = loc(0x55ac4ad972aan, ['ns::over', 't2.cc:3', 'ns::over(int)<00000000000012a9>']);
    const b = loc(0x55ac4ad972cdn, ['ns::over', 't2.cc:4', 'ns::over(double)<00000000000012cc>']);
    const a2 = loc(0x55ac4ad972b0n, ['ns::over', 't2.cc:3', 'ns::over(int)<00000000000012a9>']);
    const m = disambiguationMap([a, b, a2]);
    expect(m).toEqual(
      new Map([
        ['ns::over(int)<00000000000012a9>', 'ns::over@12a9'],
        ['ns::over(double)<00000000000012cc>', 'ns::over@12cc'],
      ]),
    );
  });

  it('strips the leading zeros of a non-PIE address: @4012b9', () => {
    const a = loc(0x4012b9n, ['ns::over', 't2.cc:3', 'ns::over(int)<00000000004012b9>']);
    const b = loc(0x4012dcn, ['ns::over', 't2.cc:4', 'ns::over(double)<00000000004012dc>']);
    expect(disambiguationMap([a, b]).get('ns::over(int)<00000000004012b9>')).toBe('ns::over@4012b9');
  });

  it('leaves a short name with only one tagged full name alone (same full name at many PCs)', () => {
    const a = loc(0x1190n, ['alloc_big', 't1.c:5', 'alloc_big<0000000000001189>']);
    const b = loc(0x1195n, ['alloc_big', 't1.c:6', 'alloc_big<0000000000001189>']);
    expect(disambiguationMap([a, b]).size).toBe(0);
  });

  it('ignores untagged full names (addr2line template members merge: ns::Holder::make)', () => {
    const a = loc(0x1300n, ['ns::Holder::make', 't2.cc:9', 'ns::Holder<ns::Widget>::make()']);
    const b = loc(0x1340n, ['ns::Holder::make', 't2.cc:9', 'ns::Holder<int>::make()']);
    const c = loc(0x1380n, ['ns::Holder::make', 't2.cc:9', 'ns::Holder::make<0000000000001380>']);
    expect(disambiguationMap([a, b, c]).size).toBe(0);
  });

  it('looks only at the first (outermost) level of each PC', () => {
    const a = loc(0x1000n, ['outer', 'a.c:1', 'outer<0000000000001000>'], ['f', 'a.c:2', 'f(int)<0000000000002000>']);
    const b = loc(0x1100n, ['outer2', 'a.c:1', 'outer2<0000000000001100>'], ['f', 'a.c:3', 'f(double)<0000000000002100>']);
    expect(disambiguationMap([a, b]).size).toBe(0);
  });

  it('skips PCs without a record', () => {
    expect(disambiguationMap([loc(0x10n)]).size).toBe(0);
  });
});

describe('SeriesRenames', () => {
  // PCs whose functions share short names under tagged full names, one full name under two short
  // names (then the first met wins, so order matters), and an unnamed PC.
  const func = (id: number, name: string, systemName: string): Func => ({ id, name, systemName, filename: '' });
  const funcs = [
    func(1, 'over', 'over<0000000000401000>'),
    func(2, 'over', 'over<0000000000402000>'),
    func(3, 'over', 'over<0000000000402000>'),
    func(4, 'other', 'over<0000000000402000>'),
    func(5, 'plain', 'plain'),
    func(6, 'other', 'other<0000000000403000>'),
  ];
  const pcs: Location[] = funcs.map((f, i) => ({ id: 100 + i, address: BigInt(0x5000 + i), lines: [{ func: f, line: 0, fileLine: '??:0' }] }));
  pcs.push({ id: 200, address: 0x6000n, lines: [] });
  it('gives each dump of a series what disambiguationMap gives it alone', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...pcs), { maxLength: 8 }), { maxLength: 8 }), (dumps) => {
        const r = new SeriesRenames();
        for (const locs of dumps) expect([...r.renamesOf(locs)].sort()).toEqual([...disambiguationMap(locs)].sort());
      }),
      { numRuns: 500 },
    );
  });
});
