// Finds the local copy of a pprof mapping's file as pprof does: by build id and name under
// $PPROF_BINARY_PATH, then at its own path (after --map-path). A file whose build id differs
// from the mapping's is passed over, so a rebuilt binary never names another build's addresses.
import { join } from 'node:path';
import type { Mapping } from '../model/profile.js';
import type { ObjTool } from '../symbolize/objtool.js';

/** pprof's search path: $PPROF_BINARY_PATH (colon-separated), else $HOME/pprof/binaries. */
export function binarySearchPath(env: NodeJS.ProcessEnv): string[] {
  const given = env.PPROF_BINARY_PATH;
  if (given !== undefined && given !== '') return given.split(':').filter((d) => d !== '');
  return env.HOME ? [join(env.HOME, 'pprof', 'binaries')] : [];
}

/** Where to look for a mapping's file, best first. */
export function binaryCandidates(m: Pick<Mapping, 'file' | 'buildId'>, dirs: readonly string[], rewrite: (p: string) => string): string[] {
  const out: string[] = [];
  const base = m.file.split('/').pop() ?? '';
  const id = m.buildId?.toLowerCase();
  for (const dir of dirs) {
    if (id && /^[0-9a-f]{3,}$/.test(id)) {
      out.push(join(dir, id, base), join(dir, id));
      // The GNU debug layout (`.build-id/ab/cdef...`, the file or its .debug) and LLVM's (`ab/cdef....debug`).
      const [head, tail] = [id.slice(0, 2), id.slice(2)];
      out.push(join(dir, '.build-id', head, tail), join(dir, '.build-id', head, `${tail}.debug`), join(dir, head, `${tail}.debug`));
    }
    if (base !== '') out.push(join(dir, base));
    if (m.file.startsWith('/')) out.push(join(dir, m.file));
  }
  if (m.file !== '') out.push(rewrite(m.file));
  return out.filter((p, i) => p !== '' && out.indexOf(p) === i);
}

/**
 * The first candidate that is an ELF file with the mapping's build id (or any, when the mapping
 * has none); `mismatch` is told of files passed over for their build id.
 */
export function locateBinary(m: Pick<Mapping, 'file' | 'buildId'>, dirs: readonly string[], rewrite: (p: string) => string, tool: Pick<ObjTool, 'exists' | 'elfInfo'>, mismatch?: (path: string, found: string | undefined) => void): string | undefined {
  for (const p of binaryCandidates(m, dirs, rewrite)) {
    if (!tool.exists(p)) continue;
    const info = tool.elfInfo(p);
    if (!info) continue;
    if (m.buildId && info.buildId?.toLowerCase() !== m.buildId.toLowerCase()) {
      mismatch?.(p, info.buildId);
      continue;
    }
    return p;
  }
  return undefined;
}
