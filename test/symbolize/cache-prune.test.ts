// Tests pruneCache and parseCacheSize (src/symbolize/cache-prune.ts): the symbol cache stays under
// its limit by dropping the entries least recently used, each with its table, never this run's.
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCacheSize, pruneCache } from '../../src/symbolize/cache-prune.js';
import { tempDir } from '../helpers/temp-dir.js';

const NOW = Date.parse('2026-12-03T08:00:00Z');
const hex = (n: number) => n.toString(16).padStart(32, '0');

/** Writes `name` with `bytes` bytes, last modified `minutesAgo` before NOW. */
function put(dir: string, name: string, bytes: number, minutesAgo: number): string {
  const p = join(dir, name);
  writeFileSync(p, Buffer.alloc(bytes, 0x20));
  const t = new Date(NOW - minutesAgo * 60_000);
  utimesSync(p, t, t);
  return p;
}

/** Entry n: its answers (`bytes`) and a table of 100 bytes, used `minutesAgo`. */
function entry(dir: string, n: number, bytes: number, minutesAgo: number): string {
  put(dir, `${hex(n)}.table.json`, 100, minutesAgo);
  return put(dir, `${hex(n)}.json`, bytes, minutesAgo);
}

describe('pruneCache', () => {
  it('leaves a folder under its limit alone', () => {
    const dir = tempDir('jeprof-ts-prune-');
    for (let n = 1; n <= 3; n++) entry(dir, n, 900, n);
    expect(pruneCache(dir, 3000, new Set(), NOW)).toEqual({ before: 3000, removed: 0, after: 3000 });
    expect(readdirSync(dir)).toHaveLength(6);
  });

  it('drops the least recently used entries with their tables, down to 80% of the limit', () => {
    const dir = tempDir('jeprof-ts-prune-');
    // Entries of 1,000 bytes each (answers 900 + table 100), used 10, 50, 20, 40 and 30 minutes ago.
    [10, 50, 20, 40, 30].forEach((ago, i) => entry(dir, i + 1, 900, ago));
    // 5,000 bytes against a limit of 4,500: down to 3,600 means three entries left; 2 and 4 are oldest.
    expect(pruneCache(dir, 4500, new Set(), NOW)).toEqual({ before: 5000, removed: 2, after: 3000 });
    expect(readdirSync(dir).sort()).toEqual([1, 3, 5].flatMap((n) => [`${hex(n)}.json`, `${hex(n)}.table.json`]));
  });

  it('never drops a file this run used, however old', () => {
    const dir = tempDir('jeprof-ts-prune-');
    const old = entry(dir, 1, 900, 500);
    entry(dir, 2, 900, 5);
    entry(dir, 3, 900, 1);
    expect(pruneCache(dir, 2500, new Set([old]), NOW).removed).toBe(1);
    expect(existsSync(old)).toBe(true);
    expect(existsSync(join(dir, `${hex(2)}.json`))).toBe(false);
    expect(existsSync(join(dir, `${hex(3)}.json`))).toBe(true);
  });

  it('removes temp files of writes cut short an hour ago, and nothing it does not know', () => {
    const dir = tempDir('jeprof-ts-prune-');
    put(dir, `${hex(1)}.json.4242.tmp`, 50, 61);
    const fresh = put(dir, `${hex(2)}.table.json.4243.tmp`, 50, 5);
    const other = put(dir, 'notes.txt', 5000, 999);
    const notOurs = put(dir, 'abc.json', 5000, 999);
    expect(pruneCache(dir, 10, new Set(), NOW)).toEqual({ before: 0, removed: 0, after: 0 });
    expect(readdirSync(dir).map((n) => join(dir, n)).sort()).toEqual([fresh, notOurs, other].sort());
  });

  it('counts an entry whose table is missing, and a table whose answers are missing', () => {
    const dir = tempDir('jeprof-ts-prune-');
    put(dir, `${hex(1)}.json`, 1000, 30);
    put(dir, `${hex(2)}.table.json`, 1000, 20);
    entry(dir, 3, 900, 10);
    expect(pruneCache(dir, 2400, new Set(), NOW)).toEqual({ before: 3000, removed: 2, after: 1000 });
    expect(readdirSync(dir).sort()).toEqual([`${hex(3)}.json`, `${hex(3)}.table.json`]);
  });

  it('gives up quietly on a folder that is not there', () => {
    expect(pruneCache(join(tempDir('jeprof-ts-prune-'), 'none'), 10)).toEqual({ before: 0, removed: 0, after: 0 });
  });
});

describe('parseCacheSize', () => {
  it('reads bytes and K, M, G, T in powers of 1024', () => {
    expect(parseCacheSize('1048576')).toBe(1048576);
    expect(parseCacheSize('500M')).toBe(500 * 1024 ** 2);
    expect(parseCacheSize('2g')).toBe(2 * 1024 ** 3);
    expect(parseCacheSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseCacheSize(' 64 KB ')).toBe(64 * 1024);
    expect(parseCacheSize('1T')).toBe(1024 ** 4);
    expect(parseCacheSize('0')).toBe(0);
  });

  it('refuses what is not a size', () => {
    for (const bad of ['', 'abc', '-1G', '1X', '1 G B', '0x10', '1e9', 'G']) expect(parseCacheSize(bad), bad).toBeUndefined();
  });
});
