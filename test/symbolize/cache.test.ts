// The on-disk symbol cache: a second run asks no tool, and a changed binary is asked again.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CachingObjTool } from '../../src/symbolize/cache.js';
import { hash128 } from '../../src/symbolize/cache-key.js';
import { mergeRoutines, parseNmLines } from '../../src/symbolize/nm-output.js';
import { lookupProcedures } from '../../src/symbolize/procedures.js';
import { mapToSymbols } from '../../src/symbolize/symbolizer.js';
import { FakeObjTool } from '../helpers/fake-objtool.js';
import { tempDir } from '../helpers/temp-dir.js';

const TINY = new URL('../../fixtures/bin/tiny', import.meta.url).pathname;

/** The fake, counting how often nm and addr2line would have run. */
class CountingTool extends FakeObjTool {
  nm = 0;
  addr2line = 0;
  override open(path: string) {
    const f = super.open(path);
    return {
      ...f,
      symbols: (filter?: RegExp) => {
        this.nm++;
        return f.symbols(filter);
      },
      sourceLines: (addrs: readonly bigint[], sep?: bigint) => {
        this.addr2line++;
        return f.sourceLines(addrs, sep);
      },
    };
  }
}

/** A fresh folder holding a copy of the tiny binary (the cache goes in its `cache/`). */
function tinyCopy(): { dir: string; bin: string } {
  const dir = tempDir('jeprof-ts-cache-');
  const bin = join(dir, 'tiny');
  copyFileSync(TINY, bin);
  return { dir, bin };
}

async function symbolize(tool: CachingObjTool, path: string) {
  const file = tool.open(path);
  const r = await mapToSymbols(file, 0n, [0x401b0fn, 0x401c1fn]);
  file.close();
  return [...r.values()].map((t) => t.map((x) => `${x.short}@${x.fileLine}`).join('|'));
}

