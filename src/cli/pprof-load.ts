// Loads a run whose profiles are pprof files (src/pprof): reads and decodes them, picks the sample
// type, names unnamed PCs, sums the files and subtracts --base, as load.ts does for dumps.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { JeprofError, UsageError } from '../model/errors.js';
import { LocationTable } from '../model/locations.js';
import { merge, subtract } from '../model/merge.js';
import type { HeapSampleType, Location, Mapping } from '../model/profile.js';
import { readPprof, type PprofFile } from '../pprof/from-pprof.js';
import { binarySearchPath } from '../pprof/binary-path.js';
import { symbolizePprof } from '../pprof/symbolize-pprof.js';
import { printable } from '../report/printable.js';
import type { Library } from '../symbolize/libraries.js';
import { checkProgram, requireRegularFile } from './files.js';
import type { CliIO } from './io.js';
import { makeTool, rewriter, type LoadedRun, type RunDeps } from './load.js';
import type { RunOptions } from './options.js';
import { phaseDone } from './phases.js';
import { isPprofFile } from './pprof-input.js';

export async function loadPprofRun(o: RunOptions, io: CliIO, deps: RunDeps): Promise<LoadedRun> {
  const warn = (msg: string) => {
    if (o.warnings) io.stderr(`jeprof-ts: warning: ${printable(msg)}\n`);
  };
  const firstIsPprof = isPprofFile(resolve(io.cwd, o.positionals[0]));
  const programArg = firstIsPprof ? undefined : o.positionals[0];
  const profiles = firstIsPprof ? o.positionals : o.positionals.slice(1);
  if (profiles.length === 0) throw new UsageError('Did not specify profile file: usage is jeprof-ts [options] [<program>] <profile.pb.gz...>');
  const programPath = programArg === undefined ? undefined : checkProgram(programArg, io.cwd);
  // jeprof's notices, as the dump loader says them: not for jeprof-ts's own commands.
  const notices = o.jeprofNotices !== false;
  if (programArg !== undefined && notices) io.stderr(`Using local file ${programArg}.\n`);

  const table = new LocationTable();
  const read = (name: string, what: 'profile' | 'base profile'): PprofFile => {
    const bytes = readFileSync(requireRegularFile(name, io.cwd, what));
    phaseDone('read', io.stderr);
    return readPprof(bytes, name, table, { threadRows: o.thread !== undefined });
  };
  const files: PprofFile[] = [];
  for (const p of profiles) {
    if (notices) io.stderr(`Using local file ${p}.\n`);
    files.push(read(p, 'profile'));
  }
  const base = o.base ? read(o.base, 'base profile') : undefined;
  const all = base ? [...files, base] : files;
  phaseDone('parse', io.stderr);
  o.sampleType = chooseSampleType(o, files[0]);
  for (const f of all) sameSampleTypes(f, files[0]);

  let libraries: Library[] = [];
  const unnamed: Location[] = all.flatMap((f) => f.unnamed);
  const tool = unnamed.length > 0 ? makeTool(o, deps, io.env, io.cwd) : undefined;
  if (tool) {
    try {
      const mappings = uniqueMappings(unnamed);
      libraries = await symbolizePprof(unnamed, mappings, { program: programPath, searchPath: binarySearchPath(io.env), rewrite: rewriter(o.mapPaths, io.cwd), libPrefixes: o.libPrefixes, debugByBuildId: o.debugSymsById, warn }, tool);
    } finally {
      tool.release?.();
    }
    for (const p of tool.notices ?? []) warn(p);
    for (const p of tool.problems) warn(p);
    if (o.strictTools && tool.problems.length > 0) throw new JeprofError('symbolization was incomplete and --strict-tools is set');
    phaseDone('symbolize', io.stderr);
  }

  const heaps = files.map((f) => f.heap);
  const summed = heaps.length > 1 ? merge(heaps.map((f) => f.profile)) : heaps[0].profile;
  let main = summed;
  if (base) main = subtract(main, base.heap.profile, o.dropNegative);
  const first = files[0];
  return {
    programName: programArg ?? first.program ?? first.heap.profile.mappings[0]?.file ?? profiles[0],
    programPath,
    table,
    files: heaps,
    firstPath: resolve(io.cwd, profiles[0]),
    first: first.heap,
    main,
    summed,
    base: base?.heap,
    libraries,
    tool,
    // A Total recorded for one file alone: a sum or a difference has its own.
    totals: files.length === 1 && !base ? first.totals : undefined,
  };
}

/** --sample_index or a jeprof flag, else the file's default_sample_type, else inuse_space, else its last. */
function chooseSampleType(o: RunOptions, f: PprofFile): HeapSampleType {
  const types = f.heap.profile.sampleTypes;
  const name = o.sampleIndex ?? f.defaultSampleType ?? (types.some((t) => t.type === 'inuse_space') ? 'inuse_space' : types.at(-1)!.type);
  if (!types.some((t) => t.type === name)) {
    throw new JeprofError(`${f.heap.file} has no ${name} values; its sample types are ${types.map((t) => `${t.type}/${t.unit}`).join(', ')} (pick one with --sample_index=NAME)`);
  }
  // Any of the file's names: reports only look it up among the profile's sample types.
  return name as HeapSampleType;
}

function sameSampleTypes(f: PprofFile, first: PprofFile): void {
  const a = f.heap.profile.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ');
  const b = first.heap.profile.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ');
  if (a !== b) throw new JeprofError(`${f.heap.file} has sample types ${a}, ${first.heap.file} has ${b}: they cannot be added or subtracted`);
}

function uniqueMappings(locs: readonly Location[]): Mapping[] {
  const out = new Set<Mapping>();
  for (const l of locs) if (l.mapping) out.add(l.mapping);
  return [...out];
}
