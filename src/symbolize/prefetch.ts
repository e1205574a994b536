// Starts the tools of a cold run before the dump is read, while this process is small (see
// early-runs.ts): the program's and the object files the dump's stacks likely hit, from a peek at
// the dump (src/parse/peek.ts, which the loader hands in). Returns what to tell of each new PC
// the parser meets, so the early addr2line runs get their addresses while the dump is read.
import type { Location, Mapping } from '../model/profile.js';
import type { Library } from './libraries.js';
import type { ObjTool } from './objtool.js';
import { libraryFinder, pcRouter } from './pc-router.js';

export interface PrefetchRequest {
  /** The first profile's map section and the PCs of stacks sampled across it (undefined map: none found). */
  peek(): { mapText?: string; pcs: readonly bigint[] };
  /** The program's file (its /usr/lib/debug copy where jeprof would read that). */
  program: string;
  /** The map section's mappings (the parser's rules, --map-path applied). */
  mappings: (mapText: string) => Mapping[];
  /** The library list symbolization will use, for those mappings. */
  libraries: (mappings: Mapping[]) => Library[];
}

/**
 * Asks `tool` to start what the run will likely need (ObjTool.prepare); resolves once they run.
 * The result, when tools were started and the libraries are known, takes each Location the parser
 * makes and streams its PC to its file's early addr2line.
 */
export async function prefetch(tool: ObjTool, req: PrefetchRequest): Promise<((loc: Location) => void) | undefined> {
  let route: ((pc: bigint) => void) | undefined;
  let hit = new Map<string, bigint>();
  await tool.prepare?.(
    req.program,
    () => {
      try {
        const peeked = req.peek();
        if (peeked.mapText === undefined) return [];
        const libs = req.libraries(req.mappings(peeked.mapText));
        if (tool.stream) route = pcRouter(libs, (path, address) => tool.stream!(path, address));
        hit = filesHit(peeked.pcs, libs);
        return [...hit.keys()];
      } catch {
        // Only a guess: the program alone starts early.
        return [];
      }
    },
    // Each file's first PC seen goes to its tool as soon as it runs (the parser tells it again).
    () => {
      for (const pc of hit.values()) route?.(pc);
    },
  );
  return route && ((loc) => route!(loc.address));
}

/**
 * The libraries that `pcs` fall in (see libraryFinder), each with the first such PC: its tool can
 * be asked it before the dump is read.
 */
export function filesHit(pcs: readonly bigint[], libraries: readonly Library[]): Map<string, bigint> {
  const find = libraryFinder(libraries);
  const hit = new Map<string, bigint>();
  for (const pc of pcs) {
    const lib = find(pc);
    if (lib && !hit.has(lib.path)) hit.set(lib.path, pc);
  }
  return hit;
}
