// The pipeline: load (parse, sum, --base, symbolize) -> filter -> graph -> report (jeprof's main).
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyze, type Analysis } from '../graph/analyze.js';
import { disambiguationMap, type Granularity, type TranslateContext } from '../graph/granularity.js';
import { stacksOf, type Stack } from '../graph/stacks.js';
import { UsageError } from '../model/errors.js';
import type { LocationTable } from '../model/locations.js';
import { sampleTypeIndex, THREAD_LABEL, type Location } from '../model/profile.js';
import type { DotOptions } from '../report/dot.js';
import { reporters, type FormatName, type ReportInput } from '../report/index.js';
import { renderRaw } from '../report/raw.js';
import { disasmRoutines } from '../report/disasm.js';
import { listRoutines } from '../report/list.js';
import { createRoutineContext, perlLines, type SourceText } from '../report/routines.js';
import type { UnitOptions } from '../report/units.js';
import { renderGraph, type GraphFormat } from './graphviz.js';
import type { CliIO } from './io.js';
import { loadRun, type LoadedRun, type RunDeps } from './load.js';
import type { RunOptions } from './options.js';
import { writeFileAtomic } from './output.js';
import { runInteractive } from './interactive.js';
import { runSymbolsMode } from './symbols-mode.js';
import { launchViewer } from './viewer.js';
import { phaseDone, startPhases } from './phases.js';

export type { RunDeps } from './load.js';

/** Perl's numeric value of a string: its leading number, else 0 ("1.0" == 1, "foo" == 0). */
function perlNumber(s: string): number {
  const m = /^\s*([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?))/.exec(s);
  return m ? Number(m[1]) : 0;
}

const GRAPH_FORMATS: Partial<Record<RunOptions['mode'], GraphFormat>> = { svg: 'svg', pdf: 'pdf', ps: 'ps', gif: 'gif', web: 'svg', gv: 'ps', evince: 'pdf' };

/** What every report of a run shares: units, names, renames, and the stacks to report on. */
export interface Session {
  o: RunOptions;
  run: LoadedRun;
  units: UnitOptions;
  sampleIndex: number;
  renames: Map<string, string>;
  runIds: Map<string, number>;
  display: (key: string) => string;
  /** The report(s) to make: the whole profile, or the selected threads of the first profile. */
  targets: { stacks: Stack[]; thread?: string }[];
}

export function openSession(o: RunOptions, run: LoadedRun): Session {
  const sampleIndex = sampleTypeIndex(run.main, o.sampleType);
  const targets: Session['targets'] = [];
  if (o.thread === undefined) {
    targets.push({ stacks: stacksOf(run.main, sampleIndex) });
  } else {
    // jeprof's per-thread reports use the first profile's rows only, without --base or other profiles.
    const threads = [...new Set(run.first.profile.samples.map((s) => s.labels.get(THREAD_LABEL)).filter((t): t is string => t !== undefined))];
    threads.sort((a, b) => Number(a) - Number(b));
    for (const t of threads) {
      if (o.thread === '*' || perlNumber(o.thread) === Number(t)) targets.push({ stacks: stacksOf(run.first.profile, sampleIndex, t), thread: t });
    }
  }
  return {
    o,
    run,
    units: { kind: o.sampleType.endsWith('objects') ? 'objects' : 'bytes', showBytes: o.showBytes },
    sampleIndex,
    renames: disambiguationMap(run.table.all),
    runIds: new Map(),
    display: displayKey(run.table),
    targets,
  };
}

export function translateContext(s: Session, granularity: Granularity | 'address-only'): TranslateContext {
  return { granularity, renames: s.renames, runIds: s.runIds };
}

export function dotOptions(s: Session, mode: RunOptions['mode']): DotOptions {
  return {
    program: s.run.programName,
    nodeCount: s.o.nodeCount,
    nodeFraction: s.o.nodeFraction,
    edgeFraction: s.o.edgeFraction,
    maxDegree: s.o.maxDegree,
    heapcheck: s.o.heapcheck,
    svgWidths: mode === 'svg' || mode === 'web',
    pageSize: mode === 'pdf',
  };
}

export function reportInput(s: Session, analysis: Analysis, thread: string | undefined, translate: TranslateContext, sortByCum: boolean, mode: RunOptions['mode']): ReportInput {
  return { analysis, thread, units: s.units, sortByCum, display: s.display, translate, dot: dotOptions(s, mode) };
}

