// Every report and command reads pprof profiles where it reads dumps (issue 19): the call graphs
// (dot, svg, pdf), callgrind, the shell, trend, check and html, on jeprof-ts's exports of the
// corpus dumps (the same output as on the dumps, byte for byte where the model is the same) and on
// a Go runtime/pprof heap profile (the same output as on jeprof-ts's re-export of it).
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { caseNames, installCase, modeOf, OPT_ROOT, references } from '../helpers/corpus.js';
import { goEnv, needGo } from '../helpers/go-pprof.js';
import { needTool } from '../helpers/need.js';
import { tempDir } from '../helpers/temp-dir.js';

const SEED = `${OPT_ROOT}/seed-leak`;
const FINAL = 'jeprof.7069.8.f.heap';
const SERIES = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `jeprof.7069.${i}.i${i}.heap`);
/** Options that only choose how a graph is drawn; the rest (filters, --base) shape the export. */
const GRAPH_DISPLAY = /^--(nodecount|nodefraction|edgefraction)(=|$)/;

async function ok(args: string[], cwd?: string) {
  const r = await runCli(args, { cwd });
  expect(r.code, `jeprof-ts ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

/** `jeprof-ts pdf` of a profile into `pdf`: the PDF's text, as pdftotext reads it. */
async function pdfText(profile: string, pdf: string): Promise<string> {
  needTool('dot', 'graphviz');
  needTool('ps2pdf', 'ghostscript');
  needTool('pdftotext', 'poppler-utils');
  await ok(['pdf', '-o', pdf, profile]);
  expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
}

/** The first `n` function names of a top table, in its order. */
function topNames(text: string, n: number): string[] {
  return text
    .split('\n')
    .filter((l) => /^ *-?[\d.]+ +-?[\d.]+% /.test(l))
    .slice(0, n)
    .map((l) => l.trim().split(/ +/).slice(5).join(' '));
}

/** trend/check --json without the files' names (and the pid and sequence only dump names carry). */
function withoutFiles(json: string): unknown {
  const doc = JSON.parse(json) as Record<string, unknown>;
  if (Array.isArray(doc.profiles)) doc.profiles = doc.profiles.map(({ file: _f, pid: _p, seq: _s, ...rest }: Record<string, unknown>) => rest);
  delete doc.from;
  delete doc.to;
  return doc;
}

describe('dot and callgrind of a corpus export are those of its dumps, byte for byte', () => {
  for (const name of caseNames()) {
    const refs = references(name).filter((r) => r.rc === 0 && ['dot', 'callgrind'].includes(modeOf(r.args)));
    for (const ref of refs) {
      it(`${name} ${ref.name}: jeprof-ts ${ref.args.join(' ')}`, async () => {
        const where = installCase(name);
        const mode = `--${modeOf(ref.args)}`;
        const pb = join(tempDir('jeprof-ts-pbcmd-'), `${ref.name}.pb.gz`);
        const original = await ok(ref.args, where);
        await ok([...ref.args.map((a) => (a === mode ? '--proto' : a)), '-o', pb], where);
        const back = await ok([mode, ...ref.args.filter((a) => GRAPH_DISPLAY.test(a)), pb], where);
        expect(back.stdout).toBe(original.stdout);
      });
    }
  }
});

describe('a jeprof-ts export of the seed-leak dumps', () => {
  let dir = '';
  let pb = '';
  let series: string[] = [];
  beforeAll(async () => {
    installCase('seed-leak');
    dir = tempDir('jeprof-ts-pbcmd-');
    pb = join(dir, 'final.pb.gz');
    await ok(['proto', 'app', FINAL, '-o', pb], SEED);
    series = [];
    for (const dump of SERIES) {
      const out = join(dir, dump.replace(/\.heap$/, '.pb.gz'));
      await ok(['proto', 'app', dump, '-o', out], SEED);
      series.push(out);
    }
  });

  it('dot and callgrind, with other granularities, objects and --base, are those of the dumps', async () => {
    for (const extra of [[], ['--lines'], ['--addresses'], ['--inuse_objects']]) {
      for (const mode of ['dot', 'callgrind']) {
        const want = await ok([mode, ...extra, 'app', FINAL], SEED);
        const got = await ok([mode, ...extra, pb]);
        expect(got.stdout, `${mode} ${extra.join(' ')}`).toBe(want.stdout);
      }
    }
    const diff = join(dir, 'diff.pb.gz');
    await ok(['proto', `--base=${SERIES[0]}`, 'app', FINAL, '-o', diff], SEED);
    expect((await ok(['dot', diff])).stdout).toBe((await ok(['dot', `--base=${SERIES[0]}`, 'app', FINAL], SEED)).stdout);
  });

  it('svg and pdf render, with the functions and values the dumps show', async () => {
    needTool('dot', 'graphviz');
    const svg = await ok(['svg', pb]);
    expect(svg.stdout).toBe((await ok(['svg', 'app', FINAL], SEED)).stdout);
    expect(svg.stdout).toMatch(/<text[^>]*>add_to_map<\/text>/);
    expect(svg.stdout).toMatch(/<text[^>]*>1\.6 \(95\.1%\)<\/text>/);
    const text = await pdfText(pb, join(dir, 'graph.pdf'));
    expect(text).toContain('add_to_map');
    expect(text).toContain('Total MB: 1.7');
  });

  it('the shell reads it: top prints what it prints on the dump', async () => {
    const got = await runCli(['--interactive', pb], { stdin: 'top\n' });
    expect(got.code, got.stderr).toBe(0);
    const want = await runCli(['--interactive', 'app', FINAL], { cwd: SEED, stdin: 'top\n' });
    expect(got.stdout).toBe(want.stdout);
    expect(got.stdout).toMatch(/^Total: 1\.7 MB$/m);
  });

  it('trend over the exports of a series has the values of trend over its dumps', async () => {
    const want = await ok(['trend', '--json', 'app', ...SERIES], SEED);
    const got = await ok(['trend', '--json', ...series]);
    expect(withoutFiles(got.stdout)).toEqual(withoutFiles(want.stdout));
    const doc = JSON.parse(got.stdout) as { profiles: { file: string }[]; rows: unknown[] };
    expect(doc.profiles.map((p) => p.file)).toEqual(series);
    expect(doc.rows.length).toBeGreaterThan(5);
    // One export is a series of one, as one dump is.
    const one = await runCli(['trend', series[0]]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).toContain('one dump');
  });

  it('check over the exports passes and fails as over the dumps, two of them, a series, or --base', async () => {
    const cases: [string[], string[], number][] = [
      [['--max-growth=100KB'], SERIES, 4],
      [['--max-growth=10MB'], SERIES, 0],
      [['--max-growth=1MB', '--max-growth-of=leak=1KB'], [SERIES[0], SERIES[7]], 4],
      [['--max-total=2MB'], [SERIES[0], SERIES[7]], 0],
    ];
    for (const [limits, dumps, code] of cases) {
      const want = await runCli(['check', '--json', ...limits, 'app', ...dumps], { cwd: SEED });
      expect(want.code, want.stderr).toBe(code);
      const got = await runCli(['check', '--json', ...limits, ...dumps.map((d) => join(dir, d.replace(/\.heap$/, '.pb.gz')))]);
      expect(got.code, `${limits.join(' ')} ${got.stderr}`).toBe(code);
      expect(withoutFiles(got.stdout)).toEqual(withoutFiles(want.stdout));
    }
    const want = await runCli(['check', '--json', '--max-growth=1MB', `--base=${SERIES[0]}`, 'app', SERIES[7]], { cwd: SEED });
    const got = await runCli(['check', '--json', '--max-growth=1MB', `--base=${series[0]}`, series[7]]);
    expect(want.code).toBe(4);
    expect(got.code, got.stderr).toBe(4);
    expect(withoutFiles(got.stdout)).toEqual(withoutFiles(want.stdout));
  });

  it('html writes the page, with the top rows in it', async () => {
    const out = join(dir, 'r.html');
    const r = await ok(['html', pb, '-o', out]);
    expect(r.stderr).toContain(`wrote ${out}`);
    const page = readFileSync(out, 'utf8');
    const names = topNames((await ok(['top', pb])).stdout, 5);
    expect(names.length).toBe(5);
    for (const n of names) expect(page).toContain(n);
    expect(page).toContain('add_to_map');
    // A series of exports too: its trend view.
    const trend = join(dir, 'trend.html');
    await ok(['html', ...series, '-o', trend]);
    expect(readFileSync(trend, 'utf8')).toContain('leak_some');
  });
});

describe('a Go runtime/pprof heap profile', () => {
  let dir = '';
  let go = '';
  let again = '';
  beforeAll(async () => {
    needGo();
    const env = goEnv();
    dir = tempDir('jeprof-ts-pbcmd-go-');
    copyFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'go-heap', 'main.go'), join(dir, 'main.go'));
    writeFileSync(join(dir, 'go.mod'), 'module heapdemo\n\ngo 1.19\n');
    execFileSync('go', ['build', '-o', 'prog', '.'], { cwd: dir, env });
    go = join(dir, 'heap.pb.gz');
    execFileSync(join(dir, 'prog'), [go], { cwd: dir, env });
    // jeprof-ts's own export of it: the same model, so every output below must be the same.
    again = join(dir, 'again.pb.gz');
    await ok(['proto', go, '-o', again]);
  });

  it('dot and callgrind draw it, the same as from jeprof-ts\'s export of it', async () => {
    for (const mode of ['dot', 'callgrind']) {
      const got = await ok([mode, go]);
      expect(got.stdout).toContain('main.allocLarge');
      expect((await ok([mode, again])).stdout).toBe(got.stdout);
    }
  });

  it('svg and pdf render with its functions', async () => {
    needTool('dot', 'graphviz');
    const svg = await ok(['svg', go]);
    expect(svg.stdout).toMatch(/<text[^>]*>main\.allocLarge<\/text>/);
    expect(svg.stdout.trimEnd().endsWith('</svg>')).toBe(true);
    const text = await pdfText(go, join(dir, 'go.pdf'));
    expect(text).toContain('main.allocLarge');
    expect(text).toContain('main.allocSmall');
  });

  it('the shell\'s top is the top command\'s table', async () => {
    const shell = await runCli(['--interactive', go], { stdin: 'top\n' });
    expect(shell.code, shell.stderr).toBe(0);
    // The first row is main.allocLarge's 2.5 MB; its share moves by a tenth of a percent with what
    // Go's runtime happened to allocate in this run (unicode.init, runtime.malg...), so it is a range.
    expect(shell.stdout).toMatch(/^Total: \d+\.\d MB\n +2\.5 +8\d\.\d% +8\d\.\d% +2\.5 +8\d\.\d% main\.allocLarge$/m);
    expect(shell.stdout).toBe((await runCli(['--interactive', again], { stdin: 'top\n' })).stdout);
  });

  it('trend and check take it with its export as a series of two: nothing grew', async () => {
    const trend = await ok(['trend', '--json', go, again]);
    const doc = JSON.parse(trend.stdout) as { total: { values: number[]; growth: number }; rows: { name: string; values: number[] }[] };
    expect(doc.total.values[0]).toBeGreaterThan(40 * 65536);
    expect(doc.total.values[1]).toBe(doc.total.values[0]);
    expect(doc.total.growth).toBe(0);
    expect(doc.rows.find((r) => r.name === 'main.allocLarge')?.values).toEqual([40 * 65536, 40 * 65536]);
    const check = await runCli(['check', '--max-growth=0', go, again]);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^PASS growth 0 B <= 0 B/);
    expect((await runCli(['check', '--max-growth=0', `--base=${again}`, go])).code).toBe(0);
  });

  it('html writes the page, with its top rows in it', async () => {
    const out = join(dir, 'go.html');
    await ok(['html', go, '-o', out]);
    const page = readFileSync(out, 'utf8');
    const names = topNames((await ok(['top', go])).stdout, 3);
    expect(names).toContain('main.allocLarge');
    for (const n of names) expect(page).toContain(n);
  });
});
