// Tests topRows, renderTopRows, renderTotalLine and flatTotal (src/report/top.ts): jeprof's --text report, reference §6.8, §7.2, §9.
import { describe, expect, it } from 'vitest';
import { flatTotal, renderTopRows, renderTotalLine, topRows } from '../../src/report/top.js';
import type { FlatCum } from '../../src/graph/build.js';
import type { UnitOptions } from '../../src/report/units.js';

const MB: UnitOptions = { kind: 'bytes', showBytes: false };
const BYTES: UnitOptions = { kind: 'bytes', showBytes: true };
const OBJECTS: UnitOptions = { kind: 'objects', showBytes: false };

function fc(flat: [string, number][], cum: [string, number][], origin: FlatCum['origin'] = () => undefined): FlatCum {
  return { flat: new Map(flat), cum: new Map(cum), origin };
}

function text(f: FlatCum, total: number, u: UnitOptions, sortByCum = false, thread?: string): string {
  return renderTotalLine(total, u, thread) + renderTopRows(topRows(f, { sortByCum }), flatTotal(f), u);
}

// The seed report of reference §9: malloc_usable_size 16000000 B, the libstdc++ pool 81920 B
// (reference §7.3 collapsed line); everything else only on the path.
const SEED = fc(
  [
    ['malloc_usable_size', 16000000],
    ['std::__throw_ios_failure@@GLIBCXX_3.4.26', 81920],
  ],
  [
    ['malloc_usable_size', 16000000],
    ['main', 16000000],
    ['__libc_start_call_main', 16000000],
    ['__libc_start_main_impl', 16000000],
    ['_start', 16000000],
    ['std::__throw_ios_failure@@GLIBCXX_3.4.26', 81920],
    ['call_init', 81920],
    ['_dl_init', 81920],
    ['_dl_start_user', 81920],
  ],
);

