// `jeprof-ts doctor <program> <profiles...>`: why frames have no names, per mapping, after a real
// symbolization, and how the dumps were made. A report: it exits 0 even when much is missing.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { JeprofError, UsageError } from '../model/errors.js';
import type { CliIO } from './io.js';
import { loadRun, rewriter, type RunDeps } from './load.js';
import { buildRunOptions } from './options.js';
import { diagnose } from '../doctor/diagnose.js';
import { renderDoctor } from '../doctor/render.js';

export interface DoctorOptions {
  /** The program, then one or more dumps. */
  positionals: string[];
  json?: boolean;
  /** --map-path FROM=TO[,...] as typed. */
  mapPath?: string;
  /** --lib_prefix DIR[,...] as typed. */
  libPrefix?: string;
  /** --no-cache: symbolize without the symbol cache. */
  cache?: boolean;
}

/** chalk's colour level from NO_COLOR / FORCE_COLOR, else by whether stdout is a terminal. */
export function colourLevel(env: NodeJS.ProcessEnv, tty: boolean): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '' || force === 'true') return 1;
    if (force === 'false' || force === '0') return 0;
    const n = Number(force);
    return n >= 3 ? 3 : n >= 2 ? 2 : 1;
  }
  return tty ? 1 : 0;
}

export async function runDoctor(o: DoctorOptions, io: CliIO, deps: RunDeps = {}): Promise<number> {
  if (o.positionals.length < 2) throw new UsageError('doctor: usage is jeprof-ts doctor [options] <program> <profiles...>');
  // A file that is missing or not a file is bad input (exit 2), not a mistake in the command line.
  for (const [i, p] of o.positionals.entries()) {
    const st = statSync(resolve(io.cwd, p), { throwIfNoEntry: false });
    if (!st?.isFile()) throw new JeprofError(`doctor: ${i === 0 ? 'program' : 'profile'} '${p}' ${st ? 'is not a regular file' : 'not found'}`);
  }
  const run = buildRunOptions({ text: true, thread: '*', mapPath: o.mapPath, lib_prefix: o.libPrefix, cache: o.cache }, o.positionals, io.env);
  // The pipeline's own lines (`Using local file`, warnings) would repeat what the report says.
  const quiet: CliIO = { ...io, stderr: () => {}, stderrIsTTY: false };
  const loaded = await loadRun(run, quiet, deps);
  if (loaded.programPath === undefined) throw new JeprofError('doctor: the profile is already symbolized (--raw output): it needs no program and has no mappings to check');
  const report = diagnose(loaded, o.positionals.slice(1), rewriter(run.mapPaths, io.cwd), io.cwd);
  const format = o.json ? 'json' : io.stdoutIsTTY ? 'table' : 'plain';
  const level = colourLevel(io.env, io.stdoutIsTTY);
  const width = Number(io.env.COLUMNS) || 120;
  io.stdout(renderDoctor(report, format, level, width));
  return 0;
}
