// The real nm and addr2line on a tiny checked-in binary (fixtures/bin/tiny, see fixtures/README.md).
import { mkdtempSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Binutils } from '../../src/symbolize/binutils.js';
import { operandPath, resolveTools } from '../../src/symbolize/binutils-run.js';
import { mapToSymbols, symbolsAt } from '../../src/symbolize/symbolizer.js';
import { parseAddr2LineOutput } from '../../src/symbolize/addr2line-output.js';

const TINY = new URL('../../fixtures/bin/tiny', import.meta.url).pathname;

function haveBinutils(): boolean {
  try {
    execFileSync('addr2line', ['--version'], { stdio: 'ignore' });
    execFileSync('nm', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Binutils that notes the name of each tool it runs. */
function recordingTools(): { tools: Binutils; ran: string[] } {
  const ran: string[] = [];
  class Recording extends Binutils {
    override run(...args: Parameters<Binutils['run']>) {
      ran.push(args[0]);
      return super.run(...args);
    }
  }
  return { tools: new Recording(resolveTools('')), ran };
}

describe('binutils (real nm and addr2line)', () => {
  it('finds binutils on this machine (install them: apt-get install binutils)', () => {
    expect(haveBinutils(), 'nm/addr2line are missing: these tests need GNU binutils').toBe(true);
  });

  it('lists tiny\'s functions with nm-tagged names and ranges up to the next symbol', async () => {
    const tools = new Binutils(resolveTools(''));
    const table = await tools.open(TINY).symbols();
    const middle = table.symbols.find((s) => s.fullName === 'middle<0000000000401126>');
    expect(middle).toMatchObject({ shortName: 'middle', start: 0x401126n, end: 0x401137n });
    // _fini marks the end of each address's answer when addr2line runs with -i.
    expect(table.sepAddress).toBe(0x4011acn);
  });

  it('names an address inside an inlined call: outer function first, inlined callee after', async () => {
    const tools = new Binutils(resolveTools(''));
    const file = tools.open(TINY);
    // 0x40112d is `call malloc` in middle(), where inner() was inlined (tiny.c lines 4 and 6).
    const triples = (await mapToSymbols(file, 0n, [0x40112dn])).get(0x40112dn);
    expect(triples?.map((t) => t.short)).toEqual(['middle', 'inner']);
    // nm's tagged name replaces addr2line's for middle (it starts with "middle"), not for inner.
    expect(triples?.map((t) => t.full)).toEqual(['middle<0000000000401126>', 'inner']);
    expect(triples?.[0].fileLine).toMatch(/tiny\.c:6$/);
    expect(triples?.[1].fileLine).toMatch(/tiny\.c:4$/);
  });

  it('reads -i answers exactly as jeprof does with _fini after every address, asking for _fini once', async () => {
    const tools = new Binutils(resolveTools(''));
    const sep = 0x4011acn;
    // Every byte of tiny's code, _fini itself included (its answer is where jeprof's split happens).
    const addrs = Array.from({ length: 0x4011b0 - 0x401000 }, (_, i) => 0x401000n + BigInt(i));
    const ours = await tools.open(TINY).sourceLines(addrs, sep);
    // jeprof's way: the address, then _fini, for each address; split where _fini shows up.
    const hex = (a: bigint) => a.toString(16).padStart(16, '0');
    const input = addrs.map((a) => `${hex(a)}\n${hex(sep)}\n`).join('');
    const text = execFileSync('addr2line', ['-f', '-C', '-e', TINY, '-i'], { input, encoding: 'utf8' });
    expect(ours).toEqual(parseAddr2LineOutput(text, addrs.length, true));
    expect(ours!.filter((f) => f.length > 1).length, 'some answers have inlined frames').toBeGreaterThan(0);
  });

  it('names a PC past the last symbol 0x<pc>, as jeprof does for a wrong binary', async () => {
    const tools = new Binutils(resolveTools(''));
    const triples = (await mapToSymbols(tools.open(TINY), 0n, [0x7fff0000n])).get(0x7fff0000n);
    expect(triples?.[0].short).toBe('0x000000007fff0000');
  });

  it('never lets a file name be read as an option', async () => {
    expect(operandPath('--plugin=evil.so')).toBe('./--plugin=evil.so');
    expect(operandPath('/abs/x.so')).toBe('/abs/x.so');
    const dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const marker = join(dir, 'ran');
    // If nm took this as --plugin it would try to load it; as a file operand it is just a bad file.
    writeFileSync(join(dir, '--plugin=x.so'), `#!/bin/sh\ntouch ${marker}\n`);
    copyFileSync(TINY, join(dir, 'tiny-copy'));
    const tools = new Binutils(resolveTools(''));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const table = await tools.open('--plugin=x.so').symbols();
      expect(table.symbols).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
    expect(() => execFileSync('test', ['-e', marker])).toThrow();
  });

  it('reports a missing tool instead of crashing', async () => {
    const tools = new Binutils({ nm: 'nm', addr2line: '/nonexistent/addr2line', objdump: 'objdump', 'c++filt': 'c++filt' });
    // The symbol table is read in-process, so only addr2line is missed: names without lines.
    const triples = await mapToSymbols(tools.open(TINY), 0n, [0x40112dn]);
    expect(triples.get(0x40112dn)).toEqual([{ short: 'middle', fileLine: '?', full: 'middle<0000000000401126>' }]);
    expect(tools.problems.join('\n')).toMatch(/addr2line \(\/nonexistent\/addr2line\): not found/);
    // A file the reader leaves to nm (here: marked relocatable) needs nm itself; so does any file
    // once nm is named by --tools (it runs, as in jeprof).
    const noNm = new Binutils({ nm: '/nonexistent/nm', addr2line: 'addr2line', objdump: 'objdump', 'c++filt': 'c++filt' });
    expect((await mapToSymbols(noNm.open(TINY), 0n, [0x40112dn])).get(0x40112dn)?.[0].fileLine).toMatch(/\.c:\d+$/);
    const dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const rel = readFileSync(TINY);
    rel.writeUInt16LE(1, 0x10);
    writeFileSync(join(dir, 'tiny.o'), rel);
    expect((await mapToSymbols(noNm.open(join(dir, 'tiny.o')), 0n, [0x40112dn])).get(0x40112dn)?.[0].fileLine).toMatch(/\.c:\d+$/);
    expect(noNm.problems.join('\n')).toMatch(/nm \(\/nonexistent\/nm\): not found/);
  });

  it('runs no nm for the default table, and c++filt only for mangled names', async () => {
    const { tools, ran } = recordingTools();
    const triples = await mapToSymbols(tools.open(TINY), 0n, [0x40112dn]);
    expect(triples.get(0x40112dn)?.[0].short).toBe('middle');
    expect(ran).toEqual(['addr2line']);
  });

  it('demangles the names all files ask for in one turn with one c++filt run', async () => {
    const { tools, ran } = recordingTools();
    const [a, b, odd] = await Promise.all([
      tools.demangle(['_ZL8registryv', '_Znwm']),
      tools.demangle(['_Znwm', '_ZdlPv']),
      // A name c++filt would read as two words fails alone, not the batch.
      tools.demangle(['_Z1f v']),
    ]);
    expect(ran).toEqual(['c++filt']);
    expect([...a!]).toEqual([['_ZL8registryv', 'registry()'], ['_Znwm', 'operator new(unsigned long)']]);
    expect(b!.get('_ZdlPv')).toBe('operator delete(void*)');
    expect(b!.get('_Znwm')).toBe('operator new(unsigned long)');
    expect(odd).toBeUndefined();
    // Asked in a later turn: a run of its own.
    expect((await tools.demangle(['_ZdlPv']))!.get('_ZdlPv')).toBe('operator delete(void*)');
    expect(ran).toEqual(['c++filt', 'c++filt']);
  });

  it('answers by position for PCs given in any order, repeats included', async () => {
    const tools = new Binutils(resolveTools(''));
    // 0x40112d: middle() with inner() inlined; 0x401126: middle's first byte; 0x7fff0000: past
    // every symbol, named by its address.
    const pcs = [0x40112dn, 0x7fff0000n, 0x401126n, 0x40112dn];
    const at = await symbolsAt(tools.open(TINY), 0n, pcs);
    const byPc = await mapToSymbols(tools.open(TINY), 0n, [...pcs].sort((a, b) => (a < b ? -1 : 1)));
    expect(at).toHaveLength(4);
    expect(at[0]?.map((t) => t.short)).toEqual(['middle', 'inner']);
    expect(at[1]?.[0].short).toBe('0x000000007fff0000');
    expect(at[2]?.[0].short).toBe('middle');
    expect(at[3]).toEqual(at[0]);
    expect(at.map((t, i) => t ?? byPc.get(pcs[i]))).toEqual(pcs.map((pc) => byPc.get(pc)));
  });

  it('resolves --tools prefixes and tool:path entries like jeprof', () => {
    expect(resolveTools('nm:/opt/x/nm,/usr/bin/').nm).toBe('/opt/x/nm');
    expect(resolveTools('/usr/bin/').addr2line).toBe('/usr/bin/addr2line');
    expect(() => resolveTools('/nonexistent/')).toThrow(/No 'nm' found with prefix specified by --tools/);
  });
});
