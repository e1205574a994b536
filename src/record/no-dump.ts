// Why a recorded run left no dump, or none with the program's own allocations: the reasons that
// can be checked after the fact, most likely first, instead of an empty report.
import { closeSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { humanBytes } from '../report/human.js';
import type { DumpContents } from './dumps.js';
import { definesOwnMalloc, type JemallocChoice, type ProgramFacts } from './find-jemalloc.js';
import type { LaunchResult } from './launcher.js';

export interface RunFacts {
  program: ProgramFacts;
  jemalloc: JemallocChoice;
  result: LaunchResult;
  out: string;
  /** lg_prof_interval in effect, undefined when interval dumps were off. */
  lgInterval?: number;
}

/**
 * Why no file can be made in `dir` (the error's code), or undefined when one can: tried by making
 * one, as jemalloc does. access(2) would not do: it says yes to root whatever the mode bits are,
 * and on a folder such as /proc, where even root can make no file.
 */
export function cannotWrite(dir: string): string | undefined {
  const probe = join(dir, `.jeprof-ts-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
}

/** The reasons no dump was written, as lines for the user. */
export function whyNoDump(f: RunFacts): string[] {
  const out: string[] = [];
  const interval = f.lgInterval === undefined ? undefined : humanBytes(2 ** f.lgInterval);
  if (f.result.signal) {
    out.push(
      `it was killed by ${f.result.signal}: jemalloc writes the final dump only on a normal exit (prof_final runs from atexit), ` +
        (interval ? `and it allocated less than the ${interval} that triggers an interval dump; try a smaller --interval` : 'and interval dumps were off'),
    );
  }
  // record made the folder, or a file in it, before the run: it has changed since.
  const unwritable = cannotWrite(f.out);
  if (unwritable) out.push(`the dump folder ${f.out} cannot be written now (${unwritable}): it was removed or changed during the run`);
  if (f.jemalloc.kind === 'preload' && f.program.layout && definesOwnMalloc(f.program.path)) {
    out.push(`${f.program.path} defines malloc itself (an allocator linked into it): its own comes before the preloaded jemalloc, which then sees no allocation`);
  }
  if (!f.jemalloc.profiling) out.push(`${f.jemalloc.file} has no profiling code (built without --enable-prof)`);
  if (out.length === 0) {
    out.push(
      f.jemalloc.kind === 'preload'
        ? `the program did not start jemalloc: it left before allocating (exec, _exit), or its allocations never went through ${f.jemalloc.file} (file capabilities make the loader ignore LD_PRELOAD, as set-user-ID does)`
        : `the program did not start its jemalloc: it left before allocating (exec, _exit), or it never read ${f.jemalloc.confVar}`,
    );
  }
  return out;
}

/** Said when the dumps hold only allocations made outside the program (the C library's start-up), or none. */
export function emptyDumpMessage(c: DumpContents, programName: string, jemalloc: JemallocChoice, program: ProgramFacts, everySampled: boolean): string | undefined {
  if (c.ownStacks > 0) return undefined;
  const what = c.stacks === 0 ? 'no allocation at all' : `only ${c.stacks} stack${c.stacks === 1 ? '' : 's'} (${humanBytes(c.bytes)}) allocated by libraries, none by ${programName} itself`;
  if (jemalloc.kind === 'preload' && program.layout && definesOwnMalloc(program.path)) {
    return `the dumps hold ${what}: ${programName} defines malloc itself (an allocator linked into it), and its calls went to that one, not to the preloaded ${jemalloc.file}; link it with jemalloc in place of that allocator to profile it`;
  }
  const via = jemalloc.kind === 'preload' ? ` (or its allocations bypass the preloaded ${jemalloc.file})` : '';
  return `the dumps hold ${what}: ${programName} allocated nothing through jemalloc${via}${everySampled ? '' : ', or too little to be sampled (try --sample=0 or --leak)'}`;
}
