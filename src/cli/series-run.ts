// Reads a series of dumps once, names every PC once across all of them, and computes each dump's
// rows as jeprof's report of that dump alone would (its own renames, Run# numbering and total),
// with the allocator's frames trimmed when asked: what trend and check work from.
import { analyze } from '../graph/analyze.js';
import type { FlatCum } from '../graph/build.js';
import { KeyNumbering, SeriesRenames } from '../graph/granularity.js';
import { seriesRows, trendOf, type SeriesRow } from '../graph/series.js';
import { stacksOf } from '../graph/stacks.js';
import { ReductionCache } from '../graph/trim-reduce.js';
import { sampleTypeIndex } from '../model/profile.js';
import type { TrendReport } from '../report/trend.js';
import type { CommandEnv } from './commands/types.js';
import { loadRun, type LoadedRun } from './load.js';
import { allocatorTrimmer, analyzing } from './pipeline.js';
import type { RunOptions } from './options.js';
import { phaseDone, startPhases } from './phases.js';
import { dumpName } from './series-files.js';

export interface SeriesAnalysis {
  report: TrendReport;
  run: LoadedRun;
  /** Each dump's flat/cum, in the series' order. */
  perDump: FlatCum[];
}

export async function analyzeSeries(o: RunOptions & { trimAllocator: boolean }, env: CommandEnv): Promise<SeriesAnalysis> {
  startPhases(env.io.env, env.io.stderr);
  const run = await loadRun({ ...o, perDump: true }, env.io, env.deps);
  return seriesOfRun(run, o, env);
}

/** The series analysis of a run already loaded (each of run.files a dump of the series, in order). */
export function seriesOfRun(run: LoadedRun, o: RunOptions & { trimAllocator: boolean }, env: CommandEnv): SeriesAnalysis {
  const sampleIndex = sampleTypeIndex(run.main, o.sampleType);
  const trimmer = o.trimAllocator ? allocatorTrimmer(run, o, env.io) : undefined;
  const perDump: FlatCum[] = [];
  const totals: number[] = [];
  // Dumps of one process mostly have the same renames: their PC translations are then made once.
  // Their stacks are mostly the same too (one table for the run, see RunStacks): each is trimmed
  // and its path made once under those renames (ReductionCache).
  let shared: { renames: Map<string, string>; numbering: KeyNumbering; cache: ReductionCache } | undefined;
  const renamesOf = new SeriesRenames();
  for (const f of run.files) {
    const stacks = stacksOf(f.profile, sampleIndex);
    // Each dump as jeprof reports it alone: its own name@addr renames and Run# numbering.
    const renames = renamesOf.renamesOf(f.profile.locations);
    if (!shared || (shared.renames !== renames && !sameEntries(shared.renames, renames))) shared = { renames, numbering: new KeyNumbering(), cache: new ReductionCache() };
    // A lone dump's stacks are each met once: keeping their trims and paths for dumps to come
    // would be work for nothing (the 250 MB dump's analysis: 1.0 s with the cache, 0.6 without).
    const cache = run.files.length > 1 ? shared.cache : undefined;
    const a = analyzing(stacks.length, env.io, () => {
      const a = analyze(stacks, { granularity: o.granularity, renames, runIds: new Map(), numbering: shared!.numbering, cache, trimmer, focus: o.focus, ignore: o.ignore, retain: o.retain, exclude: o.exclude });
      // The sums are made when first read (see trimAndReduce): read inside, they are the work.
      void a.flatCum;
      return a;
    });
    perDump.push(a.flatCum);
    totals.push(a.total);
  }
  phaseDone('analyze', env.io.stderr);
  const total: SeriesRow = { key: 'Total', values: totals, ...trendOf(totals) };
  const report: TrendReport = {
    sampleType: o.sampleType,
    unit: o.sampleType.endsWith('objects') ? 'objects' : 'bytes',
    cum: o.cum,
    profiles: run.files.map((f, i) => ({ file: f.file, ...pidSeq(f.file), total: totals[i] })),
    total,
    rows: seriesRows(perDump, o.cum),
  };
  return { report, run, perDump };
}

function pidSeq(file: string): { pid?: number; seq?: number } {
  const n = dumpName(file);
  return n ? { pid: n.pid, seq: n.seq } : {};
}

function sameEntries(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
