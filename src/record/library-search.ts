// Finds the file the dynamic loader would load for a DT_NEEDED name, the way ld.so(8) searches
// (RPATH, LD_LIBRARY_PATH, RUNPATH, /etc/ld.so.cache, the default folders), without running ldd:
// ldd may execute the program it is asked about.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readElfLayout, type ElfLayout } from '../symbolize/elf-layout.js';

/** The default folders after the cache: Debian's multiarch ones, then the classic ones. */
const DEFAULT_DIRS = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib64', '/usr/lib64', '/lib', '/usr/lib'];
const CACHE_MAGIC = 'glibc-ld.so.cache1.1';

export interface LoadedObject {
  path: string;
  layout: ElfLayout;
}

/**
 * soname -> paths from glibc's ld.so.cache (the "new" format, glibc 2.32 and later write only it):
 * a 48-byte header, then 24-byte entries whose key (the soname) and value (the path) are offsets
 * from the header's start.
 */
export function readLdCache(bytes: Buffer): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const at = bytes.indexOf(CACHE_MAGIC, 0, 'latin1');
  if (at < 0 || at + 48 > bytes.length) return out;
  const count = bytes.readUInt32LE(at + 20);
  const str = (off: number) => {
    const start = at + off;
    if (start >= bytes.length) return '';
    const end = bytes.indexOf(0, start);
    return bytes.toString('utf8', start, end < 0 ? bytes.length : end);
  };
  for (let i = 0; i < count; i++) {
    const e = at + 48 + i * 24;
    if (e + 24 > bytes.length) break;
    const key = str(bytes.readUInt32LE(e + 4));
    const value = str(bytes.readUInt32LE(e + 8));
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

let systemCache: Map<string, string[]> | undefined;

function ldCache(): Map<string, string[]> {
  if (!systemCache) {
    try {
      systemCache = readLdCache(readFileSync('/etc/ld.so.cache'));
    } catch {
      systemCache = new Map();
    }
  }
  return systemCache;
}

/** `$ORIGIN` is the folder of the object that holds the path list; empty entries mean the working folder. */
function expand(list: string | undefined, origin: string, cwd: string): string[] {
  if (!list) return [];
  return list.split(':').map((d) => resolve(cwd, d.replace(/\$\{ORIGIN\}|\$ORIGIN/g, origin).replace(/\$\{LIB\}|\$LIB/g, 'lib/x86_64-linux-gnu').replace(/\$\{PLATFORM\}|\$PLATFORM/g, 'x86_64')));
}

/**
 * The file ld.so would load for `name`, needed by `needer` in a process started from `exe`,
 * or undefined when none is found. Candidates of another machine (a 32-bit copy) are passed over,
 * as ld.so does.
 */
export function resolveNeeded(name: string, needer: LoadedObject, exe: LoadedObject, env: NodeJS.ProcessEnv, cwd: string, cache = ldCache()): LoadedObject | undefined {
  const fits = (path: string): LoadedObject | undefined => {
    const layout = readElfLayout(path);
    return layout && layout.machine === exe.layout.machine ? { path, layout } : undefined;
  };
  if (name.includes('/')) return fits(resolve(cwd, name));
  const dirs: string[] = [];
  // DT_RPATH counts only when the object has no DT_RUNPATH; the executable's RPATH applies to all.
  if (!needer.layout.runpath) {
    dirs.push(...expand(needer.layout.rpath, dirname(needer.path), cwd));
    if (needer !== exe && !exe.layout.runpath) dirs.push(...expand(exe.layout.rpath, dirname(exe.path), cwd));
  }
  dirs.push(...expand(env.LD_LIBRARY_PATH, dirname(needer.path), cwd));
  dirs.push(...expand(needer.layout.runpath, dirname(needer.path), cwd));
  for (const d of dirs) {
    const found = fits(`${d}/${name}`);
    if (found) return found;
  }
  for (const p of cache.get(name) ?? []) {
    const found = fits(p);
    if (found) return found;
  }
  for (const d of DEFAULT_DIRS) {
    const found = fits(`${d}/${name}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * Every object the loader would bring in for `exe`, breadth first as ld.so orders them, up to
 * `limit` files. `stop` ends the walk early when it returns true for an object.
 */
export function walkNeeded(exe: LoadedObject, env: NodeJS.ProcessEnv, cwd: string, stop: (o: LoadedObject) => boolean, limit = 400): LoadedObject | undefined {
  const seen = new Set<string>();
  const queue: LoadedObject[] = [exe];
  while (queue.length > 0 && seen.size < limit) {
    const o = queue.shift()!;
    for (const name of o.layout.needed) {
      if (seen.has(name)) continue;
      seen.add(name);
      const lib = resolveNeeded(name, o, exe, env, cwd);
      if (!lib) continue;
      if (stop(lib)) return lib;
      queue.push(lib);
    }
  }
  return undefined;
}