export async function runReport(o: RunOptions, io: CliIO, deps: RunDeps = {}): Promise<number> {
  if (o.mode === 'symbols') return runSymbolsMode(o, io, deps);
  startPhases(io.env);
  const run = await loadRun(o, io, deps);
  const session = openSession(o, run);
  phaseDone('session', io.stderr);
  if (o.mode === 'interactive') return runInteractive(session, io);
  if (o.mode === 'raw') {
    if (run.files.length > 1 || o.base) throw new UsageError('--raw writes one profile: give one profile file and no --base');
    return emit(o, io, renderRaw(run.programName, run.table.all, run.first.kind, readFileSync(run.firstPath, 'utf8')));
  }
  if (o.mode === 'list' || o.mode === 'disasm') return emit(o, io, await routineReports(session, o.mode, io));

  const graph = GRAPH_FORMATS[o.mode];
  const format = (graph ? 'dot' : o.mode) as FormatName;
  const outputs: string[] = [];
  for (const t of session.targets) {
    const translate = translateContext(session, o.granularity);
    const analysis = analyze(t.stacks, { ...translate, focus: o.focus, ignore: o.ignore, retain: o.retain, exclude: o.exclude });
    phaseDone('analyze', io.stderr);
    const r = reporters[format](reportInput(session, analysis, t.thread, translate, o.cum, o.mode));
    phaseDone('report', io.stderr);
    for (const line of r.stderr) io.stderr(line + '\n');
    outputs.push(r.stdout);
  }
  if (!graph) return emit(o, io, outputs.join(''));
  const rendered = Buffer.concat(await Promise.all(outputs.map((g) => renderGraph(g, graph))));
  if (o.mode === 'web' || o.mode === 'gv' || o.mode === 'evince') {
    // jeprof opens a viewer on a temp file; we write the file, say where, and open a viewer if one is set.
    const path = o.output ?? join(io.env.JEPROF_TMPDIR ?? tmpdir(), `jeprof-ts.${process.pid}.${graph}`);
    writeFileAtomic(path, io.cwd, rendered);
    io.stderr(`Wrote ${path}\n`);
    await launchViewer(o.mode, path, io);
    return 0;
  }
  return emit(o, io, rendered);
}

// --- --list / --disasm ---------------------------------------------------------------------------

/** Each target's report on the routines matching the regexp; keys are bare addresses whatever the granularity flag. */
async function routineReports(s: Session, mode: 'list' | 'disasm', io: CliIO): Promise<string> {
  const tool = s.run.tool;
  if (!tool) {
    if (mode === 'disasm') throw new UsageError('--disasm cannot be used without a binary');
    return '';
  }
  const seen = tool.problems.length;
  const ctx = routineContext(s, io)!;
  let out = '';
  try {
    for (const t of s.targets) {
      const analysis = analyze(t.stacks, { ...translateContext(s, 'address-only'), focus: s.o.focus, ignore: s.o.ignore, retain: s.o.retain, exclude: s.o.exclude });
      const r = await (mode === 'list' ? listRoutines : disasmRoutines)(ctx, s.o.routineRegexp!, analysis.flatCum);
      for (const line of r.stderr) io.stderr(line + '\n');
      out += r.stdout;
    }
  } finally {
    ctx.close();
  }
  if (s.o.warnings) for (const p of tool.problems.slice(seen)) io.stderr(`jeprof-ts: warning: ${p}\n`);
  return out;
}

/** What --list/--disasm (and the shell's list/disasm) read routines and sources through; undefined for symbolized profiles. */
export function routineContext(s: Session, io: CliIO): ReturnType<typeof createRoutineContext> | undefined {
  const tool = s.run.tool;
  if (!tool) return undefined;
  return createRoutineContext({ libraries: s.run.libraries, tool, units: s.units, readSource: (p) => readSourceFile(p, io.cwd) });
}

const STRERROR: Record<string, string> = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', ENOTDIR: 'Not a directory', ELOOP: 'Too many levels of symbolic links', ENAMETOOLONG: 'File name too long' };

/** A source file as jeprof's `open(FILE, "<$f")` sees it: name trimmed, relative to the cwd; a directory reads as empty. */
function readSourceFile(name: string, cwd: string): SourceText {
  const path = name.trim();
  if (path === '') return { error: STRERROR.ENOENT };
  try {
    return { lines: perlLines(readFileSync(resolve(cwd, path), 'utf8')) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    return code === 'EISDIR' ? { lines: [] } : { error: STRERROR[code] ?? (e as Error).message };
  }
}
// --- end --list / --disasm -----------------------------------------------------------------------

function emit(o: RunOptions, io: CliIO, data: string | Uint8Array): number {
  if (o.output) writeFileAtomic(o.output, io.cwd, data);
  else io.stdout(data);
  return 0;
}

/** A key that is a bare 16-hex address of a named PC prints as `name file:line` (jeprof's PrintText). */
function displayKey(table: LocationTable): (key: string) => string {
  return (key) => {
    if (key.length !== 16 || !/^[0-9a-f]{16}$/.test(key)) return key;
    const loc: Location | undefined = table.find(BigInt('0x' + key));
    if (!loc || loc.lines.length === 0) return key;
    return `${loc.lines[0].func.name} ${loc.lines[0].fileLine}`;
  };
}
