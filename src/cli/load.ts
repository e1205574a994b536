// Loads a run's inputs: checks and parses the profile files, sums them, subtracts --base, and
// names every PC (binutils on the program and its libraries, or a symbolized profile's own names).
import { closeSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { CachingObjTool } from '../symbolize/cache.js';
import { defaultCacheDir } from '../symbolize/cache-key.js';
import { cacheLimit } from './cache-command.js';
import { printable } from '../report/printable.js';
import { mixedProcessWarning, programMismatchWarning } from './checks.js';
import { JeprofError, UsageError } from '../model/errors.js';
import { LocationTable } from '../model/locations.js';
import { merge, subtract } from '../model/merge.js';
import type { Func, Location, Mapping, Profile } from '../model/profile.js';
import { isSymbolizedProfile, parseProfileFd, type HeapFile } from '../parse/index.js';
import { parseMappedLibraries } from '../parse/proc-maps.js';
import { RunStacks } from '../parse/run-stacks.js';
import { Binutils } from '../symbolize/binutils.js';
import { resolveTools, TOOL_TIMEOUT_MS } from '../symbolize/binutils-run.js';
import { buildLibraries, debuggingLibrary, type Library } from '../symbolize/libraries.js';
import type { ObjTool } from '../symbolize/objtool.js';
import { symbolizeFromMap } from '../symbolize/symbol-map.js';
import { symbolizeLocations } from '../symbolize/symbolizer.js';
import { prefetch } from '../symbolize/prefetch.js';
import { peekDump, peekedPcs } from '../parse/peek.js';
import { ReadProgress, showAfterMs } from './read-progress.js';
import { phaseDone, phaseNote } from './phases.js';
import { pprofInputs } from './pprof-input.js';
import { checkProgram, openProfile, requireRegularFile } from './files.js';
import type { CliIO } from './io.js';
import type { RunOptions } from './options.js';

export interface RunDeps {
  /** Overrides the binutils (tests use a fake). */
  objTool?: ObjTool;
  /** The clock of progress lines, in ms (tests give one that runs fast). */
  now?: () => number;
}

export interface LoadedRun {
  /** The program as typed, or the `binary=` name of a symbolized profile. */
  programName: string;
  /** Absolute program path; undefined for symbolized profiles. */
  programPath?: string;
  table: LocationTable;
  files: HeapFile[];
  /** Absolute path of the first profile file (--raw copies it). */
  firstPath: string;
  first: HeapFile;
  /** All profiles summed, minus --base. */
  main: Profile;
  /** All profiles summed, before --base (trend and check, which never add them, get the first alone). */
  summed: Profile;
  /** --base's file, read (the HTML report's differential view wants its stacks on their own). */
  base?: HeapFile;
  libraries: Library[];
  tool?: ObjTool;
  /** A jeprof-ts pprof export's exact Total per report (thread uid, '' for all threads), per sample type. */
  totals?: Map<string, number[]>;
}

function head(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4096);
    return b.toString('latin1', 0, readSync(fd, b, 0, b.length, 0));
  } finally {
    closeSync(fd);
  }
}

export function rewriter(mapPaths: RunOptions['mapPaths'], cwd: string): (p: string) => string {
  if (mapPaths.length === 0) return (p) => p;
  const rules = mapPaths.map((r) => ({ from: r.from.replace(/\/+$/, ''), to: resolve(cwd, r.to).replace(/\/+$/, '') }));
  return (p) => {
    for (const r of rules) {
      if (p === r.from || p.startsWith(r.from + '/')) return r.to + p.slice(r.from.length);
    }
    return p;
  };
}

/** `Symbolizing 3/7 object files (12345 addresses)` redrawn in place, only on a terminal and only for big jobs. */
function progressLine(io: CliIO): ((done: number, files: number, addresses: number) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  return (done, files, addresses) => {
    if (addresses < 2000) return;
    io.stderr(done < files ? `\rSymbolizing ${done}/${files} object files (${addresses} addresses)` : '\r\x1b[K');
  };
}

