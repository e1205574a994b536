// The doctor's report as data: one row per mapping that holds sampled PCs (assigned as the
// symbolizer assigns them), after a real symbolization, and the facts of each dump.
import { THREAD_LABEL, type Location } from '../model/profile.js';
import type { LoadedRun } from '../cli/load.js';
import { executableMappings } from '../parse/proc-maps.js';
import { readElfLayout } from '../symbolize/elf-layout.js';
import type { Library } from '../symbolize/libraries.js';
import { assignToLibraries } from '../symbolize/symbolizer.js';
import { adviceFor } from './advice.js';
import { isUnnamed } from './unnamed.js';
import { nameSources, type NameSources } from './debug-info.js';
import { dumpFacts, type DumpFacts } from './dump-facts.js';
import { checkSameBuild, mapLineIds, type BuildCheck, type DumpMapping } from './same-build.js';

export interface MappingRow {
  /** The file as the dump names it (before --map-path), or `(no mapping)`. */
  dumpPath: string;
  /** Run-time address of the mapping, 0 for PCs outside every mapping. */
  start: bigint;
  /** The file read here, when it exists. */
  found?: string;
  /** How the file read here was reached. */
  how: 'as named' | '--map-path' | '--lib_prefix' | 'the program given';
  isProgram: boolean;
  build?: BuildCheck;
  names?: NameSources;
  /** Distinct sampled PCs in the mapping, and those left without a name. */
  pcs: number;
  unnamedPcs: number;
  /** Share (0 to 1) of the profile's in-use bytes whose stacks have a frame here / an unnamed frame here. */
  bytesShare: number;
  unnamedShare: number;
  advice: string[];
}

export interface DoctorReport {
  program: string;
  profiles: string[];
  mappings: MappingRow[];
  dumps: DumpFacts[];
  /** What the symbolization itself reported (tool failures). */
  problems: string[];
}


interface Group {
  lib: Library;
  dumpPath: string;
  mapping?: DumpMapping;
  locs: Location[];
}

/**
 * Rows of the report. `rewrite` is --map-path's; `programPath` the program given (absolute, real).
 * PCs the symbolizer read against the program at link-time addresses (its catch-all entry) are
 * split by the dump's executable mapping that holds them: a moved binary's own code shows there.
 */
export function diagnose(run: LoadedRun, profiles: string[], rewrite: (p: string) => string, cwd: string): DoctorReport {
  const programPath = run.programPath!;
  const mapText = run.first.mapText;
  const ids = mapLineIds(mapText);
  const raw = executableMappings(mapText);
  const groups: Group[] = [];
  for (const { lib, locs } of assignToLibraries(run.table.all, run.libraries)) {
    if (lib.mapping) {
      const original = raw.find((m) => m.start === lib.mapping!.start)?.path ?? lib.mapping.file;
      groups.push({ lib, dumpPath: original, mapping: { ...lib.mapping, ...ids.get(lib.mapping.start) }, locs });
      continue;
    }
    // The catch-all program entry: by the dump's mapping that holds each PC, if any.
    const byMapping = new Map<string, Group>();
    for (const l of locs) {
      const m = raw.find((x) => l.address >= x.start && l.address <= x.limit);
      const key = m ? `${m.path}@${m.start}` : '';
      let g = byMapping.get(key);
      if (!g) {
        g = { lib, dumpPath: m?.path ?? '(no mapping)', locs: [] };
        if (m) g.mapping = { start: m.start, limit: m.limit, offset: offsetOf(mapText, m.start), ...ids.get(m.start) };
        byMapping.set(key, g);
      }
      g.locs.push(l);
    }
    groups.push(...byMapping.values());
  }

  // Bytes per group: a stack counts once for each mapping it has a frame in.
  const groupOf = new Map<Location, number>();
  groups.forEach((g, i) => g.locs.forEach((l) => groupOf.set(l, i)));
  const bytes = groups.map(() => ({ any: 0, unnamed: 0 }));
  const returns = groups.map(() => new Set<bigint>());
  let total = 0;
  for (const s of run.main.samples) {
    if (s.labels.has(THREAD_LABEL)) continue;
    const v = Math.abs(s.values[3]);
    total += v;
    const seen = new Set<number>();
    const bad = new Set<number>();
    s.locations.forEach((l, i) => {
      const g = groupOf.get(l);
      if (g === undefined) return;
      seen.add(g);
      if (isUnnamed(l)) bad.add(g);
      // jemalloc's frames are all return addresses; every one but the leaf was made one less.
      if (returns[g].size < 4000) returns[g].add(l.address + (i === 0 ? 0n : 1n));
    });
    for (const g of seen) bytes[g].any += v;
    for (const g of bad) bytes[g].unnamed += v;
  }

  const mappings = groups.map((g, i): MappingRow => {
    // The mapping's file is the dump's own path; --map-path rewrites it, --lib_prefix then finds it elsewhere.
    const here = g.lib.mapping && rewrite(g.lib.mapping.file);
    const isProgram = g.lib.start === 0n || here === programPath;
    const found = g.lib.foundPath;
    const layout = readElfLayout(found);
    const how = here === undefined ? 'the program given' : found !== here ? '--lib_prefix' : rewrite(g.dumpPath) !== g.dumpPath ? '--map-path' : 'as named';
    const row: MappingRow = {
      dumpPath: g.dumpPath,
      start: g.mapping?.start ?? 0n,
      found: layout ? found : undefined,
      how,
      isProgram,
      pcs: g.locs.length,
      unnamedPcs: g.locs.filter(isUnnamed).length,
      bytesShare: total > 0 ? bytes[i].any / total : 0,
      unnamedShare: total > 0 ? bytes[i].unnamed / total : 0,
      advice: [],
    };
    if (layout) {
      // PCs in the dump's mapping of another path (a moved program) are checked through that
      // mapping: is the given file the build that ran there? PCs in no mapping at link-time addresses.
      row.build = checkSameBuild(found, layout, g.mapping, [...returns[i]]);
      row.names = nameSources(found, cwd);
    }
    row.advice = adviceFor({ dumpPath: g.dumpPath, found: row.found, program: run.programName, isProgram, build: row.build, names: row.names, unnamedShare: row.unnamedShare });
    if (g.lib.mapping === undefined && g.mapping && g.dumpPath !== programPath && row.unnamedPcs > 0) {
      row.advice.unshift(`the dump's program is ${g.dumpPath}: give it by that path, or --map-path=${dirnameOf(g.dumpPath)}=${dirnameOf(programPath)}`);
    }
    return row;
  });
  mappings.sort((a, b) => b.bytesShare - a.bytesShare || a.dumpPath.localeCompare(b.dumpPath));
  const dumps = run.files.map((f, i) => dumpFacts(profiles[i] ?? f.file, f.profile));
  return { program: run.programName, profiles, mappings, dumps, problems: [...(run.tool?.problems ?? [])] };
}

function dirnameOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** The file offset of the maps line that starts at `start`. */
function offsetOf(mapText: string, start: bigint): bigint {
  for (const l of mapText.split('\n')) {
    const m = /^([0-9a-f]+)-[0-9a-f]+\s+\S+\s+([0-9a-f]+)/i.exec(l);
    if (m && BigInt('0x' + m[1]) === start) return BigInt('0x' + m[2]);
  }
  return 0n;
}
