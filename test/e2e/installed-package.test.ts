// The package as a user gets it: `npm pack`, install the tarball into an empty project, run its bin.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installCase } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp-dir.js';
import { ROOT } from '../reliability/mutations.js';

const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const SEED_REFS = join(ROOT, 'fixtures', 'corpus', 'seed-leak', 'refs');

let tmp = '';
let project = '';
let tarballFiles: string[] = [];
let installLog = '';

/**
 * The child's environment: without the npm_* variables `npm test` sets (npm_config_local_prefix
 * names this repo, and a nested npm must not install here), with npm's log and jeprof-ts's symbol
 * cache inside the temp folder so the test leaves nothing behind. npm's own cache (~/.npm) is the
 * machine's, so the dependencies come from it when they are there.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', npm_config_logs_dir: join(tmp, 'npm-logs'), npm_config_update_notifier: 'false', JEPROF_TS_CACHE: join(tmp, 'symbol-cache') };
}

function run(cmd: string, args: string[], cwd: string, timeoutMs = 60_000): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, env: childEnv(), encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** `npx --no -- jeprof-ts ...`: `--no` so a missing local bin fails instead of fetching a namesake from the registry, `--` so npx keeps its hands off `--version`. */
const npx = (...args: string[]) => run('npx', ['--no', '--', 'jeprof-ts', ...args], project);

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  tmp = tempDir('jeprof-ts-installed-');
  // --ignore-scripts: packing runs `prepare` (the build), which would rewrite dist/ while other test
  // files run the bin from it; `npm test` has just built it.
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  tarballFiles = info.files.map((f) => f.path).sort();

  project = join(tmp, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'empty-project', version: '1.0.0', private: true }));
  // --foreground-scripts: any lifecycle script the install runs prints its `> pkg@v script` banner here.
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', join(tmp, info.filename)], project, 100_000);
  installLog = install.stdout + install.stderr;
  expect(install.code, installLog).toBe(0);
}, 120_000);

describe('the installed package', () => {
  it('ships the build and the demo, and nothing of the sources or tests', () => {
    expect(tarballFiles).toContain('dist/cli/main.js');
    expect(tarballFiles).toContain('dist/bundle/main.cjs');
    expect(tarballFiles).toContain('bin/jeprof-ts.js');
    // What `--demo` reads (fixtures/demo/demo.json names the rest).
    const demo = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'demo', 'demo.json'), 'utf8')) as { localRoot: string; program: string; base: string; profile: string; series: string[] };
    const local = join('fixtures', 'demo', demo.localRoot);
    const wanted = ['fixtures/demo/demo.json', ...new Set([demo.program, demo.base, demo.profile, ...demo.series].map((f) => join(local, f)))];
    expect(demo.series.length).toBe(8);
    for (const f of wanted) expect(tarballFiles).toContain(f);
    expect(tarballFiles.filter((f) => /^(src|test|scripts|bench|node_modules)\//.test(f))).toEqual([]);
    // Only the demo's files from the corpus, not its final dump or jeprof's references.
    expect(tarballFiles.filter((f) => f.startsWith('fixtures/')).sort()).toEqual(wanted.sort());
  });

  it('installs without running its build: no prepare, no devDependencies', () => {
    // npm runs `prepare` for git and folder installs, not for a tarball; the build needs tsc and
    // esbuild (devDependencies), which an install from the registry never has.
    expect(installLog).not.toMatch(new RegExp(`> ${PKG.name}@[^ ]+ (prepare|preinstall|install|postinstall)`));
    expect(existsSync(join(project, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', PKG.name, 'dist', 'bundle', 'main.cjs'))).toBe(true);
  });

  it('npx jeprof-ts --version prints the package version', () => {
    const r = npx('--version');
    expect(r).toMatchObject({ code: 0, stdout: `${PKG.version}\n`, stderr: '' });
  });

  it('npx jeprof-ts top --demo prints the leak hunt jeprof printed for the same dumps', () => {
    const r = npx('top', '--demo');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    // The demo is seed-leak's --base=i0 i7; the real jeprof's output for that command.
    expect(r.stdout).toBe(readFileSync(join(SEED_REFS, 'text-base.stdout'), 'utf8'));
    expect(r.stdout).toMatch(/^Total: 1\.5 MB\n/);
    expect(r.stdout).toMatch(/\n {5}0\.0 {3}0\.0% 100\.0% {6}1\.1 {2}73\.8% add_to_map\n/);
    // The program and dumps are read from inside the installed package.
    expect(r.stderr).toContain(`Using local file ${join(project, 'node_modules', PKG.name, 'fixtures')}`);
  });

  it('npx jeprof-ts trend --demo (npm start) ranks the demo series from inside the installed package', () => {
    const r = npx('trend', '--demo');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^# name\tfirst\tlast\tgrowth\tper_dump\tsteady\t\/[^\t]*\/jeprof\.7069\.0\.i0\.heap\t/);
    expect(lines[1]).toBe('Total\t237616\t1835048\t1597432\t224500\t1.00\t237616\t458800\t704560\t917568\t1204320\t1310776\t1572912\t1835048');
    expect(lines[2]).toMatch(/^std::_Rb_tree::_M_emplace_hint_unique\t98304\t1277952\t/);
    expect(r.stderr).toContain('jeprof-ts top --demo');
  });

  it('a report on a corpus profile is the one jeprof printed', () => {
    const where = installCase('seed-leak');
    const r = npx('--text', join(where, 'app'), join(where, 'jeprof.7069.8.f.heap'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(SEED_REFS, 'text.stdout'), 'utf8'));
  });
});
