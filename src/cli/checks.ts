// Warnings for mistakes jeprof answers silently: dumps of different processes mixed together, and
// a program argument that is not the binary the dumps were taken from.
import { basename, dirname } from 'node:path';
import type { LocationTable } from '../model/locations.js';
import { executableMappings } from '../parse/proc-maps.js';

/** jemalloc names dumps `<prefix>.<pid>.<seq>.<i|m|f|u><n>.heap`; different pids in one command are suspect. */
export function mixedProcessWarning(files: readonly string[]): string | undefined {
  const pids = new Map<string, string[]>();
  for (const f of files) {
    const m = /(?:^|\.)(\d+)\.\d+\.[imfu]\d*\.heap$/.exec(basename(f));
    if (!m) continue;
    // Pushed, not copied: a copy per file was quadratic in a series of hundreds of dumps.
    const list = pids.get(m[1]);
    if (list) list.push(f);
    else pids.set(m[1], [f]);
  }
  if (pids.size < 2) return undefined;
  const list = [...pids].map(([pid, fs]) => `${pid} (${fs.length} file${fs.length > 1 ? 's' : ''})`).join(', ');
  return `these dumps come from different processes: pids ${list}; their stacks are added as if from one run (did a glob catch old dumps?)`;
}

function unnamed(table: LocationTable, start: bigint, limit: bigint): { total: number; unnamed: number } {
  let total = 0;
  let bad = 0;
  // Indexed, not for-of: once per run over every PC (see disambiguationMap).
  for (let i = 0; i < table.all.length; i++) {
    const loc = table.all[i];
    if (loc.address < start || loc.address > limit) continue;
    total++;
    if (loc.lines.length === 0 || loc.lines[0].func.name.startsWith('0x')) bad++;
  }
  return { total, unnamed: bad };
}

/**
 * jeprof finds the program's frames only when the program argument is the very path the process
 * ran from (for PIE binaries), and uses a rebuilt binary blindly. Either way its rows turn into
 * `0x0000...` addresses; we say why and what to do.
 */
export function programMismatchWarning(
  mapText: string,
  programArg: string,
  programPath: string,
  table: LocationTable,
  /** --map-path, as parseMappedLibraries applied it. */
  rewrite: (path: string) => string = (p) => p,
): string | undefined {
  for (const m of executableMappings(mapText, rewrite)) {
    if (m.library) continue;
    const { total, unnamed: bad } = unnamed(table, m.start, m.limit);
    if (total === 0 || bad === 0) continue;
    if (m.path !== programPath) {
      return (
        `the dumps were taken from ${m.path}, not ${programPath}: ${bad} of ${total} addresses in it have no name. ` +
        `Give the program by that path, or add --map-path=${dirname(m.path)}=${dirname(programArg)}`
      );
    }
    if (bad * 2 > total) {
      return `${programArg} does not look like the binary the dumps came from: ${bad} of ${total} addresses in it fall outside its symbols (rebuilt since the run?)`;
    }
  }
  return undefined;
}
