// jeprof's --disasm=<regexp> (PrintDisassembly, PrintDisassembledFunction): each matching routine's
// instructions with flat and cumulative values, under the source line objdump gives for them.
//   ROUTINE ====================== leak_some
//      0.0    0.2 MB (flat, cumulative) 13.6% of total
//   -------------------- /opt/jeprof-corpus/seed-leak/main.cpp
//        .    0.2    26: static void leak_some() { g_last_leak = new char[4]; }
//        .    0.2        13e2: call   1030 <operator new[]@plt>
import type { FlatCum } from '../graph/build.js';
import { addressSub } from '../model/address.js';
import { JeprofError } from '../model/errors.js';
import type { ReportOutput } from './report-output.js';
import { unparseAlt } from './list.js';
import { formatFixed, padLeft } from './printf.js';
import { instructionCounts, routinesToPrint, sampleIndex, type Instruction, type Routine, type RoutineContext } from './routines.js';
import { unparse, units, type UnitOptions } from './units.js';

export interface DisasmInstruction {
  /** File address (runtime address minus the library's bias). */
  address: bigint;
  /** objdump's text with argument lists and template arguments removed. */
  text: string;
  flat: number;
  cum: number;
}

/** A run of consecutive instructions with one line number, under a source line. */
export interface DisasmGroup {
  /** Set when the file changes before this group: the name as printed. */
  fileHeader?: string;
  line: number;
  /** The source line with its leading whitespace removed and its `\n` kept; undefined when unreadable. */
  source?: string;
  flat: number;
  cum: number;
  instructions: DisasmInstruction[];
}

export interface RoutineDisassembly {
  shortName: string;
  flatTotal: number;
  cumTotal: number;
  /** cumTotal as a share of the profile's flat total, in percent. */
  percent: number;
  groups: DisasmGroup[];
}

/** jeprof's CleanDisassembly: argument lists (not `(%rax)` operands) and template arguments go. */
export function cleanDisassembly(d: string): string {
  const args = /\([^()%]*\)([ \t\n\r\f\v]*const)?/g;
  const templates = /(\w+)<[^<>]*>/g;
  for (let next = d.replace(args, ''); next !== d; next = d.replace(args, '')) d = next;
  for (let next = d.replace(templates, '$1'); next !== d; next = d.replace(templates, '$1')) d = next;
  return d;
}

/** A file name as the `--------------------` line shows it: no `./`, long ones cut to `...` + the last 55 characters. */
export function fileHeader(file: string): string {
  const f = file.replace(/^\.\//, '');
  return f.length >= 58 ? '...' + f.slice(-55) : f;
}

/**
 * jeprof's SourceLine: line `n` of a file, read once per run (an unreadable file is reported once).
 * Line 0 is the empty string, as in jeprof's 1-based array with a blank first slot.
 */
function sourceLine(ctx: Pick<RoutineContext, 'readSource' | 'sourceCache'>, file: string, n: number, stderr: string[]): string | undefined {
  let lines = ctx.sourceCache.get(file);
  if (!ctx.sourceCache.has(file)) {
    const s = ctx.readSource(file);
    if ('error' in s) {
      stderr.push(`${file}: ${s.error}`);
      ctx.sourceCache.set(file, undefined);
      return undefined;
    }
    lines = s.lines;
    ctx.sourceCache.set(file, lines);
  }
  if (!lines || n < 0 || n > lines.length) return undefined;
  return n === 0 ? '' : lines[n - 1];
}

/** jeprof's PrintDisassembledFunction for one routine, as data. `total` is the profile's flat total. */
export function buildDisassembly(
  routine: Routine,
  instructions: readonly Instruction[],
  counts: { flat: number[]; cum: number[] },
  total: number,
  ctx: Pick<RoutineContext, 'readSource' | 'sourceCache'>,
): { disassembly: RoutineDisassembly; stderr: string[] } {
  const stderr: string[] = [];
  let flatTotal = 0;
  let cumTotal = 0;
  instructions.forEach((_, i) => {
    flatTotal += counts.flat[i];
    cumTotal += counts.cum[i];
  });
  const groups: DisasmGroup[] = [];
  let currentFile = '';
  for (let i = 0; i < instructions.length; ) {
    const e = instructions[i];
    let header: string | undefined;
    if (e.file !== currentFile) {
      currentFile = e.file;
      header = fileHeader(currentFile);
    }
    // A run is the following instructions with the same line number, whatever their file.
    const group: DisasmGroup = { fileHeader: header, line: e.line, flat: 0, cum: 0, instructions: [] };
    while (i < instructions.length && instructions[i].line === e.line) {
      const x = instructions[i];
      group.flat += counts.flat[i];
      group.cum += counts.cum[i];
      group.instructions.push({ address: addressSub(x.address, routine.library.bias), text: cleanDisassembly(x.text), flat: counts.flat[i], cum: counts.cum[i] });
      i++;
    }
    const src = sourceLine(ctx, currentFile, e.line, stderr);
    if (src !== undefined) group.source = src.replace(/^[ \t\n\r\f\v]+/, '');
    groups.push(group);
  }
  return { disassembly: { shortName: routine.shortName, flatTotal, cumTotal, percent: (cumTotal * 100.0) / total, groups }, stderr };
}

export function renderDisassembly(d: RoutineDisassembly, u: UnitOptions): string {
  let out = `ROUTINE ====================== ${d.shortName}\n`;
  out += `${padLeft(unparse(d.flatTotal, u), 6)} ${padLeft(unparse(d.cumTotal, u), 6)} ${units(u)} (flat, cumulative) ${formatFixed(d.percent, 1)}% of total\n`;
  for (const g of d.groups) {
    if (g.fileHeader !== undefined) out += `-------------------- ${g.fileHeader}\n`;
    // The source line keeps its own line end (none on a last line without one, nor on line 0).
    if (g.source !== undefined) out += `${padLeft(unparseAlt(g.flat, u), 6)} ${padLeft(unparseAlt(g.cum, u), 6)} ${padLeft(String(g.line), 5)}: ${g.source}`;
    for (const x of g.instructions) {
      const addr = x.address.toString(16).replace(/^0+/, '');
      out += `${padLeft(unparseAlt(x.flat, u), 6)} ${padLeft(unparseAlt(x.cum, u), 6)}    ${padLeft(addr, 8)}: ${padLeft(x.text, 6)}\n`;
    }
  }
  return out;
}

/** The whole --disasm report for one profile (or one thread's). */
export async function disasmRoutines(ctx: RoutineContext, filter: RegExp, fc: FlatCum): Promise<ReportOutput> {
  const samples = sampleIndex(fc);
  let total = 0;
  for (const v of fc.flat.values()) total += v;
  const todo = await routinesToPrint(ctx, filter, samples);
  let stdout = '';
  const stderr: string[] = [];
  for (const t of todo) {
    // jeprof divides by the flat total here and dies when it is zero.
    if (total === 0) throw new JeprofError(`--disasm: cannot print ${t.routine.shortName}'s share of the total: the profile's flat total is zero`);
    const r = buildDisassembly(t.routine, t.instructions, instructionCounts(t.instructions, samples), total, ctx);
    stderr.push(...r.stderr);
    stdout += renderDisassembly(r.disassembly, ctx.units);
  }
  return { stdout, stderr };
}
