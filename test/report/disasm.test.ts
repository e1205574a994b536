// --disasm on a made-up program (fixtures/bin/calc.json) and on small objdump texts; every expected
// report was worked out by hand from jeprof's PrintDisassembledFunction rules.
import { describe, expect, it } from 'vitest';
import type { FlatCum } from '../../src/graph/build.js';
import { buildDisassembly, cleanDisassembly, disasmRoutines, fileHeader, renderDisassembly } from '../../src/report/disasm.js';
import { createRoutineContext, instructionCounts, parseObjdump, sampleIndex, type Routine } from '../../src/report/routines.js';
import type { Library } from '../../src/symbolize/libraries.js';
import { FakeObjTool } from '../helpers/fake-objtool.js';
import { calcSamples, sources } from '../helpers/calc.js';

const CALC: Library = { path: '/bin/calc', foundPath: '/bin/calc', start: 0n, finish: 0x4010c0n, bias: 0n };
const units = { kind: 'bytes' as const, showBytes: false };

const CALC_C = 'x\n\nstatic int helper(int n) {\n  return n * 2;\n}\n\nvoid *compute(int n) {\n  int m = helper(n);\n  return malloc(m);\n}\n';



describe('CleanDisassembly and file names', () => {
  it('drops argument lists and template arguments but keeps (%reg) operands', () => {
    expect(cleanDisassembly('call   1030 <operator new[](unsigned long)@plt>')).toBe('call   1030 <operator new[]@plt>');
    expect(cleanDisassembly('call   401000 <std::vector<int, std::allocator<int> >::push_back(int const&)>')).toBe('call   401000 <std::vector::push_back>');
    expect(cleanDisassembly('mov    %rax,0x5cfa(%rip)        # 70e8 <g_last_leak>')).toBe('mov    %rax,0x5cfa(%rip)        # 70e8 <g_last_leak>');
    expect(cleanDisassembly('call   10 <Foo::bar() const>')).toBe('call   10 <Foo::bar>');
  });

  it('strips ./ and cuts names of 58 characters or more to ... and the last 55', () => {
    expect(fileHeader('./src/a.c')).toBe('src/a.c');
    const name57 = '/' + 'd'.repeat(52) + '/a.c';
    expect(fileHeader(name57)).toBe(name57);
    expect(fileHeader(name57 + 'c')).toBe('...' + 'd'.repeat(50) + '/a.cc');
  });
});

