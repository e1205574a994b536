// Tests parseNmOutput and lookupNm (src/symbolize/nm-output.ts): jeprof's nm procedure table, reference §5.3.
import { describe, expect, it } from 'vitest';
import { lookupNm, parseNmOutput, unknownPcName } from '../../src/symbolize/nm-output.js';

// Shaped like `nm -n --demangle` of a small PIE C program, with a few same-address groups added.
const NM = [
  '                 w __cxa_finalize@GLIBC_2.2.5',
  '                 U free@GLIBC_2.2.5',
  '                 w __gmon_start__',
  '                 U malloc@GLIBC_2.2.5',
  '000000000000038c r __abi_tag',
  '0000000000001000 T _init',
  '0000000000001050 T _start',
  '0000000000001080 t deregister_tm_clones',
  '0000000000001189 T alloc_big',
  '0000000000001189 W alloc_big_alias',
  '00000000000011c2 T rec',
  '00000000000011c2 t rec_local',
  '00000000000011c2 W rec_weak',
  '0000000000001240 W weak_first',
  '0000000000001240 T strong_second',
  '00000000000012b7 T main',
  '0000000000001300 T _fini',
  '0000000000004000 D __data_start',
  '0000000000004000 W data_start',
  '',
].join('\n');

describe('parseNmOutput', () => {
  const table = parseNmOutput(NM);

  it('tags names with their nm address, keeps the first of a group unless a later one is t/T (untagged)', () => {
    expect(table.symbols.map((s) => s.fullName)).toEqual([
      '__abi_tag<000000000000038c>',
      '_init<0000000000001000>',
      '_start<0000000000001050>',
      'deregister_tm_clones<0000000000001080>',
      'alloc_big<0000000000001189>', // the W alias after it is ignored
      'rec_local', // t after T at 0x11c2 replaces it, without a tag; the later W is ignored
      'strong_second', // T after W at 0x1240 replaces it, without a tag
      'main<00000000000012b7>',
      '_fini<0000000000001300>',
      '__data_start<0000000000004000>', // D, then W: first kept
    ]);
  });

  it('gives each symbol the range up to the next kept symbol, and the last an empty range', () => {
    expect(table.symbols.map((s) => [s.start, s.end])).toEqual([
      [0x38cn, 0x1000n],
      [0x1000n, 0x1050n],
      [0x1050n, 0x1080n],
      [0x1080n, 0x1189n],
      [0x1189n, 0x11c2n],
      [0x11c2n, 0x1240n],
      [0x1240n, 0x12b7n],
      [0x12b7n, 0x1300n],
      [0x1300n, 0x4000n],
      [0x4000n, 0x4000n],
    ]);
  });

  it('gives short names without the tags', () => {
    expect(table.symbols.find((s) => s.start === 0x12b7n)?.shortName).toBe('main');
    expect(table.symbols.find((s) => s.start === 0x11c2n)?.shortName).toBe('rec_local');
  });

  it("takes the separator address from '_fini'", () => {
    expect(table.sepAddress).toBe(0x1300n);
  });

  it('has no separator without _fini', () => {
    expect(parseNmOutput('0000000000001000 T a\n0000000000001010 T b\n').sepAddress).toBeUndefined();
  });

  it('keeps only routines whose tagged name matches the filter', () => {
    // Reference §7.6: the regex sees `main<00000000000012b7>`, so ^main$ matches nothing.
    expect(parseNmOutput(NM, /^main$/).symbols).toEqual([]);
    const only = parseNmOutput(NM, /^main</);
    expect(only.symbols).toEqual([{ fullName: 'main<00000000000012b7>', shortName: 'main', start: 0x12b7n, end: 0x1300n }]);
  });

  it('reads demangled names with spaces, and CRLF output', () => {
    const t = parseNmOutput('0000000000001189 T foo(int)\r\n00000000000011a0 T operator new(unsigned long)\r\n00000000000011c0 T bar\r\n');
    expect(t.symbols.map((s) => [s.fullName, s.shortName])).toEqual([
      ['foo(int)<0000000000001189>', 'foo'],
      ['operator new(unsigned long)<00000000000011a0>', 'operator new'],
      ['bar<00000000000011c0>', 'bar'],
    ]);
  });

  it('returns no symbols for empty output', () => {
    expect(parseNmOutput('')).toEqual({ symbols: [], sepAddress: undefined });
  });
});

describe('lookupNm', () => {
  const table = parseNmOutput(NM);

  it('names PCs by the symbol whose range holds them', () => {
    const r = lookupNm(table, [0x1190n, 0x11c2n, 0x12b7n, 0x12ffn], 0n);
    expect(r.get(0x1190n)).toEqual({ short: 'alloc_big', full: 'alloc_big<0000000000001189>' });
    expect(r.get(0x11c2n)).toEqual({ short: 'rec_local', full: 'rec_local' });
    expect(r.get(0x12b7n)).toEqual({ short: 'main', full: 'main<00000000000012b7>' });
    expect(r.get(0x12ffn)).toEqual({ short: 'main', full: 'main<00000000000012b7>' });
  });

  it('gives a PC below the first symbol the first symbol (no lower bound check; reference 0x12 -> __abi_tag)', () => {
    expect(lookupNm(table, [0x12n], 0n).get(0x12n)).toEqual({ short: '__abi_tag', full: '__abi_tag<000000000000038c>' });
  });

  it('names a PC at or past the last range 0x<16 hex digits of the PC>', () => {
    const r = lookupNm(table, [0x4000n, 0x5000n], 0n);
    expect(r.get(0x4000n)).toEqual({ short: '0x0000000000004000', full: '0x0000000000004000' });
    expect(r.get(0x5000n)).toEqual({ short: '0x0000000000005000', full: '0x0000000000005000' });
  });

  it('subtracts the bias before the lookup but names unknown PCs by their runtime address', () => {
    const bias = 0x555500000000n;
    const r = lookupNm(table, [bias + 0x12b8n, bias + 0x1189n, bias + 0x5000n], bias);
    expect(r.get(bias + 0x12b8n)?.short).toBe('main');
    expect(r.get(bias + 0x1189n)?.short).toBe('alloc_big');
    expect(r.get(bias + 0x5000n)).toEqual({ short: '0x0000555500005000', full: '0x0000555500005000' });
  });

  it('answers PCs given in any order', () => {
    const r = lookupNm(table, [0x12b8n, 0x1051n, 0x1190n], 0n);
    expect([...r.keys()].sort()).toEqual([0x1051n, 0x1190n, 0x12b8n].sort());
    expect(r.get(0x1051n)?.short).toBe('_start');
  });

  it('returns nothing for an empty table', () => {
    expect(lookupNm({ symbols: [] }, [0x10n], 0n).size).toBe(0);
  });

  it('unknownPcName pads to 16 hex digits', () => {
    expect(unknownPcName(0x55ac4ad971a0n)).toBe('0x000055ac4ad971a0');
  });
});
