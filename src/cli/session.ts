// What every report of a run shares once its profiles are loaded: the options, the units, the
// `name@addr` renames, and the report targets (the whole profile, or jemalloc's per-thread rows).
import { disambiguationMap, type Granularity, type TranslateContext } from '../graph/granularity.js';
import { stacksOf, type Stack } from '../graph/stacks.js';
import { sampleTypeIndex, THREAD_LABEL } from '../model/profile.js';
import type { UnitOptions } from '../report/units.js';
import type { LoadedRun } from './load.js';
import type { RunOptions } from './options.js';

export interface Session {
  o: RunOptions;
  run: LoadedRun;
  units: UnitOptions;
  sampleIndex: number;
  renames: Map<string, string>;
  runIds: Map<string, number>;
  /** The report(s) to make: the whole profile, or the selected threads of the first profile. */
  targets: Target[];
}

export interface Target {
  stacks: Stack[];
  /** jemalloc's thread uid for a per-thread report (`Total (t2): ...`). */
  thread?: string;
  /** The exact Total a jeprof-ts pprof export recorded for this report (from before its --focus/--ignore). */
  total?: number;
}

/** Perl's numeric value of a string: its leading number, else 0 ("1.0" == 1, "foo" == 0). */
function perlNumber(s: string): number {
  const m = /^\s*([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?))/.exec(s);
  return m ? Number(m[1]) : 0;
}

export function openSession(o: RunOptions, run: LoadedRun): Session {
  const sampleIndex = sampleTypeIndex(run.main, o.sampleType);
  const targets: Target[] = [];
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
    targets,
  };
}

/** How frames become report keys at `granularity`, with the session's renames and Run# numbering. */
export function translateContext(s: Session, granularity: Granularity | 'address-only'): TranslateContext {
  return { granularity, renames: s.renames, runIds: s.runIds };
}
