// What the HTML report shows, gathered from a loaded run: top's rows, the stacks (and the base's
// apart, for the differential view), each dump's facts, why frames have no name, and the trend.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { filterStacks } from '../graph/analyze.js';
import { stacksOf, totalOf } from '../graph/stacks.js';
import { rangesOf, type StackRanges } from '../graph/flat-stacks.js';
import { KeyNumbering } from '../graph/granularity.js';
import { grownToHold } from '../model/grow.js';
import type { Location } from '../model/profile.js';
import { executableMappings } from '../parse/proc-maps.js';
import { UsageError } from '../model/errors.js';
import type { MappingRow } from '../doctor/diagnose.js';
import { isUnnamed } from '../doctor/unnamed.js';
import { printable } from '../report/printable.js';
import { displayName, topReport } from '../report/top.js';
import type { HtmlNaming, HtmlReportInput, HtmlTrend, SampleType } from '../report/html/types.js';
import type { CommandEnv } from './commands/types.js';
import { HtmlStackMaker } from './html-stacks.js';
import { rewriter } from './load.js';
import { allocatorTrimmer, analyzeTarget } from './pipeline.js';
import { seriesOfRun } from './series-run.js';
import { dumpName } from './series-files.js';
import { translateContext, type Session } from './session.js';

/** Growers the trend view lists (and draws the first of): enough to scroll, small next to the stacks. */
const TREND_ROWS = 100;

export async function htmlInput(s: Session, env: CommandEnv): Promise<HtmlReportInput> {
  const { o, run } = s;
  if (s.targets.length !== 1) throw new UsageError(`--thread=${o.thread} selects ${s.targets.length} threads: the HTML report shows one, give --thread=<id>`);
  const target = s.targets[0];
  const numbering = new KeyNumbering();
  const a = analyzeTarget(s, target, env.io, o.granularity, numbering);
  const top = topReport(a.flatCum, a.total, s.units, { sortByCum: o.cum, thread: target.thread });
  const maker = new HtmlStackMaker(translateContext(s, o.granularity), allocatorTrimmer(run, o, env.io), numbering);
  // The flame graph draws widths: with --base, the current dumps' stacks and the base's apart
  // (their difference is the diff view), not the subtracted ones, whose values may be negative.
  const withBase = run.base !== undefined && target.thread === undefined;
  const current = withBase ? stacksOf(run.summed, s.sampleIndex) : undefined;
  // Without a base they are the analysis's own stacks, read where they lie, unless --trim-allocator
  // trimmed those first (the page hides allocator frames itself, and can show them).
  const filtered = current ? rangesOf(filterStacks(current, o)) : o.trimAllocator ? rangesOf(filterStacks(target.stacks, o)) : a.stackRanges();
  const stacks = maker.make(filtered);
  const base = withBase ? { file: run.base!.file, stacks: maker.make(rangesOf(filterStacks(stacksOf(run.base!.profile, s.sampleIndex), o))) } : undefined;
  let trend: HtmlTrend | undefined;
  // A series: the dumps one by one, as `trend` shows them (allocator trimmed, each dump alone).
  if (run.files.length > 1 && !run.base && target.thread === undefined) {
    const { report } = seriesOfRun(run, { ...o, trimAllocator: true }, env);
    trend = {
      labels: report.profiles.map((p) => p.file),
      totals: report.profiles.map((p) => p.total),
      rows: report.rows.slice(0, TREND_ROWS).map((r) => ({ name: displayName(r.key, r.origin), values: r.values, first: r.first, last: r.last, growth: r.growth, slope: r.slope, steady: r.steady })),
    };
  }
  return {
    program: run.programName,
    sampleType: o.sampleType as SampleType,
    unit: s.units.kind,
    samplingRate: run.first.profile.period,
    dumps: run.files.map((f) => {
      const n = dumpName(f.file);
      return { file: f.file, pid: n?.pid, seq: n?.seq, mtime: mtimeOf(resolve(env.io.cwd, f.file)), total: totalOf(stacksOf(f.profile, s.sampleIndex, target.thread)) };
    }),
    total: top.total,
    naming: await naming(filtered, s, env),
    top: top.rows.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum })),
    stacks,
    frameNames: maker.frameNames,
    base,
    trend,
    // --nodefraction given: the user's share, as for dot; else the page's own default.
    pruneFraction: o.nodeFraction !== 0.005 ? o.nodeFraction : undefined,
  };
}

function mtimeOf(path: string): string | undefined {
  try {
    return statSync(path).mtime.toISOString();
  } catch {
    return undefined;
  }
}

/**
 * The value in stacks with a frame that has no name, and per object file why (the doctor's
 * findings, in one line): what the summary says before anyone wonders about `0x7f...` frames.
 */
async function naming(r: StackRanges, s: Session, env: CommandEnv): Promise<HtmlNaming> {
  // Most runs name every PC: then no stack needs a look.
  if (!s.run.table.all.some(isUnnamed)) return { unnamed: 0, reasons: [] };
  // A PC the symbolizer read against the program given (no mapping of its own) is named after the
  // dump's mapping that holds it, as the doctor names it: a moved or other program shows there.
  const raw = executableMappings(s.run.first.mapText);
  const fileOf = (l: Location) => l.mapping?.file ?? raw.find((m) => l.address >= m.start && l.address <= m.limit)?.path ?? '(no mapping)';
  let unnamed = 0;
  const perFile = new Map<string, number>();
  // By location id, 0 untested, 1 unnamed, 2 named: a PC recurs in thousands of stacks.
  let flags = new Uint8Array(1024);
  for (let i = 0; i < r.count; i++) {
    const value = r.values[i];
    if (!(value > 0)) continue;
    let files: Set<string> | undefined;
    for (let k = r.starts[i]; k < r.ends[i]; k++) {
      const id = r.ids[k];
      if (id >= flags.length) flags = grownToHold(flags, id);
      if (flags[id] === 0) flags[id] = isUnnamed(r.location(id)) ? 1 : 2;
      if (flags[id] === 1) (files ??= new Set()).add(fileOf(r.location(id)));
    }
    if (!files) continue;
    unnamed += value;
    for (const f of files) perFile.set(f, (perFile.get(f) ?? 0) + value);
  }
  if (unnamed === 0) return { unnamed, reasons: [] };
  // The doctor's code (with its tables) loads only when some frame has no name.
  const { diagnose } = await import('../doctor/diagnose.js');
  const rows = s.run.programPath ? diagnose(s.run, s.run.files.map((f) => f.file), rewriter(s.o.mapPaths, env.io.cwd), env.io.cwd).mappings : [];
  const reasons = [...perFile].map(([file, value]) => ({ file, value, why: whyUnnamed(rows.find((x) => x.dumpPath === file)) }));
  reasons.sort((x, y) => y.value - x.value || (x.file < y.file ? -1 : 1));
  return { unnamed, reasons };
}

function whyUnnamed(r: MappingRow | undefined): string {
  if (!r) return "see 'jeprof-ts doctor' for this file";
  if (!r.found) return `not found on this machine${r.advice[0] ? `: ${printable(r.advice[0])}` : ''}`;
  const symbols = { full: 'full symbol table', dynamic: 'exported symbols only (stripped)', none: 'no symbols (stripped)' }[r.names?.symbols ?? 'none'];
  const debug = r.names?.debug === 'none' || !r.names ? 'no debug information found' : `debug information ${r.names.debug === 'in the file' ? 'in the file' : `found (${r.names.debug})`}`;
  return [symbols, debug, ...r.advice.slice(0, 1)].join('; ');
}
