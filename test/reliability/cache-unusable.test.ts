// A symbol cache that cannot be used costs speed, never the report: for a file in the folder's
// place, a folder this user may not touch, a full disk and a damaged entry, each run prints one
// warning and exactly the --no-cache report, exit 0. And `jeprof-ts cache [clear]`.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { installCase } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp-dir.js';
import { ROOT } from './mutations.js';

const ARGS = ['--text', '/opt/jeprof-corpus/seed-leak/app', 'jeprof.7069.8.f.heap'];
let where = '';
let want = '';
let dir = '';

beforeAll(async () => {
  where = installCase('seed-leak');
  dir = tempDir('jeprof-ts-cache-bad-');
  const plain = await runCli(['--no-cache', ...ARGS], { cwd: where });
  expect(plain.code).toBe(0);
  want = plain.stdout;
});

/** The warnings a run printed about the cache. */
const cacheWarnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('jeprof-ts: warning: symbol cache '));

describe('an unusable symbol cache', () => {
  it('a regular file where the folder should be: one warning, the --no-cache report', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder\n');
    for (let run = 0; run < 2; run++) {
      const r = await runCli(ARGS, { cwd: where, env: { JEPROF_TS_CACHE: file } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(want);
      expect(cacheWarnings(r.stderr)).toEqual([`jeprof-ts: warning: symbol cache ${file}: cannot read it: it (or a folder above it) is a file, not a folder; the tools answered as with --no-cache`]);
    }
  });

  it('a damaged entry: one warning naming it, the --no-cache report, and the entry written again', async () => {
    const cache = join(dir, 'damaged');
    expect((await runCli(ARGS, { cwd: where, env: { JEPROF_TS_CACHE: cache } })).stdout).toBe(want);
    const entries = readdirSync(cache).filter((f) => /^[0-9a-f]{32}\.json$/.test(f));
    expect(entries.length).toBeGreaterThan(1);
    for (const [i, e] of entries.entries()) writeFileSync(join(cache, e), i % 2 ? '{"version": 6, "key": ' : '{"version":6,"key":"x","strings":1}');
    // The key check rejects the second kind silently (another file's entry); the truncated JSON is damage.
    const r = await runCli(ARGS, { cwd: where, env: { JEPROF_TS_CACHE: cache } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(want);
    const w = cacheWarnings(r.stderr);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(new RegExp(`^jeprof-ts: warning: symbol cache ${cache}: ${cache}/[0-9a-f]{32}\\.json is damaged \\(it is written again\\); the tools answered as with --no-cache$`));
    const again = await runCli(ARGS, { cwd: where, env: { JEPROF_TS_CACHE: cache } });
    expect(again.stdout).toBe(want);
    expect(cacheWarnings(again.stderr)).toEqual([]);
  });

  it('a folder this user may not read or write: one warning, the --no-cache report', () => {
    const cache = join(dir, 'private');
    mkdirSync(cache);
    const env = { JEPROF_TS_CACHE: cache, NO_COLOR: '1' };
    let r;
    if (process.getuid?.() === 0) {
      // Root ignores permissions: the run goes as `nobody`, as another user of a shared cache would.
      chmodSync(cache, 0o700);
      r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, join(ROOT, 'bin', 'jeprof-ts.js'), ...ARGS], { cwd: where, env: { ...process.env, ...env, HOME: '/nonexistent' }, encoding: 'utf8' });
      if (r.error) throw new Error(`runuser is needed to run as another user (util-linux): ${r.error.message}`);
    } else {
      chmodSync(cache, 0o000);
      r = spawnSync(process.execPath, [join(ROOT, 'bin', 'jeprof-ts.js'), ...ARGS], { cwd: where, env: { ...process.env, ...env }, encoding: 'utf8' });
    }
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(want);
    expect(cacheWarnings(r.stderr)).toEqual([`jeprof-ts: warning: symbol cache ${cache}: cannot read it: permission denied; the tools answered as with --no-cache`]);
  });

  describe('a full disk', () => {
    let mount = '';
    beforeAll(() => {
      mount = tempDir('jeprof-ts-cache-full-');
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount], { stdio: 'pipe' });
      } catch (e) {
        throw new Error(`this test mounts a 64 KiB tmpfs to fill (needs root): ${(e as Error).message}`);
      }
      // Fill it, leaving no block free.
      spawnSync('dd', ['if=/dev/zero', `of=${join(mount, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
    });
    afterAll(() => {
      if (mount) spawnSync('umount', [mount]);
    });

    it('one warning, the --no-cache report', async () => {
      const r = await runCli(ARGS, { cwd: where, env: { JEPROF_TS_CACHE: join(mount, 'cache') } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(want);
      expect(cacheWarnings(r.stderr)).toEqual([`jeprof-ts: warning: symbol cache ${join(mount, 'cache')}: cannot write to it: no space left on the device; the tools answered as with --no-cache`]);
    });
  });
});

describe('jeprof-ts cache', () => {
  it('says where the cache is, how many entries and bytes it holds and its limit; clear empties it and nothing else', async () => {
    const cache = join(dir, 'counted');
    await runCli(ARGS, { cwd: where, env: { JEPROF_TS_CACHE: cache } });
    const files = readdirSync(cache);
    const entries = new Set(files.map((f) => f.slice(0, 32))).size;
    writeFileSync(join(cache, 'notes.txt'), 'mine\n');
    const info = await runCli(['cache', '--json'], { env: { JEPROF_TS_CACHE: cache, JEPROF_TS_CACHE_SIZE: '5M' } });
    expect(info.code).toBe(0);
    const doc = JSON.parse(info.stdout);
    expect(doc).toMatchObject({ schema: 'jeprof-ts/cache/1', dir: cache, exists: true, entries, limitBytes: 5 * 1024 * 1024 });
    expect(doc.bytes).toBeGreaterThan(1000);
    const text = await runCli(['cache'], { env: { JEPROF_TS_CACHE: cache } });
    expect(text.stdout.split('\n').slice(0, 2)).toEqual([`location  ${cache}`, `entries   ${entries}`]);
    expect(text.stdout).toMatch(/^limit {5}1,073,741,824 bytes \(1\.0 GiB; set \$JEPROF_TS_CACHE_SIZE to change it\)$/m);
    const cleared = await runCli(['cache', 'clear'], { env: { JEPROF_TS_CACHE: cache } });
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(new RegExp(`^removed ${entries} entries \\(.+\\) from ${cache}\\n$`));
    expect(readdirSync(cache)).toEqual(['notes.txt']);
  });

  it('exit codes: 1 for an unknown action, 2 for a cache path that is a file', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, '');
    expect((await runCli(['cache', 'vacuum'])).code).toBe(1);
    const r = await runCli(['cache'], { env: { JEPROF_TS_CACHE: file } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`jeprof-ts: symbol cache ${file} is not a folder (set $JEPROF_TS_CACHE to a folder, or remove the file)\n`);
  });
});
