// The files of a series command (trend, check, html): the program, found in the first dump's map
// when it is not given, and the dumps in jemalloc's order (by sequence number, not as the shell
// sorted them: i10 comes after i9), each process's own, with gaps in the sequence said.
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { JeprofError, UsageError } from '../model/errors.js';
import { peekDump } from '../parse/peek.js';
import { dumpMappings } from '../parse/proc-maps.js';
import { printable } from '../report/printable.js';
import { firstBytes, requireRegularFile } from './files.js';
import type { CliIO } from './io.js';
import { rewriter } from './load.js';
import type { RunOptions } from './options.js';
import { isPprofFile } from './pprof-input.js';

/** What jemalloc's name for a dump says: `<prefix>.<pid>.<seq>.<i|m|f|u><n>.heap`. */
export interface DumpName {
  pid: number;
  seq: number;
  kind: 'i' | 'm' | 'f' | 'u';
}

const JEMALLOC_NAME = /(?:^|\.)(\d+)\.(\d+)\.([imfu])\d*\.heap$/;

export function dumpName(path: string): DumpName | undefined {
  const m = JEMALLOC_NAME.exec(basename(path));
  return m ? { pid: Number(m[1]), seq: Number(m[2]), kind: m[3] as DumpName['kind'] } : undefined;
}

/**
 * True when a file is a heap dump (jemalloc's or gperftools' text), which needs its program. A
 * symbolized or pprof profile names its own functions, and a program is not a dump either way.
 */
export function isHeapDump(path: string, cwd: string): boolean {
  try {
    return /^(heap_v2\/|heap profile:|%)/.test(firstBytes(resolve(cwd, path), 32).toString('latin1'));
  } catch {
    return false;
  }
}

/**
 * [program, ...profiles] from the command's positionals: when the first is a profile, the program
 * is the path the first dump's map gives the main executable (its first mapping, through
 * --map-path), said on stderr, as pprof finds binaries from a profile's mappings.
 */
export function withProgram(positionals: readonly string[], o: Pick<RunOptions, 'mapPaths'>, io: CliIO): string[] {
  if (positionals.length === 0) throw new UsageError('give the dumps (and the program first, or it is taken from the first dump)');
  if (!isHeapDump(positionals[0], io.cwd)) return [...positionals];
  const dump = resolve(io.cwd, positionals[0]);
  const mapText = peekDump(dump).mapText;
  const first = mapText === undefined ? undefined : dumpMappings(mapText)[0];
  if (!first || !first.file.startsWith('/')) {
    throw new UsageError(`${printable(positionals[0])} names no program in its map: give the program first (jeprof-ts <command> ./server ${printable(positionals[0])} ...)`);
  }
  const program = rewriter(o.mapPaths, io.cwd)(first.file);
  if (!existsSync(program)) {
    const where = program === first.file ? '' : ` (${printable(first.file)} through --map-path)`;
    throw new UsageError(
      `${printable(positionals[0])} was taken from ${printable(program)}${where}, which is not on this machine: ` +
        `give the program first, or --map-path=${printable(dirname(first.file))}=<its folder here>`,
    );
  }
  io.stderr(`jeprof-ts: program ${printable(program)} (the first dump's map names it; give the program first to use another)\n`);
  return [program, ...positionals];
}

/**
 * The dumps in jemalloc's order when each has its name (by pid, then sequence number), else as
 * given. Dumps of different processes are refused unless `allowMixed`; a gap in a process's
 * sequence numbers is a warning that names the missing ones.
 */
export function orderDumps(profiles: readonly string[], allowMixed: boolean, warn: (msg: string) => void, cwd: string): string[] {
  const named = profiles.map((p) => ({ p, n: dumpName(p) }));
  if (named.some((x) => !x.n)) return [...profiles];
  const pids = [...new Set(named.map((x) => x.n!.pid))];
  if (pids.length > 1 && !allowMixed) {
    throw new JeprofError(`these dumps come from ${pids.length} processes (pids ${pids.join(', ')}): a trend is of one process; give one pid's dumps, or --allow-mixed`);
  }
  named.sort((a, b) => a.n!.pid - b.n!.pid || a.n!.seq - b.n!.seq || (a.p < b.p ? -1 : a.p > b.p ? 1 : 0));
  for (const pid of pids) {
    // Sorted by pid, then sequence number: the pid's first and last are its bounds.
    const mine = named.filter((x) => x.n!.pid === pid);
    const seqs = new Set(mine.map((x) => x.n!.seq));
    const missing: number[] = [];
    for (let s = mine[0].n!.seq; s < mine[mine.length - 1].n!.seq; s++) if (!seqs.has(s)) missing.push(s);
    if (missing.length === 0) continue;
    // A missing file is the one error to see, not the gap its absence makes. Checked only here:
    // the loader checks every file before reading any, and 200 more stat calls cost a series.
    for (const x of named) requireRegularFile(x.p, cwd, 'profile');
    warn(`dumps of pid ${pid} are missing sequence number${missing.length > 1 ? 's' : ''} ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', ...' : ''}: the trend skips them`);
  }
  return named.map((x) => x.p);
}

/**
 * A series command's files as analyzeSeries takes them: [program, ...dumps in jemalloc's order],
 * the program from the first dump's map when left out; or, with `base`, [program, base, profile].
 * pprof profiles come with no program: then the list is the profiles alone.
 * Warnings (a gap) go to stderr unless --no-warnings.
 */
export function seriesFiles(
  files: readonly string[],
  probe: Pick<RunOptions, 'mapPaths'>,
  opts: { warnings?: unknown; allowMixed?: unknown },
  io: CliIO,
  need: { min: number; fewer: string; base?: string },
): string[] {
  const warn = (msg: string) => {
    if (opts.warnings !== false) io.stderr(`jeprof-ts: warning: ${printable(msg)}\n`);
  };
  const positionals = withProgram(files, probe, io);
  // pprof profiles name their own functions: when the first is one, there is no program and every
  // positional is a profile of the series (the loader reads them so, src/cli/pprof-load.ts).
  const program = firstIsPprof(positionals[0], io.cwd) ? [] : [positionals[0]];
  const dumps = positionals.slice(program.length);
  if (need.base !== undefined) {
    if (dumps.length !== 1) throw new UsageError('with --base, give one profile to compare with it');
    return [...program, need.base, dumps[0]];
  }
  if (dumps.length < need.min) throw new UsageError(need.fewer);
  return [...program, ...orderDumps(dumps, opts.allowMixed === true, warn, io.cwd)];
}

function firstIsPprof(path: string, cwd: string): boolean {
  try {
    return isPprofFile(resolve(cwd, path));
  } catch {
    return false; // a missing file is said by the loader, as for a missing program
  }
}
