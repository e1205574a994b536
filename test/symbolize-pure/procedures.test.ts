// Tests lookupProcedures (src/symbolize/procedures.ts): the lazy default table names PCs exactly as
// parseNmOutput + lookupNm do on nm's demangled text, demangling only what it needs.
import { describe, expect, it } from 'vitest';
import { lookupNm, mergeRoutines, parseNmLines, parseNmOutput, type NmTable } from '../../src/symbolize/nm-output.js';
import { fullTable, lookupProcedures, type Procedures } from '../../src/symbolize/procedures.js';

/** A toy demangler: `_Zname` -> `name()`, counting its batches. */
function lazy(raw: string, calls: string[][], fail = false): Procedures {
  return {
    ...mergeRoutines(parseNmLines(raw)),
    demangle: async (names) => {
      calls.push([...names]);
      return fail ? undefined : new Map(names.map((n) => [n, n.startsWith('_Z') ? `${n.slice(2)}()` : n]));
    },
  };
}
const demangled = (raw: string) => raw.replace(/_Z(\w+)/g, '$1()');

// Two t/T aliases whose names demangle alike: jeprof's hash keeps only the later range.
const RAW = [
  '0000000000001000 T _Zfoo',
  '0000000000001000 T _Zbar',
  '0000000000001100 T _Zbaz',
  '0000000000001100 T _Zbar',
  '0000000000001200 t plain',
  '0000000000001300 T _fini',
  '0000000000001400 T _Zlast',
].join('\n');
const PCS = [0x10n, 0x1000n, 0x1050n, 0x1100n, 0x1250n, 0x1300n, 0x1400n, 0x9999n];
/** lookupNm's answers at the PCs' positions, as lookupProcedures gives them. */
const nmAt = (table: NmTable, pcs: bigint[]) => {
  const m = lookupNm(table, pcs, 0n);
  return pcs.map((pc) => m.get(pc));
};

describe('lookupProcedures', () => {
  it('names PCs as the nm text path does, clashes included, in one batch', async () => {
    const calls: string[][] = [];
    const p = lazy(RAW, calls);
    const got = await lookupProcedures(p, PCS, 0n, () => Promise.reject(new Error('no fallback expected')));
    expect(got).toEqual(nmAt(parseNmOutput(demangled(RAW)), PCS));
    // 0x1000's routine `bar()` vanished: its PCs fall to the next one, as in jeprof.
    expect(got[PCS.indexOf(0x1050n)]?.full).toBe('bar()');
    expect(calls.length).toBe(1);
    expect(p.sepAddress).toBe(0x1300n);
    expect(await fullTable(p)).toEqual(parseNmOutput(demangled(RAW)));
  });

  it('demangles only the routines hit, and the bare names only when a PC lands in one', async () => {
    const calls: string[][] = [];
    const never = () => Promise.reject(new Error('unexpected'));
    // A name that cannot be mangled is nm's already: no batch at all.
    const plain = await lookupProcedures(lazy(RAW, calls), [0x1250n], 0n, never);
    expect(calls).toEqual([]);
    expect(plain).toEqual(nmAt(parseNmOutput(demangled(RAW)), [0x1250n]));
    expect(plain[0]?.full).toBe('plain<0000000000001200>');
    const got = await lookupProcedures(lazy(RAW, calls), [0x1150n, 0x1010n], 0n, never);
    expect(calls).toEqual([['_Zbar']]);
    expect(got).toEqual(nmAt(parseNmOutput(demangled(RAW)), [0x1150n, 0x1010n]));
    expect(got.map((n) => n?.full)).toEqual(['bar()', 'bar()']);
  });

  it('takes the finished table when the demangler fails', async () => {
    const table = parseNmOutput(demangled(RAW));
    const got = await lookupProcedures(lazy(RAW, [], true), PCS, 0n, async () => table);
    expect(got).toEqual(nmAt(table, PCS));
  });
});
