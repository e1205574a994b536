// The pipeline: load (parse, sum, --base, symbolize) -> filter -> graph -> report (jeprof's main).
import { readFileSync } from 'node:fs';
import { analyze, type Analysis } from '../graph/analyze.js';
import { disambiguationMap, type Granularity, type TranslateContext } from '../graph/granularity.js';
import { stacksOf, type Stack } from '../graph/stacks.js';
import { UsageError } from '../model/errors.js';
import type { LocationTable } from '../model/locations.js';
import { sampleTypeIndex, THREAD_LABEL, type Location } from '../model/profile.js';
import type { DotOptions } from '../report/dot.js';
import { reporters, type FormatName, type ReportInput } from '../report/index.js';
import type { UnitOptions } from '../report/units.js';
import type { GraphFormat } from './graphviz.js';
import type { CliIO } from './io.js';
import { loadRun, type LoadedRun, type RunDeps } from './load.js';
import type { RunOptions } from './options.js';
import { emit } from './output.js';
import { phaseDone, startPhases } from './phases.js';

export type { RunDeps } from './load.js';

/** Perl's numeric value of a string: its leading number, else 0 ("1.0" == 1, "foo" == 0). */
function perlNumber(s: string): number {
  const m = /^\s*([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?))/.exec(s);
  return m ? Number(m[1]) : 0;
}

/**
 * The code only some modes use, loaded when such a mode runs: a --text run never compiles the
 * shell, Graphviz and viewers, --list/--disasm, --raw or --symbols.
 */
const modeCode = {
  symbols: () => import('./symbols-mode.js'),
  interactive: () => import('./interactive.js'),
  raw: () => import('../report/raw.js'),
  routines: () => import('./routine-reports.js'),
  graph: () => import('./graph-output.js'),
  proto: () => import('./proto-output.js'),
};

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
  targets: { stacks: Stack[]; thread?: string; total?: number }[];
}

export function openSession(o: RunOptions, run: LoadedRun): Session {
  const sampleIndex = sampleTypeIndex(run.main, o.sampleType);
  const targets: Session['targets'] = [];
  if (o.thread === undefined) {
    targets.push({ stacks: stacksOf(run.main, sampleIndex) });
  } else {
    // jeprof's per-thread reports use the first profile's rows only, without --base or other profiles.
    const labelled = run.first.profile.samples.map((s) => s.labels.get(THREAD_LABEL));
    // A pprof export names every thread it reported on, also those --focus left no stack.
    const exported = run.totals ? [...run.totals.keys()].filter((t) => t !== '') : [];
    const threads = [...new Set([...labelled, ...exported].filter((t): t is string => t !== undefined))];
    threads.sort((a, b) => Number(a) - Number(b));
    for (const t of threads) {
      if (o.thread === '*' || perlNumber(o.thread) === Number(t)) targets.push({ stacks: stacksOf(run.first.profile, sampleIndex, t), thread: t });
    }
  }
  // A jeprof-ts pprof export knows each report's exact Total, from before its --focus/--ignore.
  if (run.totals) for (const t of targets) t.total = run.totals.get(t.thread ?? '')?.[sampleIndex];
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
  if (o.mode === 'symbols') return (await modeCode.symbols()).runSymbolsMode(o, io, deps);
  startPhases(io.env, io.stderr);
  const run = await loadRun(o, io, deps);
  const session = openSession(o, run);
  phaseDone('session', io.stderr);
  if (o.mode === 'interactive') return (await modeCode.interactive()).runInteractive(session, io);
  if (o.mode === 'raw') {
    if (run.files.length > 1 || o.base) throw new UsageError('--raw writes one profile: give one profile file and no --base');
    const { renderRaw, renderJeprofRaw, JEPROF_RAW_DEATH } = await modeCode.raw();
    if (o.wholeRaw) return emit(o.output, io, renderRaw(run.programName, run.table.all, run.first.kind, readFileSync(run.firstPath, 'utf8')));
    // jeprof prints the symbol section of a local profile, then dies (exit 2): so does --raw.
    emit(o.output, io, renderJeprofRaw(run.programName, run.table.all, run.first.kind));
    io.stderr(`${JEPROF_RAW_DEATH}\n`);
    if (o.warnings) io.stderr(`jeprof-ts: hint: \`jeprof-ts raw\` writes the whole symbolized profile, which reads back without the program\n`);
    return 2;
  }
  if (o.mode === 'proto') return (await modeCode.proto()).emitProto(session, io);
  if (o.mode === 'list' || o.mode === 'disasm') return emit(o.output, io, await (await modeCode.routines()).routineReports(session, o.mode, io));

  const graph = GRAPH_FORMATS[o.mode];
  const format = (graph ? 'dot' : o.mode) as FormatName;
  const outputs: string[] = [];
  for (const t of session.targets) {
    const translate = translateContext(session, o.granularity);
    const analysis = analyze(t.stacks, { ...translate, focus: o.focus, ignore: o.ignore, retain: o.retain, exclude: o.exclude });
    if (t.total !== undefined) analysis.total = t.total;
    phaseDone('analyze', io.stderr);
    const r = reporters[format](reportInput(session, analysis, t.thread, translate, o.cum, o.mode));
    phaseDone('report', io.stderr);
    for (const line of r.stderr) io.stderr(line + '\n');
    outputs.push(r.stdout);
  }
  if (!graph) return emit(o.output, io, outputs.join(''));
  return (await modeCode.graph()).emitGraph(o, io, outputs, graph);
}

/** A key that is a bare 16-hex address of a named PC prints as `name file:line` (jeprof's PrintText). */
function displayKey(table: LocationTable): (key: string) => string {
  return (key) => {
    if (key.length !== 16 || !/^[0-9a-fA-F]{16}$/.test(key)) return key;
    // jeprof looks the key up as text: a leaf spelled in upper case is found by its spelling.
    const loc: Location | undefined = /[A-F]/.test(key) ? table.findCased(key) : table.find(BigInt('0x' + key));
    if (!loc || loc.lines.length === 0) return key;
    return `${loc.lines[0].func.name} ${loc.lines[0].fileLine}`;
  };
}
