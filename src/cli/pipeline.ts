// The shared path of jeprof's report modes: load the run (parse, sum, --base, symbolize), open the
// session, and analyze each target as jeprof's FilterAndPrint does before printing.
import { AllocatorTrimmer, allocatorFrameTest } from '../graph/allocator-trim.js';
import { analyze, type Analysis } from '../graph/analyze.js';
import type { Granularity, KeyNumbering } from '../graph/granularity.js';
import type { StackRanges } from '../graph/flat-stacks.js';
import { allocatorMappings } from '../symbolize/allocator-mappings.js';
import type { CommandEnv } from './commands/types.js';
import { loadRun, rewriter, type LoadedRun } from './load.js';
import type { RunOptions } from './options.js';
import { phaseDone, startPhases } from './phases.js';
import { openSession, translateContext, type Session, type Target } from './session.js';
import { emitPaced } from './output.js';

export async function loadSession(o: RunOptions, env: CommandEnv): Promise<Session> {
  startPhases(env.io.env, env.io.stderr);
  const run = await loadRun(o, env.io, env.deps);
  const session = openSession(o, run);
  phaseDone('session', env.io.stderr);
  return session;
}

/** A target's stacks with allocator frames trimmed, the command line's filters applied, and flat/cum per key. */
/** `numbering`: keys to share with a later translation of the same stacks (the HTML report's flame graph). */
export function analyzeTarget(s: Session, t: Target, io: CommandEnv['io'], granularity: Granularity | 'address-only' = s.o.granularity, numbering?: KeyNumbering): Analysis {
  const a = analyzing(t.stacks.length, io, () => {
    const a = analysisOf(s, t, io, granularity, numbering);
    // The sums are made when first read (see trimAndReduce): read here, they are the analysis's time.
    void a.flatCum;
    return a;
  });
  phaseDone('analyze', io.stderr);
  return a;
}

/** From this many stacks on, a terminal is told while the analysis runs: a million take seconds. */
export const ANALYZING_NOTE_STACKS = 100_000;

/**
 * `work` (the analysis of `stacks` stacks), with `Analyzing 1,050,000 stacks...` on stderr
 * meanwhile when it is a terminal and the stacks are many (after a read's progress line, seconds
 * of silence looked like a hang), cleared before anything else is printed.
 */
export function analyzing<T>(stacks: number, io: CommandEnv['io'], work: () => T): T {
  const note = io.stderrIsTTY === true && stacks >= ANALYZING_NOTE_STACKS;
  if (note) io.stderr(`\rAnalyzing ${stacks.toLocaleString('en-US')} stacks...`);
  try {
    return work();
  } finally {
    if (note) io.stderr('\r\x1b[K');
  }
}

/**
 * A target's stacks as analyzeTarget filters them, without its flat/cum sums: `collapsed` prints
 * the stacks alone, and the sums' key paths were two thirds of its analysis.
 */
export function targetStacks(s: Session, t: Target, io: CommandEnv['io']): StackRanges {
  const ranges = analyzing(t.stacks.length, io, () => analysisOf(s, t, io, s.o.granularity).stackRanges());
  phaseDone('analyze', io.stderr);
  return ranges;
}

function analysisOf(s: Session, t: Target, io: CommandEnv['io'], granularity: Granularity | 'address-only', numbering?: KeyNumbering): Analysis {
  const stacks = s.o.trimAllocator ? allocatorTrimmer(s.run, s.o, io).trim(t.stacks) : t.stacks;
  const a = analyze(stacks, { ...translateContext(s, granularity), numbering, focus: s.o.focus, ignore: s.o.ignore, retain: s.o.retain, exclude: s.o.exclude });
  if (t.total !== undefined) a.total = t.total;
  return a;
}

/**
 * The usual report: each target's text, one after the other, to stdout or -o's file. A render may
 * give its text in pieces (collapsed on a huge dump): they are written as they come.
 */
export async function emitPerTarget(o: RunOptions, env: CommandEnv, render: (s: Session, t: Target) => string | Iterable<string | Uint8Array>): Promise<number> {
  const s = await loadSession(o, env);
  function* pieces(): Generator<string | Uint8Array> {
    // Texts made whole are written together, as one piece, once all of them are made.
    let out = '';
    for (const t of s.targets) {
      const r = render(s, t);
      if (typeof r === 'string') {
        out += r;
        continue;
      }
      if (out !== '') yield out;
      out = '';
      yield* r;
    }
    phaseDone('report', env.io.stderr);
    if (out !== '') yield out;
  }
  return emitPaced(o.output, env.io, pieces());
}

/** --trim-allocator's trimmer for a run: frames in its allocator mappings as found on this machine (--map-path), and allocator functions. */
export function allocatorTrimmer(run: LoadedRun, o: Pick<RunOptions, 'mapPaths'>, io: CommandEnv['io']): AllocatorTrimmer {
  const inAllocator = allocatorMappings(rewriter(o.mapPaths, io.cwd));
  // Trimmed leaves are Locations of their own, numbered after the run's.
  return new AllocatorTrimmer(allocatorFrameTest((loc) => inAllocator(loc.mapping)), run.table.all.length + 1);
}
