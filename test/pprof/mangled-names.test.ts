// mangledNames on a hand-made symbol table: which raw name a tagged demangled name came from.
import { describe, expect, it } from 'vitest';
import type { Func, Location } from '../../src/model/profile.js';
import { mangledNames } from '../../src/pprof/mangled-names.js';
import type { NmLine } from '../../src/symbolize/nm-output.js';

const func = (systemName: string): Func => ({ id: 1, name: '', systemName, filename: '' });
const loc = (f: Func, id = 1): Location => ({ id, address: 0n, lines: [{ func: f, line: 0, fileLine: '??:0' }] });
const A = '0000000000001189';
const B = '00000000000011a0';

describe('mangledNames', () => {
  it('finds the symbol at the tag address, preferring the mangled one for a C++ name', () => {
    const cxx = func(`foo(int)<${A}>`);
    const c = func(`bar<${B}>`);
    const unused: NmLine = { addr: B, type: 't', name: 'bar_in_table' };
    const inline = func('baz(long)');
    const table: NmLine[] = [
      { addr: A, type: 'T', name: 'foo_alias' },
      { addr: A, type: 'T', name: '_Z3fooi' },
      unused,
    ];
    const reads: string[] = [];
    const names = mangledNames([loc(cxx, 1), loc(c, 2), loc(inline, 3)], () => '/lib/x.so', (path, dynamic) => {
      reads.push(`${path} ${dynamic}`);
      return dynamic ? undefined : table;
    });
    expect(names(cxx)).toBe('_Z3fooi');
    // A C name is its own linker name: no table is read for it.
    expect(names(c)).toBe('bar');
    // No tag: named by addr2line, whose demangled name cannot be traced back.
    expect(names(inline)).toBeUndefined();
    // One read of the file's table, the dynamic one not needed.
    expect(reads).toEqual(['/lib/x.so false']);
  });

  it("falls back to the dynamic table as jeprof falls back to nm -D, and knows nothing of files it cannot read", () => {
    const f = func(`std::foo()@@GLIBCXX_3.4<${A}>`);
    const g = func(`gone()<${A}>`);
    const names = mangledNames([loc(f, 1), loc(g, 2)], (l) => (l.id === 1 ? '/lib/stdc++.so' : '/missing'), (path, dynamic) =>
      path === '/lib/stdc++.so' && dynamic ? [{ addr: A, type: 'T', name: '_ZSt3foov@@GLIBCXX_3.4' }] : undefined,
    );
    expect(names(f)).toBe('_ZSt3foov@@GLIBCXX_3.4');
    expect(names(g)).toBeUndefined();
  });
});
