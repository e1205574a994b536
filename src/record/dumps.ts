// The dumps a recorded run left: jemalloc names them <prof_prefix>.<pid>.<seq>.<kind><n>.heap
// (jemalloc 5.3 src/prof_sys.c, prof_dump_filename): i interval, m manual, u growth, f final.
import { closeSync, existsSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LocationTable } from '../model/locations.js';
import { parseProfileFd } from '../parse/index.js';
import { executableMappings } from '../parse/proc-maps.js';
import { peekDump } from '../parse/peek.js';

export interface DumpFile {
  path: string;
  pid: number;
  /** jemalloc's dump counter, over all kinds: the order they were written in. */
  seq: number;
  kind: 'i' | 'm' | 'u' | 'f';
}

const NAME = /^jeprof\.(\d+)\.(\d+)\.([imuf])(\d*)\.heap$/;

/** The dumps in `dir` written under prof_prefix `<dir>/jeprof`, in the order they were written. */
export function listDumps(dir: string): DumpFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: DumpFile[] = [];
  for (const n of names) {
    const m = NAME.exec(n);
    if (m) out.push({ path: join(dir, n), pid: Number(m[1]), seq: Number(m[2]), kind: m[3] as DumpFile['kind'] });
  }
  return out.sort((a, b) => a.pid - b.pid || a.seq - b.seq);
}

/** The dumps of one process: the command's own when it wrote any, else the process that wrote most. */
export function dumpsOfMainProcess(dumps: readonly DumpFile[], pid: number | undefined): DumpFile[] {
  const own = dumps.filter((d) => d.pid === pid);
  if (own.length > 0) return own;
  const counts = new Map<number, number>();
  for (const d of dumps) counts.set(d.pid, (counts.get(d.pid) ?? 0) + 1);
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  return best ? dumps.filter((d) => d.pid === best[0]) : [];
}

export interface LeakHunt {
  /** The first interval dump, when there are two or more. */
  base?: DumpFile;
  /** The last interval dump, else the final dump, else the last one. */
  profile: DumpFile;
  /** Every interval dump, in order, when there are two or more: the series the trend ranks. */
  series?: DumpFile[];
}

/** What the leak hunt looks at: the interval dumps (two or more), else the final dump alone (else the last one). */
export function leakHuntDumps(dumps: readonly DumpFile[]): LeakHunt | undefined {
  const intervals = dumps.filter((d) => d.kind === 'i');
  if (intervals.length >= 2) return { base: intervals[0], profile: intervals[intervals.length - 1], series: intervals };
  const final = dumps.filter((d) => d.kind === 'f').pop();
  const last = final ?? dumps[dumps.length - 1];
  return last ? { profile: last } : undefined;
}

/**
 * The executable the dump's process ran, from its MAPPED_LIBRARIES (the first executable mapping
 * that is not a shared library): for a script, the interpreter; undefined when not on this disk.
 */
export function programOfDump(path: string): string | undefined {
  const { mapText } = peekDump(path);
  if (mapText === undefined) return undefined;
  const m = executableMappings(mapText).find((x) => !x.library && x.path.startsWith('/'));
  return m && existsSync(m.path) ? m.path : undefined;
}

export interface DumpContents {
  /** Stacks with in-use bytes (the all-threads rows). */
  stacks: number;
  /** In-use bytes, unsampled. */
  bytes: number;
  /** Stacks with a frame in the program's own (non-library) mappings. */
  ownStacks: number;
}

function readDump(path: string, table: LocationTable) {
  const fd = openSync(path, 'r');
  try {
    return parseProfileFd(fd, path, table, { threadRows: false });
  } finally {
    closeSync(fd);
  }
}

/** A heap dump's sample values: objects and bytes allocated, then objects and bytes in use. */
const INUSE = 3;

/** How much a dump holds, and how much of it the program itself allocated (not only the C library's start-up). */
export function dumpContents(path: string): DumpContents {
  const file = readDump(path, new LocationTable());
  const own = executableMappings(file.mapText).filter((m) => !m.library);
  let stacks = 0;
  let bytes = 0;
  let ownStacks = 0;
  for (const s of file.profile.samples) {
    if (s.values[INUSE] === 0) continue;
    stacks++;
    bytes += s.values[INUSE];
    if (s.locations.some((l) => own.some((m) => l.address >= m.start && l.address <= m.limit))) ownStacks++;
  }
  return { stacks, bytes, ownStacks };
}

/** Whether some stack (the same addresses) holds more in use in the dump `last` than in `first`. */
export function someStackGrew(first: string, last: string): boolean {
  const table = new LocationTable();
  const held = (path: string) => {
    const m = new Map<string, number>();
    for (const s of readDump(path, table).profile.samples) {
      const key = s.locations.map((l) => l.id).join(',');
      m.set(key, (m.get(key) ?? 0) + s.values[INUSE]);
    }
    return m;
  };
  const before = held(first);
  for (const [key, v] of held(last)) if (v > (before.get(key) ?? 0)) return true;
  return false;
}