describe('CachingObjTool', () => {
  it('answers a second run from disk, with the same names', async () => {
    const { dir, bin } = tinyCopy();
    const first = new CountingTool();
    const a = await symbolize(new CachingObjTool(first, join(dir, 'cache'), 'tools'), bin);
    expect([first.nm, first.addr2line]).toEqual([1, 1]);
    // fixtures/bin/fake-app.json: 401b0f is helper with grow_buffer inlined, 401c1f is main.
    expect(a).toEqual(['helper@/src/app.c:30|grow_buffer@/src/buf.c:12', 'main@/src/app.c:50']);

    const second = new CountingTool();
    const b = await symbolize(new CachingObjTool(second, join(dir, 'cache'), 'tools'), bin);
    expect([second.nm, second.addr2line]).toEqual([0, 0]);
    expect(b).toEqual(a);
  });

  it('asks the tools again when the binary changes or other tools are used', async () => {
    const { dir, bin } = tinyCopy();
    await symbolize(new CachingObjTool(new CountingTool(), join(dir, 'cache'), 'tools'), bin);
    utimesSync(bin, new Date(), new Date(Date.now() + 60_000)); // rebuilt: new mtime
    const rebuilt = new CountingTool();
    await symbolize(new CachingObjTool(rebuilt, join(dir, 'cache'), 'tools'), bin);
    expect(rebuilt.addr2line).toBe(1);
    const otherTools = new CountingTool();
    await symbolize(new CachingObjTool(otherTools, join(dir, 'cache'), 'other tools'), bin);
    expect(otherTools.addr2line).toBe(1);
  });

  it('asks again when the separate debug file named by .gnu_debuglink comes or goes', async () => {
    const { dir, bin } = tinyCopy();
    class Linked extends CountingTool {
      override elfInfo(path: string) {
        return { ...super.elfInfo(path), debugLink: 'tiny.debug' };
      }
    }
    writeFileSync(join(dir, 'tiny.debug'), 'debug info');
    await symbolize(new CachingObjTool(new Linked(), join(dir, 'cache'), 'tools'), bin);
    rmSync(join(dir, 'tiny.debug'));
    const after = new Linked();
    await symbolize(new CachingObjTool(after, join(dir, 'cache'), 'tools'), bin);
    // addr2line would now find no debug information: the old answers must not be reused.
    expect(after.addr2line).toBe(1);
  });

  it('answers PCs it has seen from the entry alone, without reading the table', async () => {
    const { dir, bin } = tinyCopy();
    const a = await symbolize(new CachingObjTool(new CountingTool(), join(dir, 'cache'), 'tools'), bin);
    const table = readdirSync(join(dir, 'cache')).find((f) => f.endsWith('.table.json'));
    expect(table).toBeDefined();
    // A damaged table is never looked at while every PC is in the entry.
    writeFileSync(join(dir, 'cache', table!), '{');
    const second = new CountingTool();
    expect(await symbolize(new CachingObjTool(second, join(dir, 'cache'), 'tools'), bin)).toEqual(a);
    expect([second.nm, second.addr2line]).toEqual([0, 0]);
    // A new PC needs the table: read again from the file, since the saved one is damaged.
    const third = new CountingTool();
    const file = new CachingObjTool(third, join(dir, 'cache'), 'tools').open(bin);
    const r = await mapToSymbols(file, 0n, [0x401b0fn, 0x401b1fn, 0x401c1fn]);
    file.close();
    expect(r.get(0x401b1fn)?.map((x) => `${x.short}@${x.fileLine}`)).toEqual(['helper@/src/app.c:31']);
    expect(third.nm).toBe(1);
  });

  it('runs nm again when an entry file is cut short, and keeps non-ASCII names as they were', async () => {
    const { dir, bin } = tinyCopy();
    class Accented extends CountingTool {
      override open(path: string) {
        const f = super.open(path);
        return {
          ...f,
          symbols: async (filter?: RegExp) => {
            const t = await f.symbols(filter);
            return { ...t, symbols: t.symbols.map((x) => (x.shortName === 'main' ? { ...x, fullName: 'maïn€', shortName: 'maïn€' } : x)) };
          },
        };
      }
    }
    const first = await symbolize(new CachingObjTool(new Accented(), join(dir, 'cache'), 'tools'), bin);
    const again = new Accented();
    expect(await symbolize(new CachingObjTool(again, join(dir, 'cache'), 'tools'), bin)).toEqual(first);
    const file = new CachingObjTool(again, join(dir, 'cache'), 'tools').open(bin);
    const names = (await file.symbols()).symbols.map((x) => `${x.fullName}/${x.shortName}/${x.start.toString(16)}`);
    file.close();
    expect(again.nm).toBe(0);
    expect(names).toContain('maïn€/maïn€/401c00');

    // Both files of the entry (names and frames; the table) cut short.
    const files = readdirSync(join(dir, 'cache'));
    expect(files.length).toBe(2);
    for (const entry of files) {
      const bytes = readFileSync(join(dir, 'cache', entry));
      writeFileSync(join(dir, 'cache', entry), bytes.subarray(0, bytes.length - 3));
    }
    const damaged = new Accented();
    expect(await symbolize(new CachingObjTool(damaged, join(dir, 'cache'), 'tools'), bin)).toEqual(first);
    expect(damaged.nm).toBe(1);
  });

  it('keeps the in-process table and the names demangled so far', async () => {
    const dir = tempDir('jeprof-ts-cache-');
    const bin = join(dir, 'tiny');
    copyFileSync(TINY, bin);
    const raw = '0000000000001000 T _Z3foov\n0000000000001100 T _fini\n0000000000001200 T _Z3barv\n';
    class Lazy extends CountingTool {
      demangled: string[] = [];
      override open(path: string) {
        return {
          ...super.open(path),
          procedures: async () => ({
            ...mergeRoutines(parseNmLines(raw)),
            demangle: async (names: readonly string[]) => {
              this.demangled.push(...names);
              return new Map(names.map((n) => [n, n === '_Z3foov' ? 'foo()' : n]));
            },
          }),
        };
      }
    }
    const lookup = async (tool: Lazy) => {
      const file = new CachingObjTool(tool, join(dir, 'cache'), 'tools').open(bin);
      const p = await file.procedures!();
      const names = await lookupProcedures(p, [0x1010n], 0n, () => file.symbols());
      file.close();
      // The routines as handed out: the file's own on the first run, read back from disk after.
      const routines = p.routines.map(({ name, tagged, addr, start, end }) => ({ name, tagged, addr, start, end }));
      return [p.sepAddress, names[0], routines];
    };
    const first = new Lazy();
    const a = await lookup(first);
    expect(a.slice(0, 2)).toEqual([0x1100n, { short: 'foo', full: 'foo()<0000000000001000>' }]);
    expect(a[2]).toEqual(mergeRoutines(parseNmLines(raw)).routines.map((r) => ({ ...r })));
    expect(first.demangled).toEqual(['_Z3foov']);
    const second = new Lazy();
    expect(await lookup(second)).toEqual(a);
    expect([second.demangled, second.nm]).toEqual([[], 0]);
  });
});

