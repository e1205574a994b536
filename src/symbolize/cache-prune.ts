// Keeps the symbol cache under a size limit. Every rebuild of a program leaves an entry behind
// (megabytes for a big one), so without a limit the folder only grows. Entries least recently
// used go first, down to 80% of the limit as ccache does, so the next runs need not prune again.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The folder's layout, written by CachingObjTool through the three names below and read back
// here by the two patterns after them.
/** An entry's answers file, named by the 32 hex digits of its key's hash. */
export const entryFileName = (hash: string): string => `${hash}.json`;
/** The entry's symbol table, in a file of its own next to its answers. */
export const tableFileOf = (entryFile: string): string => entryFile.replace(/\.json$/, '.table.json');
/** Where process `pid` writes `file` before renaming it into place: a reader never sees half a file. */
export const tempFileOf = (file: string, pid: number): string => `${file}.${pid}.tmp`;
const ENTRY = /^([0-9a-f]{32})(\.table)?\.json$/;
/** A temp file left behind is a write cut short: its process is gone. */
const TEMP = /^[0-9a-f]{32}(\.table)?\.json\.\d+\.tmp$/;
/** A temp file this old is no other run's write in progress. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const LOW_WATER = 0.8;

/** The default limit: room for the entries of some hundred big programs and their libraries. */
export const DEFAULT_CACHE_BYTES = 1024 ** 3;

export interface PruneResult {
  /** Bytes of entries in the folder before pruning. */
  before: number;
  /** Entries (answers and table together) removed. */
  removed: number;
  /** Bytes of entries left. */
  after: number;
}

/**
 * Removes the least recently used entries of the cache folder `dir` (by their files' mtime, which
 * a run sets when it reads them) while the entries take more than `maxBytes`, down to 80% of it,
 * never one whose file is in `keep` (the files this run used). Stale temp files go too; files of
 * any other name are left alone. A file another run removes or rewrites meanwhile is skipped.
 */
export function pruneCache(dir: string, maxBytes: number, keep: ReadonlySet<string> = new Set(), now = Date.now()): PruneResult {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { before: 0, removed: 0, after: 0 };
  }
  const entries = new Map<string, { files: string[]; bytes: number; used: number; kept: boolean }>();
  let total = 0;
  for (const name of names) {
    const path = join(dir, name);
    const m = ENTRY.exec(name);
    if (!m && !TEMP.test(name)) continue;
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st?.isFile()) continue;
    if (!m) {
      if (now - st.mtimeMs > STALE_TEMP_MS) rmSync(path, { force: true });
      continue;
    }
    let e = entries.get(m[1]);
    if (!e) entries.set(m[1], (e = { files: [], bytes: 0, used: 0, kept: false }));
    // The answers before the table: an entry's names are never left without the table they came from.
    if (m[2]) e.files.push(path);
    else e.files.unshift(path);
    e.bytes += st.size;
    e.used = Math.max(e.used, st.mtimeMs);
    e.kept ||= keep.has(path);
    total += st.size;
  }
  const before = total;
  let removed = 0;
  if (total > maxBytes) {
    const target = Math.floor(maxBytes * LOW_WATER);
    const oldestFirst = [...entries.values()].filter((e) => !e.kept).sort((a, b) => a.used - b.used);
    for (const e of oldestFirst) {
      if (total <= target) break;
      for (const f of e.files) rmSync(f, { force: true });
      total -= e.bytes;
      removed++;
    }
  }
  return { before, removed, after: total };
}

export interface CacheContents {
  /** Entries (an answers file with its table, when it has one). */
  entries: number;
  /** Bytes of the entries' files. */
  bytes: number;
  /** Temp files of writes in progress or cut short. */
  temps: number;
}

/** What the cache folder holds, by the names its writer gives; a missing folder holds nothing. Throws when `dir` cannot be read. */
export function cacheContents(dir: string): CacheContents {
  const out: CacheContents = { entries: 0, bytes: 0, temps: 0 };
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw e;
  }
  const hashes = new Set<string>();
  for (const name of names) {
    const m = ENTRY.exec(name);
    if (!m && !TEMP.test(name)) continue;
    const st = statSync(join(dir, name), { throwIfNoEntry: false });
    if (!st?.isFile()) continue;
    if (m) {
      hashes.add(m[1]);
      out.bytes += st.size;
    } else {
      out.temps++;
    }
  }
  out.entries = hashes.size;
  return out;
}

/**
 * Removes every entry and temp file of the cache folder, and nothing else: a folder that was set
 * by mistake to one holding other files keeps them. Returns what was there.
 */
export function clearCache(dir: string): CacheContents {
  const before = cacheContents(dir);
  for (const name of readdirSafe(dir)) {
    if (ENTRY.test(name) || TEMP.test(name)) rmSync(join(dir, name), { force: true });
  }
  return before;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * A size as $JEPROF_TS_CACHE_SIZE gives it: bytes, or a number with K, M, G or T (powers of
 * 1024, an optional B or iB after it): `500M`, `2G`, `1.5GiB`. Undefined when it is not one.
 */
export function parseCacheSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const bytes = Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()];
  return Number.isFinite(bytes) ? Math.floor(bytes) : undefined;
}
