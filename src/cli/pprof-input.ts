// Tells whether a run reads pprof files (by content, src/pprof/sniff.ts), cheaply: the loader
// (pprof-load.ts) and the protobuf code are loaded only when it does.
import { closeSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../model/errors.js';
import { looksLikePprof } from '../pprof/sniff.js';
import { requireRegularFile } from './files.js';
import type { RunOptions } from './options.js';

const HEAP_NAMES: readonly string[] = ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects'];

export function isPprofFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(64);
    return looksLikePprof(b.subarray(0, readSync(fd, b, 0, b.length, 0)));
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the run reads pprof files: the first argument is one (then no program is given), or the
 * profiles after the program are. Dumps and pprof files in one run are refused: their PCs and
 * values do not add up (a dump's are unsymbolized and unsampled here, a pprof file's are not).
 */
export function pprofInputs(o: RunOptions, cwd: string): boolean {
  const first = requireRegularFile(o.positionals[0], cwd, 'program');
  const firstIsPprof = isPprofFile(first);
  const profiles = firstIsPprof ? o.positionals : o.positionals.slice(1);
  const kinds = new Map<boolean, string>();
  for (const p of profiles) kinds.set(isPprofFile(requireRegularFile(p, cwd, 'profile')), p);
  if (o.base) kinds.set(isPprofFile(requireRegularFile(o.base, cwd, 'base profile')), o.base);
  if (kinds.size > 1) throw new UsageError(`${kinds.get(true)} is a pprof profile and ${kinds.get(false)} a jemalloc dump: they cannot be mixed in one run (convert the dumps with \`jeprof-ts proto\` first)`);
  const pprof = firstIsPprof || kinds.has(true);
  if (!pprof && o.sampleIndex !== undefined && !HEAP_NAMES.includes(o.sampleIndex)) {
    throw new UsageError(`--sample_index=${o.sampleIndex}: jemalloc dumps have ${HEAP_NAMES.join(', ')}`);
  }
  return pprof;
}