export function makeTool(o: RunOptions, deps: RunDeps, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ObjTool {
  if (deps.objTool) return deps.objTool;
  let tools;
  try {
    tools = resolveTools(o.tools);
  } catch (e) {
    throw new JeprofError((e as Error).message);
  }
  // The tools run in the run's folder, as jeprof's do: addr2line also looks for `.build-id/` files there.
  const binutils = new Binutils(tools, cwd, toolTimeout(env.JEPROF_TS_TOOL_TIMEOUT), env);
  if (!o.cache) return binutils;
  return new CachingObjTool(binutils, defaultCacheDir(env, homedir()), JSON.stringify(tools), cacheLimit(env.JEPROF_TS_CACHE_SIZE), binutils.cwd);
}

/** $JEPROF_TS_TOOL_TIMEOUT (seconds a tool run may take) in ms, the default when unset. */
function toolTimeout(text: string | undefined): number {
  if (text === undefined || text === '') return TOOL_TIMEOUT_MS;
  const s = Number(text);
  if (!Number.isFinite(s) || s <= 0) throw new UsageError(`JEPROF_TS_TOOL_TIMEOUT='${printable(text.slice(0, 40))}' is not a number of seconds above 0`);
  return s * 1000;
}

export async function loadRun(o: RunOptions, io: CliIO, deps: RunDeps): Promise<LoadedRun> {
  const warn = (msg: string) => {
    if (o.warnings) io.stderr(`jeprof-ts: warning: ${printable(msg)}\n`);
  };
  const firstArg = requireRegularFile(o.positionals[0], io.cwd, 'program');
  // pprof profiles (recognised by content) have a loader of their own.
  if (pprofInputs(o, io.cwd)) return (await import('./pprof-load.js')).loadPprofRun(o, io, deps);
  const symbolized = isSymbolizedProfile(head(firstArg));
  const programArg = symbolized ? undefined : o.positionals[0];
  const profiles = symbolized ? o.positionals : o.positionals.slice(1);
  if (profiles.length === 0) throw new UsageError('Did not specify profile file: usage is jeprof-ts [options] <program> <profiles...>');
  const programPath = programArg === undefined ? undefined : checkProgram(programArg, io.cwd);
  // Every named file was checked before any is read (pprofInputs requires each profile and the
  // base to be a regular file), so a typo costs no symbolization time.
  if (programArg !== undefined && o.jeprofNotices !== false) io.stderr(`Using local file ${programArg}.\n`);
  const rewrite = rewriter(o.mapPaths, io.cwd);
  const addLib = o.addLib ? resolve(io.cwd, o.addLib) : undefined;
  /** buildLibraries' options; `maxPc` ends the catch-all program entry (unknown before the parse). */
  const libraryOptions = (maxPc: bigint) => ({ program: programPath!, libPrefixes: o.libPrefixes, addLib, maxPc, debugByBuildId: o.debugSymsById });
  // Made before the profiles are read: the tools of the object files their first stacks hit
  // start now, while this process is small (see early-runs.ts).
  const tool = symbolized ? undefined : makeTool(o, deps, io.env, io.cwd);
  // The program's tools read its /usr/lib/debug copy when jeprof would (see buildLibraries).
  const programFile = tool && (debuggingLibrary(programPath!, tool, undefined, o.debugSymsById) ?? programPath!);
  const route =
    tool &&
    (await prefetch(tool, {
      peek: () => {
        const peeked = peekDump(resolve(io.cwd, profiles[0]));
        return { mapText: peeked.mapText, pcs: peekedPcs(peeked.head) };
      },
      program: programFile!,
      mappings: (mapText) => parseMappedLibraries(mapText, programPath!, rewrite),
      libraries: (mappings) => buildLibraries(mappings, libraryOptions(0n), tool),
    }));

  // Whatever happens while reading and symbolizing, tools started early must not outlive it
  // (one waiting on its input would keep this process from exiting).
  const finish = async (): Promise<LoadedRun> => {
    const table = new LocationTable();
    // Several dumps (a series above all) share their stacks' table; one dump reads as before.
    const runStacks = profiles.length + (o.base ? 1 : 0) > 1 ? new RunStacks(table) : undefined;
    const read = (name: string, what: 'profile' | 'base profile'): HeapFile => {
      const fd = openProfile(name, io.cwd, what);
      // Only on a terminal, and only for a read that lasts (see ReadProgress).
      const progress = io.stderrIsTTY ? new ReadProgress(io.stderr, name, deps.now, showAfterMs(io.env)) : undefined;
      let f: HeapFile;
      try {
        // Per-thread rows become samples only when --thread will report them.
        // The early tools get each PC as the parser finds it.
        f = parseProfileFd(fd, name, table, { threadRows: o.thread !== undefined, onNewLocation: route, runStacks, onProgress: progress && ((bytes, total) => progress.update(bytes, total)) });
      } finally {
        progress?.done();
        closeSync(fd);
      }
      if (f.split) phaseNote(`${name} read by two threads, the second from byte ${f.split.at} (its stacks in ${f.split.segments} segments)`, io.stderr);
      for (const n of f.notices) io.stderr(n + '\n');
      for (const w of f.warnings.slice(0, 10)) warn(w);
      if (f.warnings.length > 10) warn(`${name}: ${f.warnings.length - 10} more problems not shown`);
      if (!symbolized && f.symbols) {
        throw new UsageError(`${name} is a symbolized profile and cannot be used with a program argument: leave out ${programArg}`);
      }
      return f;
    };
    const files: HeapFile[] = [];
    for (const p of profiles) {
      if (o.jeprofNotices !== false) io.stderr(`Using local file ${p}.\n`);
      files.push(read(p, 'profile'));
    }
    const base = o.base ? read(o.base, 'base profile') : undefined;
    const first = files[0];
    phaseDone('parse', io.stderr);

    let libraries: Library[] = [];
    if (!tool) {
      const names = new Map<string, string>();
      for (const f of [...files, ...(base ? [base] : [])]) for (const [k, v] of f.symbols?.symbols ?? []) names.set(k, v);
      symbolizeFromMap(table.all, names);
    } else {
      const mappings = parseMappedLibraries(first.mapText, programPath!, rewrite);
      libraries = buildLibraries(mappings, libraryOptions(first.maxAddress), tool);
      // Locations point at the dump's own mappings (the profile's), not at jeprof's library list.
      const own = new Map(first.profile.mappings.map((m) => [`${m.start}-${m.limit}-${m.offset}`, m]));
      for (const lib of libraries) if (lib.mapping) lib.mapping = own.get(`${lib.mapping.start}-${lib.mapping.limit}-${lib.mapping.offset}`) ?? lib.mapping;
      await symbolizeLocations(table.all, libraries, tool, progressLine(io));
      phaseDone('symbolize', io.stderr);
      for (const p of tool.notices ?? []) warn(p);
      for (const p of tool.problems) warn(p);
      if (o.strictTools && tool.problems.length > 0) throw new JeprofError('symbolization was incomplete and --strict-tools is set');
    }

    const mixed = mixedProcessWarning([...profiles, ...(o.base ? [o.base] : [])]);
    if (mixed) warn(mixed);
    // Unnamed frames are the tools' fault when they failed (warned above), not a wrong program's.
    if (programArg !== undefined && programPath !== undefined && (tool?.problems.length ?? 0) === 0) {
      const mismatch = programMismatchWarning(first.mapText, programArg, programPath, table, rewrite);
      if (mismatch) warn(mismatch);
    }

    // trend and check analyze each dump alone: the sum would be made for nothing.
    const summed = files.length > 1 && !o.perDump ? merge(files.map((f) => f.profile)) : first.profile;
    let main = summed;
    if (base) main = subtract(main, base.profile, o.dropNegative);
    main.funcs = funcsOf(main.locations);
    phaseDone('merge', io.stderr);
    const programName = programArg ?? first.symbols?.binary ?? profiles[0];
    return { programName, programPath, table, files, firstPath: resolve(io.cwd, profiles[0]), first, main, summed, base, libraries, tool };
  };
  try {
    return await finish();
  } finally {
    tool?.release?.();
  }
}

/** The distinct functions of the locations' frames, in first-met order (pprof's Profile.function). */
function funcsOf(locations: readonly Location[]): Func[] {
  const seen = new Set<Func>();
  for (let i = 0; i < locations.length; i++) {
    const lines = locations[i].lines;
    for (let j = 0; j < lines.length; j++) seen.add(lines[j].func);
  }
  return [...seen];
}
