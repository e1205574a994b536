// bin/jeprof-ts.js (src/cli/start.ts) runs the one-file bundle with V8's cache of its compiled code: the cache the
// build made must fit (else every run compiles everything again), and a missing, damaged or
// unwritable cache must never change what a run prints or leave files behind.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBundle } from '../../src/cli/start.js';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const BUNDLE = join(ROOT, 'dist', 'bundle', 'main.cjs');
/** main.cjs, start.cjs and the chunks split off main (scripts/bundle-chunks.mjs), without their caches. */
const BUNDLE_FILES = readdirSync(join(ROOT, 'dist', 'bundle')).filter((f) => f.endsWith('.cjs')).sort();
/** What a cold report run loads besides main: the chunk with execa, which runs the tools. */
const COLD_CHUNKS = ['execa.cjs'];

/** Whether V8 takes `cache` for the bundle at `file`, compiled as loadBundle compiles it. */
const accepted = (file: string, cache: Buffer) => !compileBundle(file, cache).script.cachedDataRejected;

/**
 * An install of its own: bin (CommonJS by its package.json), start.js and its CommonJS copy, the
 * bundle and its chunks (main with `cache` as its code cache, if any; the chunks with none),
 * package.json.
 */
function install(cache: Buffer | undefined): string {
  const dir = tempDir('jeprof-ts-code-cache-');
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist', 'bundle'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'cli'));
  copyFileSync(join(ROOT, 'bin', 'jeprof-ts.js'), join(dir, 'bin', 'jeprof-ts.js'));
  copyFileSync(join(ROOT, 'bin', 'package.json'), join(dir, 'bin', 'package.json'));
  copyFileSync(join(ROOT, 'dist', 'cli', 'start.js'), join(dir, 'dist', 'cli', 'start.js'));
  copyFileSync(join(ROOT, 'dist', 'bundle', 'start.cjs'), join(dir, 'dist', 'bundle', 'start.cjs'));
  for (const f of BUNDLE_FILES) copyFileSync(join(ROOT, 'dist', 'bundle', f), join(dir, 'dist', 'bundle', f));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  if (cache) writeFileSync(join(dir, 'dist', 'bundle', 'main.cjs.cache'), cache);
  return dir;
}

/** The bundle's files plus a code cache for each of `cached`. */
const withCaches = (cached: string[]) => [...BUNDLE_FILES, ...cached.map((f) => `${f}.cache`)].sort();

const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
// A cold run on the demo's dump: its symbol cache empty, so the tools run too.
const CASE = join(ROOT, 'fixtures', 'corpus', 'seed-leak');
const REPORT = ['--text', `--map-path=/opt/jeprof-corpus/seed-leak=${CASE}`, join(CASE, 'app'), join(CASE, 'jeprof.7069.8.f.heap')];
const run = (dir: string, args = REPORT) => spawnSync(process.execPath, [join(dir, 'bin', 'jeprof-ts.js'), ...args], { encoding: 'utf8', env: { ...process.env, JEPROF_TS_CACHE: tempDir('jeprof-ts-symbols-') } });
/** What the repository's own build prints for REPORT. */
const expected = () => run(ROOT);

describe('the code cache', () => {
  it('the build made one that V8 takes for the bundle', () => {
    expect(existsSync(`${BUNDLE}.cache`), 'npm run build makes dist/bundle/main.cjs.cache').toBe(true);
    expect(accepted(BUNDLE, readFileSync(`${BUNDLE}.cache`))).toBe(true);
  });

  it('a run with a fitting cache leaves it as it is', () => {
    const dir = install(readFileSync(`${BUNDLE}.cache`));
    const cache = join(dir, 'dist', 'bundle', 'main.cjs.cache');
    const before = statSync(cache).mtimeMs;
    const r = run(dir);
    const want = expected();
    expect(want.stdout).toContain('Total: ');
    expect([r.status, r.stdout, r.stderr]).toEqual([0, want.stdout, want.stderr]);
    expect(statSync(cache).mtimeMs).toBe(before);
  });

  it('a run that only prints the version writes no cache (it would be too thin to keep)', () => {
    const dir = install(undefined);
    const r = run(dir, ['--version']);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, `${version}\n`, '']);
    expect(readdirSync(join(dir, 'dist', 'bundle')).sort()).toEqual(BUNDLE_FILES);
  });

  for (const [what, cache] of [
    ['missing', undefined],
    ['damaged', Buffer.from('not a code cache at all')],
    ['cut short', readFileSync(`${BUNDLE}.cache`).subarray(0, 1000)],
  ] as const) {
    it(`a ${what} cache changes nothing printed and is made anew`, () => {
      const dir = install(cache);
      const r = run(dir);
      const want = expected();
      expect([r.status, r.stdout, r.stderr]).toEqual([0, want.stdout, want.stderr]);
      const file = join(dir, 'dist', 'bundle', 'main.cjs');
      expect(accepted(file, readFileSync(`${file}.cache`))).toBe(true);
      expect(readdirSync(join(dir, 'dist', 'bundle')).sort()).toEqual(withCaches(['main.cjs', ...COLD_CHUNKS]));
    });
  }

  it('without a bundle (tsc run alone) the CommonJS bin runs tsc\'s output and prints the same', () => {
    const dir = tempDir('jeprof-ts-no-bundle-');
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true, filter: (src) => !src.startsWith(join(ROOT, 'dist', 'bundle')) });
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    expect(existsSync(join(dir, 'dist', 'bundle'))).toBe(false);
    const r = run(dir);
    const want = expected();
    expect(want.stdout).toContain('Total: ');
    expect([r.status, r.stdout, r.stderr]).toEqual([0, want.stdout, want.stderr]);
    expect(existsSync(join(dir, 'dist', 'bundle'))).toBe(false);
  });

  it('a cache it cannot replace changes nothing printed, and leaves no temp file', () => {
    // A folder where the cache goes: unreadable as a cache, and no file can be renamed over it
    // (a read-only folder would not stop root, who runs CI).
    const dir = install(undefined);
    const bundleDir = join(dir, 'dist', 'bundle');
    mkdirSync(join(bundleDir, 'main.cjs.cache'));
    const r = run(dir);
    const want = expected();
    expect([r.status, r.stdout, r.stderr]).toEqual([0, want.stdout, want.stderr]);
    expect(readdirSync(bundleDir).sort()).toEqual(withCaches(['main.cjs', ...COLD_CHUNKS]));
    expect(statSync(join(bundleDir, 'main.cjs.cache')).isDirectory()).toBe(true);
  });
});
