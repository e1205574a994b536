// Names the PCs of a pprof profile that carries only addresses, mappings and build ids
// (jemalloc_pprof's output): each mapping's file is found here (binary-path.ts) and read with
// the same nm/addr2line symbolizer as a dump's libraries.
import type { Location, Mapping } from '../model/profile.js';
import { buildLibraries, type Library } from '../symbolize/libraries.js';
import type { ObjTool } from '../symbolize/objtool.js';
import { symbolizeLocations } from '../symbolize/symbolizer.js';
import { locateBinary } from './binary-path.js';

export interface PprofSymbolizeOptions {
  /** The program named on the command line: used for the mapping of the same name or build id. */
  program?: string;
  /** $PPROF_BINARY_PATH's folders. */
  searchPath: readonly string[];
  /** --map-path. */
  rewrite: (p: string) => string;
  libPrefixes: readonly string[];
  debugByBuildId: boolean;
  warn: (msg: string) => void;
}

/** Symbolizes `unnamed` in place; returns the libraries (for --list/--disasm). */
export async function symbolizePprof(unnamed: readonly Location[], mappings: readonly Mapping[], o: PprofSymbolizeOptions, tool: ObjTool): Promise<Library[]> {
  const programInfo = o.program === undefined ? undefined : tool.elfInfo(o.program);
  const local: Mapping[] = [];
  const count = new Map<Mapping, number>();
  for (const loc of unnamed) if (loc.mapping) count.set(loc.mapping, (count.get(loc.mapping) ?? 0) + 1);
  for (const m of mappings) {
    const n = count.get(m) ?? 0;
    if (n === 0) continue;
    const isProgram = o.program !== undefined && ((m.buildId !== undefined && m.buildId === programInfo?.buildId) || basename(m.file) === basename(o.program));
    const found = isProgram ? o.program : locateBinary(m, o.searchPath, o.rewrite, tool, (p, id) => o.warn(`ignoring ${p}: build id ${id ?? 'none'} is not the profile's ${m.buildId}`));
    if (found === undefined) {
      const id = m.buildId ? ` (build id ${m.buildId})` : '';
      o.warn(`${m.file}${id}: no local copy found (looked by path, --map-path and under $PPROF_BINARY_PATH); its ${n} address(es) print as numbers`);
      continue;
    }
    // The model's Mapping stays as the profile wrote it; the library reads the local file.
    local.push({ ...m, file: found });
  }
  if (local.length === 0) return [];
  const libraries = buildLibraries(local, { program: o.program ?? local[0].file, libPrefixes: o.libPrefixes, maxPc: 0n, debugByBuildId: o.debugByBuildId }, tool);
  // Each library points back at the profile's own Mapping, which the Locations keep.
  for (const lib of libraries) {
    const i = local.findIndex((m) => m === lib.mapping);
    if (i >= 0) lib.mapping = mappings.find((m) => m.id === local[i].id);
  }
  await symbolizeLocations(unnamed, libraries, tool);
  return libraries;
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