describe('text report', () => {
  it('reproduces the seed report of reference §9 (MB)', () => {
    // 16000000 + 81920 = 16081920 B = 15.34 MB; 16000000*100/16081920 = 99.49% -> 99.5%;
    // 81920*100/16081920 = 0.509% -> 0.5%; 81920 B = 0.078 MB -> 0.1.
    expect(text(SEED, 16081920, MB)).toBe(
      [
        'Total: 15.3 MB',
        '    15.3  99.5%  99.5%     15.3  99.5% malloc_usable_size',
        '     0.1   0.5% 100.0%      0.1   0.5% std::__throw_ios_failure@@GLIBCXX_3.4.26',
        '     0.0   0.0% 100.0%     15.3  99.5% __libc_start_call_main',
        '     0.0   0.0% 100.0%     15.3  99.5% __libc_start_main_impl',
        '     0.0   0.0% 100.0%      0.1   0.5% _dl_init',
        '     0.0   0.0% 100.0%      0.1   0.5% _dl_start_user',
        '     0.0   0.0% 100.0%     15.3  99.5% _start',
        '     0.0   0.0% 100.0%      0.1   0.5% call_init',
        '     0.0   0.0% 100.0%     15.3  99.5% main',
        '',
      ].join('\n'),
    );
  });

  it('reproduces the seed --show_bytes lines of reference §9', () => {
    const out = text(SEED, 16081920, BYTES).split('\n');
    expect(out[0]).toBe('Total: 16081920 B');
    expect(out[1]).toBe('16000000  99.5%  99.5% 16000000  99.5% malloc_usable_size');
  });

  it('reproduces the v1/ties.heap report of reference §2.3, MB and objects', () => {
    // 262144 B = 0.25 MB -> 0.2; 786432 B = 0.75 MB -> 0.8; 262144*100/1048576 = 25.0%.
    const bytes = fc(
      [
        ['alloc_zero', 786432],
        ['alloc_big', 262144],
      ],
      [
        ['alloc_zero', 786432],
        ['alloc_big', 262144],
        ['main', 1048576],
      ],
    );
    expect(text(bytes, 1048576, MB)).toBe(
      [
        'Total: 1.0 MB',
        '     0.8  75.0%  75.0%      0.8  75.0% alloc_zero',
        '     0.2  25.0% 100.0%      0.2  25.0% alloc_big',
        '     0.0   0.0% 100.0%      1.0 100.0% main',
        '',
      ].join('\n'),
    );
    // 351*100/400 = 87.75 -> 87.8%; 49*100/400 = 12.25 -> 12.2%.
    const objects = fc(
      [
        ['alloc_zero', 351],
        ['alloc_big', 49],
      ],
      [
        ['alloc_zero', 351],
        ['alloc_big', 49],
        ['main', 400],
      ],
    );
    expect(text(objects, 400, OBJECTS)).toBe(
      [
        'Total: 400 objects',
        '     351  87.8%  87.8%      351  87.8% alloc_zero',
        '      49  12.2% 100.0%       49  12.2% alloc_big',
        '       0   0.0% 100.0%      400 100.0% main',
        '',
      ].join('\n'),
    );
  });

  it('sorts equal values by key code unit: digits < upper case < _ < lower case', () => {
    const f = fc([], [
      ['alpha', 1],
      ['_under', 1],
      ['Zeta', 1],
      ['9num', 1],
      ['__libc', 1],
    ]);
    expect(topRows(f, { sortByCum: false }).map((r) => r.name)).toEqual(['9num', 'Zeta', '__libc', '_under', 'alpha']);
  });

  it('sorts by flat first; cum is not a tie-breaker', () => {
    const f = fc(
      [['leaf', 5]],
      [
        ['leaf', 5],
        ['b_big_cum', 100],
        ['a_small_cum', 5],
      ],
    );
    expect(topRows(f, { sortByCum: false }).map((r) => r.name)).toEqual(['leaf', 'a_small_cum', 'b_big_cum']);
  });

  it('--cum sorts by cum, and the running column still sums flat (reference §7.2)', () => {
    // inner 745472 B, throw 88064 B; total 833536.
    // 745472/1048576 = 0.711 -> 0.7; 88064/1048576 = 0.084 -> 0.1;
    // 745472*100/833536 = 89.43% -> 89.4%; 88064*100/833536 = 10.57% -> 10.6%.
    const f = fc(
      [
        ['inner (inline)', 745472],
        ['std::__throw_ios_failure@@GLIBCXX_3.4.26', 88064],
      ],
      [
        ['inner (inline)', 745472],
        ['__libc_start_call_main', 745472],
        ['std::__throw_ios_failure@@GLIBCXX_3.4.26', 88064],
      ],
    );
    expect(renderTopRows(topRows(f, { sortByCum: true }), flatTotal(f), MB)).toBe(
      [
        '     0.0   0.0%   0.0%      0.7  89.4% __libc_start_call_main',
        '     0.7  89.4%  89.4%      0.7  89.4% inner (inline)',
        '     0.1  10.6% 100.0%      0.1  10.6% std::__throw_ios_failure@@GLIBCXX_3.4.26',
        '',
      ].join('\n'),
    );
  });

  it('skips rows with flat = cum = 0, but counts them against the limit', () => {
    const f = fc(
      [
        ['a', 5],
        ['c', 1],
      ],
      [
        ['a', 5],
        ['b', 0],
        ['c', 1],
      ],
    );
    // by flat: a 5, c 1, b 0 -> visit a, c, b; b prints nothing.
    expect(topRows(f, { sortByCum: false }).map((r) => r.name)).toEqual(['a', 'c']);
    // here b and c both have flat 0, so name order visits a, b, c: limit 2 stops after the empty b.
    const g = fc(
      [['a', 5]],
      [
        ['a', 5],
        ['b', 0],
        ['c', 1],
      ],
    );
    expect(topRows(g, { sortByCum: false, limit: 2 }).map((r) => r.name)).toEqual(['a']);
    expect(topRows(g, { sortByCum: false, limit: 3 }).map((r) => r.name)).toEqual(['a', 'c']);
  });

  it('keeps running sums in the rows', () => {
    const f = fc(
      [
        ['a', 3],
        ['b', 2],
      ],
      [
        ['a', 3],
        ['b', 2],
        ['m', 5],
      ],
    );
    expect(topRows(f, { sortByCum: false })).toEqual([
      { flat: 3, cum: 3, runningFlat: 3, key: 'a', origin: undefined, name: 'a' },
      { flat: 2, cum: 2, runningFlat: 5, key: 'b', origin: undefined, name: 'b' },
      { flat: 0, cum: 5, runningFlat: 5, key: 'm', origin: undefined, name: 'm' },
    ]);
  });

  it("prints a key that is the address of a PC with a symbol record as that record, as jeprof's PrintText", () => {
    // addr2line said ?? for the PC, so the functions key is its address; the record shows.
    const func = { id: 1, name: '??', systemName: '??', filename: '??' };
    const location = { id: 1, address: 0x7efc140938cbn, lines: [{ func, line: 0, fileLine: '??:0' }] };
    const f = fc([['00007efc140938cb', 1], ['00007efc14000000', 1]], [['00007efc140938cb', 1], ['00007efc14000000', 1]], (k) => (k === '00007efc140938cb' ? { location, level: 0 } : undefined));
    const rows = topRows(f, { sortByCum: false });
    // Ties sort by key, not by what is printed.
    expect(rows.map((r) => r.name)).toEqual(['00007efc14000000', '?? ??:0']);
    expect(rows[1].origin?.location).toBe(location);
  });

  it('lets wide fields push the rest right', () => {
    // 123456789 objects is 9 characters in an 8-wide field.
    const f = fc([['x', 123456789]], [['x', 123456789]]);
    expect(renderTopRows(topRows(f, { sortByCum: false }), flatTotal(f), OBJECTS)).toBe('123456789 100.0% 100.0% 123456789 100.0% x\n');
  });

  it('prints a net-zero --base diff with nan/+inf/-inf and no Total line (reference §6.5)', () => {
    const f = fc(
      [
        ['alloc_big', 1000],
        ['alloc_zero', -1000],
      ],
      [
        ['alloc_big', 1000],
        ['alloc_zero', -1000],
        ['main', 0],
      ],
    );
    // running: 1000 -> +inf; 1000 + (-1000) = 0 -> nan. main: flat 0, cum 0 -> skipped.
    expect(text(f, 0, OBJECTS)).toBe(['    1000   +inf   +inf     1000   +inf alloc_big', '   -1000   -inf    nan    -1000   -inf alloc_zero', ''].join('\n'));
  });

  it('prints a negative --base diff, negative rows last, with -0.0% (reference §6.5)', () => {
    // V = 101397299 B: -V/1048576 = -96.70 -> -96.7; 0*100/-V = -0 -> -0.0%.
    const V = 101397299;
    const f = fc([['malloc_usable_size', -V]], [
      ['malloc_usable_size', -V],
      ['__libc_start_call_main', -V],
    ]);
    expect(text(f, -V, MB)).toBe(
      [
        'Total: -96.7 MB',
        '     0.0  -0.0%  -0.0%    -96.7 100.0% __libc_start_call_main',
        '   -96.7 100.0% 100.0%    -96.7 100.0% malloc_usable_size',
        '',
      ].join('\n'),
    );
  });
});

describe('renderTotalLine', () => {
  it("prints 'Total: <value> <units>'", () => {
    expect(renderTotalLine(11013120, MB)).toBe('Total: 10.5 MB\n');
    expect(renderTotalLine(2000000, OBJECTS)).toBe('Total: 2000000 objects\n');
  });

  it("names the thread: 'Total (t1): 1.1 MB' (reference §9)", () => {
    // 1146880/1048576 = 1.09375 -> 1.1
    expect(renderTotalLine(1146880, MB, '1')).toBe('Total (t1): 1.1 MB\n');
  });

  it('prints nothing when the total is exactly 0', () => {
    expect(renderTotalLine(0, MB)).toBe('');
    expect(renderTotalLine(0, MB, '3')).toBe('');
  });
});

describe('flatTotal', () => {
  it('sums the flat map only', () => {
    expect(flatTotal(SEED)).toBe(16000000 + 81920);
  });
});
