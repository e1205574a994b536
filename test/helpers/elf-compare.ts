// Compares the in-process ELF symbol table with what the real nm says about the same file.
import { execFileSync } from 'node:child_process';
import { Binutils } from '../../src/symbolize/binutils.js';
import { resolveTools } from '../../src/symbolize/binutils-run.js';
import { readElfSymbols } from '../../src/symbolize/elf-symbols.js';
import { lookupNm, parseNmOutput, type NmTable } from '../../src/symbolize/nm-output.js';
import { fullTable, lookupProcedures } from '../../src/symbolize/procedures.js';

export interface Comparison {
  /** `fallback`: the reader declined the file, so nm runs for it as before. */
  status: 'same' | 'differs' | 'fallback';
  detail?: string;
  symbols: number;
}

function nm(args: string[], path: string): string {
  try {
    return execFileSync('nm', [...args, '--', path], { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 2 ** 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
  } catch (e) {
    return (e as { stdout?: Buffer }).stdout?.toString('utf8') ?? '';
  }
}

/** jeprof's table from the real nm: `nm -n --demangle`, else `nm -D -n --demangle`. */
export function nmTable(path: string): NmTable {
  const t = parseNmOutput(nm(['-n', '--demangle'], path));
  return t.symbols.length > 0 ? t : parseNmOutput(nm(['-D', '-n', '--demangle'], path));
}

const show = (s: NmTable['symbols'][number] | undefined) => (s ? `${s.fullName} | ${s.shortName} | ${s.start.toString(16)}-${s.end.toString(16)}` : 'none');

/** The whole table, and the lazy lookup of every symbol's first and last byte, against nm's. */
export async function compareWithNm(path: string): Promise<Comparison> {
  if (readElfSymbols(path, false) === undefined) return { status: 'fallback', symbols: 0 };
  const theirs = nmTable(path);
  const procedures = await new Binutils(resolveTools('')).open(path).procedures();
  const ours = await fullTable(procedures);
  if (!ours) return { status: 'differs', detail: 'c++filt failed', symbols: theirs.symbols.length };
  const n = Math.max(ours.symbols.length, theirs.symbols.length);
  for (let i = 0; i < n; i++) {
    const a = ours.symbols[i];
    const b = theirs.symbols[i];
    if (show(a) !== show(b)) return { status: 'differs', detail: `symbol ${i}: ours ${show(a)}; nm ${show(b)}`, symbols: n };
  }
  if (ours.sepAddress !== theirs.sepAddress) return { status: 'differs', detail: `_fini: ours ${ours.sepAddress}, nm ${theirs.sepAddress}`, symbols: n };
  // Every symbol's bytes, then only tagged routines' (where bare names are left undemangled).
  const all = theirs.symbols.flatMap((s) => [s.start, s.end > s.start ? s.end - 1n : s.start, s.start - 1n]);
  const tagged = theirs.symbols.filter((s) => s.fullName.endsWith(`<${s.start.toString(16).padStart(16, '0')}>`)).map((s) => s.start);
  for (const pcs of [all, tagged]) {
    const named = await lookupProcedures(procedures, pcs, 0n, () => Promise.reject(new Error('c++filt failed')));
    const lazy = new Map(pcs.map((pc, i) => [pc, named[i]]));
    for (const [pc, want] of lookupNm(theirs, pcs, 0n)) {
      const got = lazy.get(pc);
      if (got?.full !== want.full || got?.short !== want.short) return { status: 'differs', detail: `lookup ${pc.toString(16)}: ours ${got?.full}; nm ${want.full}`, symbols: n };
    }
  }
  return { status: 'same', symbols: n };
}
