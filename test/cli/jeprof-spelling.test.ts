// jeprof's unique-prefix rule is jeprof's: a prefix is resolved among jeprof 5.3's own options
// first, so options jeprof-ts adds (and will add) can never change an old command line's meaning.
import { describe, expect, it } from 'vitest';
import { normalizeJeprofArgs } from '../../src/cli/jeprof-options.js';

describe('jeprof prefixes keep their meaning', () => {
  it.each([
    ['--max=3', '--maxdegree=3'],
    ['--nodec=2', '--nodecount=2'],
    ['--nodef=0.1', '--nodefraction=0.1'],
    ['--inuse_o', '--inuse_objects'],
    ['-tex', '--text'],
    ['--dro', '--drop_negative'],
    ['--lib_p=/x', '--lib_prefix=/x'],
  ])('%s is %s', (given, want) => {
    expect(normalizeJeprofArgs([given])).toEqual([want]);
  });

  it('--nod is ambiguous, as in jeprof (it lists the --noX forms too)', () => {
    expect(() => normalizeJeprofArgs(["--nod=2"])).toThrow(/^Option nod is ambiguous/);
  });

  it("jeprof-ts's own options are found only where jeprof has no option of that prefix", () => {
    expect(normalizeJeprofArgs(['-o', 'x.txt'])).toEqual(['--output=x.txt']);
    expect(normalizeJeprofArgs(['--map=/a=/b'])).toEqual(['--map-path=/a=/b']);
    // jeprof's --debug and --debug-syms-by-id make --de ambiguous, as in jeprof; demo is not considered.
    expect(() => normalizeJeprofArgs(['--de'])).toThrow(/ambiguous \(debug, debug-syms-by-id\)/);
    expect(normalizeJeprofArgs(['--dem'])).toEqual(['--demo']);
  });
});
