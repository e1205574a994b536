// The name of a symbol cache entry: a key of everything that can change the tools' answers about an
// object file (its identity: path, size, mtime, inode, GNU build id; every place its debug
// information may come from, debug-search.ts; which nm/addr2line are used), hashed to a file name.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { entryFileName } from './cache-prune.js';
import { altLinkCandidates, bfdDebugCandidates, jeprofDebugCandidates } from './debug-search.js';
import type { ObjTool } from './objtool.js';

// 2: the nm table in columns (one string each), which JSON.parse reads several times faster.
// 3: the table before demangling. 4: names per PC in the entry, the table in a file of its own.
// 5: each text once, addresses and references in flat lists (cache-format.ts). 6: its check.
// (Entry file names changed with hash128 on 2026-12-02: older entries are simply not found.)
export const VERSION = 6;

/**
 * 128 bits of hash as 32 hex digits: the entry's file name. Four 32-bit FNV-1a lanes with their
 * own offset bases and primes, in plain integer arithmetic: one 128-bit FNV-1a in BigInt cost
 * 0.6 ms per key, 9 ms a cold run. Not node:crypto, whose loading alone costs a warm run more than
 * all its hashing; a collision only costs a miss (entries keep their key).
 */
export function hash128(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  let c = 0x6c62272e;
  let d = 0x62b82175;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x01000197);
    c = Math.imul(c ^ ch, 0x0100019d);
    d = Math.imul(d ^ ch, 0x010001a9);
  }
  // Each lane mixed with the others at the end, so no lane's weak bits show alone.
  const fin = (h: number, salt: number) => {
    h = Math.imul(h ^ (h >>> 16) ^ salt, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return ((h ^ (h >>> 16)) >>> 0).toString(16).padStart(8, '0');
  };
  return fin(a, d) + fin(b, a) + fin(c, b) + fin(d, c);
}

/** A file's identity for the key; most debug-file candidates do not exist, and an exception per
 *  missing one (with its stack trace) would cost more than the rest of the key. */
function statKey(path: string): string {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return st ? `${path}:${st.size}:${st.mtimeMs}:${st.ino}` : `${path}:-`;
  } catch {
    return `${path}:-`;
  }
}

/**
 * The cache file for an object file and its key, or undefined when the file cannot be identified
 * (missing, or not a regular file). `tool` says what the file's ELF notes hold; `salt` is anything
 * else that changes the answers (tool paths); `cwd` is the tools' working folder, where BFD looks
 * for `.build-id/` debug files too.
 */
export function identifyEntry(path: string, dir: string, salt: string, cwd: string, tool: Pick<ObjTool, 'elfInfo' | 'exists'>): { file: string; key: string } | undefined {
  let st;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  if (!st.isFile()) return undefined;
  const elf = tool.elfInfo(path);
  const key = [VERSION, salt, statKey(path), elf?.buildId ?? '', ...debugFiles(path, cwd, tool).map(statKey)].join('\n');
  return { file: join(dir, entryFileName(hash128(key))), key };
}

/**
 * Every place debug information for `path` may come from, derived from the readers' own search
 * (debug-search.ts): BFD's build-id and debuglink candidates, jeprof's by-path copies, and the
 * dwz alt file named by any of them that exists. An answer is reused only while each of these
 * is as it was: there, with the same size, mtime and inode, or still missing.
 */
function debugFiles(path: string, cwd: string, tool: Pick<ObjTool, 'elfInfo' | 'exists'>): string[] {
  const elf = tool.elfInfo(path);
  const found = [...jeprofDebugCandidates(path, elf?.buildId, true), ...bfdDebugCandidates(path, elf, cwd)];
  const out = [...found];
  for (const f of [path, ...found]) {
    const alt = (f === path ? elf : tool.exists(f) ? tool.elfInfo(f) : undefined)?.debugAltLink;
    if (alt) out.push(...altLinkCandidates(f, alt, cwd));
  }
  return out;
}

/** $JEPROF_TS_CACHE, else $XDG_CACHE_HOME/jeprof-ts, else ~/.cache/jeprof-ts. */
export function defaultCacheDir(env: NodeJS.ProcessEnv, home: string): string {
  if (env.JEPROF_TS_CACHE) return env.JEPROF_TS_CACHE;
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'jeprof-ts');
}