describe('--disasm on the calc program', () => {
  it('prints each routine with samples, grouped by objdump line, source lines unindented', async () => {
    const ctx = createRoutineContext({ libraries: [CALC], tool: new FakeObjTool(), units, readSource: sources({ '/src/calc.c': CALC_C }) });
    const r = await disasmRoutines(ctx, /./, calcSamples());
    // compute: objdump's `calc.c:9 (discriminator 1)` is no location, so 0x40100e and 0x401010 stay on 8.
    // helper: an inlined header line splits line 4 in two runs; the header's source is unreadable.
    // main: no source at all; its only sample is the 4 MB cum in the call at 0x401090. Shares are of 4 MB.
    const expected = [
      'ROUTINE ====================== compute',
      '   3.0    4.0 MB (flat, cumulative) 100.0% of total',
      '-------------------- /src/calc.c',
      '     .      .     7: void *compute(int n) {',
      '     .      .      401000: push   %rbp',
      '     .      .      401001: mov    %rsp,%rbp',
      '   3.0    4.0     8: int m = helper(n);',
      '     .      .      401004: mov    %edi,%eax',
      '     .    1.0      401006: call   401040 <helper>',
      '     .      .      40100b: mov    %eax,-0x4(%rbp)',
      '     .      .      40100e: mov    %eax,%edi',
      '   3.0    3.0      401010: call   401030 <malloc@plt>',
      '     .      .    10: }',
      '     .      .      401015:  leave',
      '     .      .      401016:    ret',
      'ROUTINE ====================== helper',
      '   1.0    1.0 MB (flat, cumulative) 25.0% of total',
      '-------------------- /src/calc.c',
      '     .      .     4: return n * 2;',
      '     .      .      401040: push   %rbp',
      '-------------------- ...e/a/very/long/directory/name/that/goes/on/and/on/util.h',
      '   1.0    1.0      401041: call   401000 <std::vector::push_back>',
      '-------------------- /src/calc.c',
      '     .      .     4: return n * 2;',
      '     .      .      401056: pop    %rbp',
      '     .      .      401057:    ret',
      'ROUTINE ====================== main',
      '   0.0    4.0 MB (flat, cumulative) 100.0% of total',
      '-------------------- /src/missing.c',
      '     .      .      401080: push   %rbp',
      '     .    4.0      401090: call   401000 <compute>',
      '     .      .      401095: xor    %eax,%eax',
      '     .      .      401097:    ret',
      '',
    ].join('\n');
    expect(r.stdout).toBe(expected);
    // Each unreadable file is reported once per run, however often it is needed.
    expect(r.stderr).toEqual(['./include/a/very/long/directory/name/that/goes/on/and/on/util.h: No such file or directory', '/src/missing.c: No such file or directory']);
    const again = await disasmRoutines(ctx, /main/, calcSamples());
    expect(again.stderr).toEqual([]);
  });

  it('refuses a zero flat total, where jeprof dies dividing by it', async () => {
    const ctx = createRoutineContext({ libraries: [CALC], tool: new FakeObjTool(), units, readSource: sources({}) });
    const zero: FlatCum = { flat: new Map([['0000000000401012', 0]]), cum: new Map([['0000000000401012', 0]]) };
    await expect(disasmRoutines(ctx, /compute/, zero)).rejects.toThrow(/flat total is zero/);
  });
});

describe('buildDisassembly details', () => {
  const lib: Library = { path: '/lib/x.so', foundPath: '/lib/x.so', start: 0x7000n, finish: 0x8000n, bias: 0x1000n };
  const routine: Routine = { library: lib, fullName: 'f<0000000000000010>', shortName: 'f', start: 0x10n, end: 0x20n };

  it('relocates by the bias, prints file addresses, and gives the last instruction nothing (unrelocated end)', () => {
    const ins = parseObjdump('/a.c:2\n  10:\tnop\n  14:\tret\n', lib.bias, routine.end);
    const s = sampleIndex({ flat: new Map([['0000000000001012', 5], ['0000000000001015', 7]]), cum: new Map([['0000000000001012', 5], ['0000000000001015', 7]]) });
    const counts = instructionCounts(ins, s);
    expect(counts).toEqual({ flat: [5, 0], cum: [5, 0] });
    const { disassembly, stderr } = buildDisassembly(routine, ins, counts, 12, { readSource: sources({ '/a.c': 'one\n\t  two\n' }), sourceCache: new Map() });
    expect(stderr).toEqual([]);
    expect(renderDisassembly(disassembly, { kind: 'objects', showBytes: false })).toBe(
      ['ROUTINE ====================== f', '     5      5 objects (flat, cumulative) 41.7% of total', '-------------------- /a.c', '     5      5     2: two', '     5      5          10:    nop', '     .      .          14:    ret', ''].join('\n'),
    );
  });

  it('prints line 0 as an empty source line without a newline, as jeprof\'s 1-based array does', () => {
    const ins = parseObjdump('/a.c:0\n  10:\tnop\n', lib.bias, routine.end);
    const { disassembly } = buildDisassembly(routine, ins, { flat: [0], cum: [0] }, 1, { readSource: sources({ '/a.c': 'one\n' }), sourceCache: new Map() });
    expect(renderDisassembly(disassembly, units)).toBe('ROUTINE ====================== f\n   0.0    0.0 MB (flat, cumulative) 0.0% of total\n-------------------- /a.c\n     .      .     0:      .      .          10:    nop\n');
  });
});