describe('CachingObjTool size limit', () => {
  /** The cache folder's files with their sizes. */
  const files = (cache: string) => readdirSync(cache).map((n) => ({ name: n, size: statSync(join(cache, n)).size }));

  it('drops the entry used longest ago once a run that writes takes the folder past its limit', async () => {
    const { dir, bin } = tinyCopy();
    // Another path of the same name (the fake finds its answers by file name): another entry.
    const other = join(dir, 'b', 'tiny');
    mkdirSync(join(dir, 'b'));
    copyFileSync(bin, other);
    const cache = join(dir, 'cache');
    const first = new CachingObjTool(new CountingTool(), cache, 'tools', 1 << 30);
    await symbolize(first, bin);
    first.release();
    const one = files(cache);
    expect(one.map((f) => f.name.replace(/^[0-9a-f]{32}/, 'H')).sort()).toEqual(['H.json', 'H.table.json']);
    const entryBytes = one.reduce((a, f) => a + f.size, 0);
    // Used an hour ago: the other binary's entry is newer and is this run's own.
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const f of one) utimesSync(join(cache, f.name), hourAgo, hourAgo);

    const limit = Math.floor(entryBytes * 1.5);
    const second = new CachingObjTool(new CountingTool(), cache, 'tools', limit);
    await symbolize(second, other);
    second.release();
    const left = files(cache);
    expect(left).toHaveLength(2);
    expect(left.map((f) => f.name).some((n) => one.some((o) => o.name === n))).toBe(false);

    // The dropped binary is asked again; the kept one is answered from disk.
    const again = new CountingTool();
    await symbolize(new CachingObjTool(again, cache, 'tools', limit), bin);
    expect(again.addr2line).toBe(1);
    const kept = new CountingTool();
    await symbolize(new CachingObjTool(kept, cache, 'tools', limit), other);
    expect(kept.addr2line).toBe(0);
  });

  it('marks an entry used when a run reads it, and a run that only reads never prunes', async () => {
    const { dir, bin } = tinyCopy();
    const cache = join(dir, 'cache');
    const first = new CachingObjTool(new CountingTool(), cache, 'tools');
    await symbolize(first, bin);
    first.release();
    const dayAgo = new Date(Date.now() - 86_400_000);
    const stray = join(cache, `${'f'.repeat(32)}.json`);
    writeFileSync(stray, 'x'.repeat(10_000));
    for (const f of readdirSync(cache)) utimesSync(join(cache, f), dayAgo, dayAgo);

    const warm = new CountingTool();
    const reader = new CachingObjTool(warm, cache, 'tools', 100);
    await symbolize(reader, bin);
    reader.release();
    expect(warm.addr2line).toBe(0);
    // Over its limit of 100 bytes, yet nothing removed: this run wrote nothing.
    expect(statSync(stray).size).toBe(10_000);
    const entry = readdirSync(cache).find((n) => n !== `${'f'.repeat(32)}.json` && !n.includes('.table.'))!;
    expect(statSync(join(cache, entry)).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('hash128 (entry file names)', () => {
  it('gives 32 hex digits, the same for the same key, and different ones for keys a character apart', () => {
    const base = '6\n{"addr2line":"addr2line"}\n/usr/lib/x86_64-linux-gnu/libc.so.6:1922136:1700000000000:339704\n';
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const h = hash128(base + i);
      expect(h).toMatch(/^[0-9a-f]{32}$/);
      expect(hash128(base + i)).toBe(h);
      seen.add(h);
      // Each 32-bit lane on its own differs too, so no lane is left constant.
      seen.add(`lane:${h.slice(0, 8)}`);
    }
    expect(seen.size).toBe(4000);
    expect(hash128('')).not.toBe(hash128('\0'));
  });
});
