// The bundle is split at its dynamic imports (scripts/bundle-chunks.mjs): main.cjs holds what every
// run needs and stays small, and a chunk a command loads uses main's modules (its classes, its
// state), never copies of them, whether or not it has a code cache.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build code
import { planChunks } from '../../scripts/bundle-chunks.mjs';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const BUNDLE = join(ROOT, 'dist', 'bundle');

/** A copy of bin and dist/bundle (no code caches), with package.json and the demo's files. */
function install(): string {
  const dir = tempDir('jeprof-ts-chunks-');
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist', 'bundle'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'cli'));
  for (const f of ['jeprof-ts.js', 'package.json']) copyFileSync(join(ROOT, 'bin', f), join(dir, 'bin', f));
  copyFileSync(join(ROOT, 'dist', 'cli', 'start.js'), join(dir, 'dist', 'cli', 'start.js'));
  for (const f of readdirSync(BUNDLE).filter((f) => f.endsWith('.cjs'))) copyFileSync(join(BUNDLE, f), join(dir, 'dist', 'bundle', f));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  // The demo's files, as the package ships them.
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  for (const f of pkg.files.filter((f) => f.startsWith('fixtures/')).flatMap(expandGlob)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  return dir;
}

/** A `files` entry's paths: itself, or with `*` in its last part, the repository's files it matches. */
function expandGlob(entry: string): string[] {
  if (!entry.includes('*')) return [entry];
  const folder = dirname(entry);
  const re = new RegExp(`^${entry.slice(folder.length + 1).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  const found = readdirSync(join(ROOT, folder)).filter((n) => re.test(n)).map((n) => `${folder}/${n}`);
  if (found.length === 0) throw new Error(`package.json files entry ${entry} matches nothing`);
  return found;
}

const run = (dir: string, args: string[]) =>
  spawnSync(process.execPath, [join(dir, 'bin', 'jeprof-ts.js'), ...args], { encoding: 'utf8', env: { ...process.env, JEPROF_TS_CACHE: tempDir('jeprof-ts-symbols-') } });

describe('the split bundle', () => {
  it('main.cjs stays under 700 KB and holds none of the code only some commands run', () => {
    const main = readFileSync(join(BUNDLE, 'main.cjs'), 'utf8');
    expect(statSync(join(BUNDLE, 'main.cjs')).size).toBeLessThan(700 * 1024);
    // esbuild heads each module with a comment naming its file.
    for (const m of ['dist/pprof/codec.js', 'dist/cli/record-run.js', 'dist/cli/doctor-run.js', 'dist/cli/interactive.js', 'node_modules/execa/', 'node_modules/@bufbuild/protobuf/', 'node_modules/cli-table3/']) {
      expect(main.includes(`\n// ${m}`), m).toBe(false);
    }
  });

  it('a pprof export and its read-back run through the pprof chunk, which gets its code cache on first use', () => {
    const dir = install();
    const pb = join(dir, 'demo.pb.gz');
    const top = run(dir, ['top', '--demo']);
    const exported = run(dir, ['proto', '--demo', '-o', pb]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(readdirSync(join(dir, 'dist', 'bundle'))).toContain('pprof-load.cjs.cache');
    const back = run(dir, ['top', pb]);
    expect([back.status, back.stdout]).toEqual([0, top.stdout]);
  });

  it('an error the chunk throws is main\'s error class: a damaged pprof file is exit 2 and one line, not an internal error', () => {
    const dir = install();
    const pb = join(dir, 'demo.pb.gz');
    expect(run(dir, ['proto', '--demo', '-o', pb]).status).toBe(0);
    const cut = join(dir, 'cut.pb.gz');
    writeFileSync(cut, readFileSync(pb).subarray(0, 40));
    const r = run(dir, ['top', cut]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/\njeprof-ts: [^\n]*cut\.pb\.gz[^\n]*\n$/);
    expect(r.stderr).not.toMatch(/internal error|    at /);
    // And a whole file with a damaged message inside good gzip, read by the protobuf decoder.
    writeFileSync(cut, gzipSync(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01])));
    const r2 = run(dir, ['top', cut]);
    expect(r2.status, r2.stderr).toBe(2);
  });
});

describe('planChunks', () => {
  const mod = (imports: [string, string][], format = 'esm') => ({ format, imports: imports.map(([path, kind]) => ({ path, kind })) });
  // main -> a (static), main -> p, q, x (dynamic); p and q share s; p and x import a; x is alone.
  const inputs = {
    'main.js': mod([['a.js', 'import-statement'], ['p.js', 'dynamic-import'], ['q.js', 'dynamic-import'], ['x.js', 'dynamic-import'], ['a.js', 'dynamic-import']]),
    'a.js': mod([]),
    'p.js': mod([['s.js', 'import-statement'], ['a.js', 'import-statement']]),
    'q.js': mod([['s.js', 'import-statement'], ['x.js', 'dynamic-import']]),
    's.js': mod([['c.cjs', 'require-call']]),
    'c.cjs': mod([], 'cjs'),
    'x.js': mod([['a.js', 'import-statement']]),
  };

  it('makes one chunk of targets that share a module, one of a target alone, and shares what chunks take from main', () => {
    const plan = planChunks(inputs, 'main.js');
    expect([...plan.main].sort()).toEqual(['a.js', 'main.js']);
    expect(plan.chunks.map((c: { name: string; entries: string[]; modules: Set<string> }) => [c.name, c.entries, [...c.modules].sort()])).toEqual([
      ['p', ['p.js', 'q.js'], ['c.cjs', 'p.js', 'q.js', 's.js']],
      ['x', ['x.js'], ['x.js']],
    ]);
    expect(plan.shared).toEqual(['a.js']);
  });
});
