// jeprof's --list=<regexp> (PrintListing, PrintSource): the source of each matching routine with
// flat and cumulative values per line, the routine's lines between `---` markers.
//   ROUTINE ====================== leak_some in /opt/jeprof-corpus/seed-leak/main.cpp
//      0.0    0.2 Total MB (flat / cumulative)
//        .    0.2   26: static void leak_some() { g_last_leak = new char[4]; }
import type { FlatCum } from '../graph/build.js';
import type { ReportOutput } from './report-output.js';
import { padLeft } from './printf.js';
import { chop, instructionCounts, routinesToPrint, sampleIndex, type Instruction, type Routine, type RoutineContext, type SampleIndex, type SourceReader } from './routines.js';
import { unparse, units, type UnitOptions } from './units.js';

export interface ListingRow {
  line: number;
  /** Source text without its line end. */
  text: string;
  /** Values attributed to this line (bytes or objects). */
  flat: number;
  cum: number;
}

export interface RoutineListing {
  shortName: string;
  /** The source file as shown: without a leading `/proc/self/cwd/` or `./`. */
  file: string;
  flatTotal: number;
  cumTotal: number;
  /** The routine's lines, between the `---` markers. */
  firstLine: number;
  lastLine: number;
  rows: ListingRow[];
}

// Perl's \s on byte strings: ASCII whitespace only.
const INDENT = /^([ \t\n\r\f\v]*)[^ \t\n\r\f\v]/;

/** jeprof's Indentation: leading whitespace of a line with text, -1 for a blank line. */
export function indentation(line: string): number {
  const m = INDENT.exec(line);
  return m ? m[1].length : -1;
}

/** jeprof's CleanFileName. */
export function cleanFileName(f: string): string {
  return f.replace(/^\/proc\/self\/cwd\//, '').replace(/^\.\//, '');
}

/**
 * jeprof's GetTopLevelLineNumbers: an instruction's file and line become those of the outermost
 * function addr2line names (the routine itself, not a function inlined into it), when that
 * location ends in `:<digits>` (so `??:0` counts, `file.c:11 (discriminator 1)` does not).
 */
export function withTopLevelLines(instructions: readonly Instruction[], locations: readonly (string | undefined)[]): Instruction[] {
  return instructions.map((e, i) => {
    const m = locations[i] === undefined ? null : /^(.*):(\d+)$/.exec(locations[i]!);
    return m ? { ...e, file: m[1], line: Number(m[2]) } : e;
  });
}

/**
 * jeprof's PrintSource for one routine, as data. Undefined (with jeprof's stderr line) when no
 * instruction has a source line or the source file cannot be read: jeprof then skips the routine.
 */
export function buildListing(routine: Routine, instructions: readonly Instruction[], counts: { flat: number[]; cum: number[] }, readSource: SourceReader): { listing?: RoutineListing; stderr: string[] } {
  // The first file with a line number is taken to hold the routine.
  const withLine = instructions.find((e) => e.line >= 0);
  if (!withLine) return { stderr: [`no filename found in ${routine.fullName}`] };
  const filename = withLine.file;
  // Its largest line number is taken as the routine's end, its first one as the start.
  let lastLine = 0;
  for (const e of instructions) if (e.file === filename && e.line > lastLine) lastLine = e.line;
  const firstLine = instructions.find((e) => e.file === filename)?.line ?? 1;

  const source = readSource(filename);
  if ('error' in source) return { stderr: [`${filename}: ${source.error}`] };

  // The end is pushed on over the lines indented at least as deep as the first line with text at
  // or after firstLine (not at all when that one is not indented), one line past the last of them.
  const oldLastLine = lastLine;
  let firstIndent = -1;
  for (let i = 0; i < source.lines.length; i++) {
    const l = i + 1;
    const indent = indentation(source.lines[i].replace(/\r/g, ''));
    if (l >= firstLine && firstIndent < 0 && indent >= 0) {
      firstIndent = indent;
      if (firstIndent === 0) break;
    }
    if (l >= lastLine && indent >= 0) {
      if (indent >= firstIndent) lastLine = l + 1;
      else break;
    }
  }

  // Values of instructions outside [firstLine, lastLine] of the file go to the next one inside;
  // what is left at the end goes to lastLine.
  const flatAt = new Map<number, number>();
  const cumAt = new Map<number, number>();
  const add = (m: Map<number, number>, l: number, v: number) => m.set(l, (m.get(l) ?? 0) + v);
  let running1 = 0;
  let running2 = 0;
  let flatTotal = 0;
  let cumTotal = 0;
  instructions.forEach((e, i) => {
    running1 += counts.flat[i];
    running2 += counts.cum[i];
    flatTotal += counts.flat[i];
    cumTotal += counts.cum[i];
    if (e.file === filename && e.line >= firstLine && e.line <= lastLine) {
      add(flatAt, e.line, running1);
      add(cumAt, e.line, running2);
      running1 = 0;
      running2 = 0;
    }
  });
  add(flatAt, lastLine, running1);
  add(cumAt, lastLine, running2);

  const rows: ListingRow[] = [];
  source.lines.forEach((raw, i) => {
    const l = i + 1;
    if (l >= firstLine - 5 && (l <= oldLastLine + 5 || l <= lastLine)) {
      rows.push({ line: l, text: chop(raw.replace(/\r/g, '')), flat: flatAt.get(l) ?? 0, cum: cumAt.get(l) ?? 0 });
    }
  });
  return { listing: { shortName: routine.shortName, file: cleanFileName(filename), flatTotal, cumTotal, firstLine, lastLine, rows }, stderr: [] };
}

/** jeprof's UnparseAlt: zero prints as `.`. */
export function unparseAlt(v: number, u: UnitOptions): string {
  return v === 0 ? '.' : unparse(v, u);
}

export function renderListing(l: RoutineListing, u: UnitOptions): string {
  let out = `ROUTINE ====================== ${l.shortName} in ${l.file}\n`;
  out += `${padLeft(unparse(l.flatTotal, u), 6)} ${padLeft(unparse(l.cumTotal, u), 6)} Total ${units(u)} (flat / cumulative)\n`;
  for (const r of l.rows) {
    if (r.line === l.firstLine) out += '---\n';
    out += `${padLeft(unparseAlt(r.flat, u), 6)} ${padLeft(unparseAlt(r.cum, u), 6)} ${padLeft(String(r.line), 4)}: ${r.text}\n`;
    if (r.line === l.lastLine) out += '---\n';
  }
  return out;
}

/** The whole --list report for one profile (or one thread's). */
export async function listRoutines(ctx: RoutineContext, filter: RegExp, fc: FlatCum): Promise<ReportOutput> {
  const samples: SampleIndex = sampleIndex(fc);
  const todo = await routinesToPrint(ctx, filter, samples);
  const located = await Promise.all(todo.map(async (t) => withTopLevelLines(t.instructions, await ctx.topLevelLocations(t.routine, t.instructions))));
  let stdout = '';
  const stderr: string[] = [];
  todo.forEach((t, i) => {
    const r = buildListing(t.routine, located[i], instructionCounts(located[i], samples), ctx.readSource);
    stderr.push(...r.stderr);
    if (r.listing) stdout += renderListing(r.listing, ctx.units);
  });
  return { stdout, stderr };
}
