// The outputs people open in other tools: PDF and SVG call graphs, callgrind for callgrind_annotate,
// --raw read back by jeprof-ts and by the real jeprof, and a scripted interactive session.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { installCase } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp-dir.js';

function need(tool: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is not installed: these tests need it (apt-get install ${pkg})`);
  }
}

const APP = '/opt/jeprof-corpus/seed-leak/app';
const FINAL = 'jeprof.7069.8.f.heap';
let where = '';
let out = '';

beforeAll(() => {
  where = installCase('seed-leak');
  out = tempDir('jeprof-ts-out-');
});

describe('JEPROF_TS_PHASES=1', () => {
  it('adds one stderr line per phase, in order, and leaves the report alone', async () => {
    const plain = await runCli(['--text', APP, FINAL], { cwd: where });
    const traced = await runCli(['--text', APP, FINAL], { cwd: where, env: { JEPROF_TS_PHASES: '1' } });
    expect(traced.stdout).toBe(plain.stdout);
    const phases = [...traced.stderr.matchAll(/^phase ([a-z-]+): [\d.]+ ms, heap [\d.]+ MiB, rss [\d.]+ MiB, \d+ page faults/gm)].map((m) => m[1]);
    expect(phases).toEqual(['start-up', 'parse', 'symbolize', 'merge', 'session', 'analyze', 'report']);
    expect(plain.stderr).not.toContain('phase ');
  });
});

describe('graph renderings', () => {
  it('--pdf writes a PDF whose text shows the functions and their MB', async () => {
    need('dot', 'graphviz');
    need('ps2pdf', 'ghostscript');
    need('pdftotext', 'poppler-utils');
    const pdf = join(out, 'graph.pdf');
    const r = await runCli(['--pdf', `--output=${pdf}`, APP, FINAL], { cwd: where });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    // Node labels split names at '::'; the seed leaks 1.4 MB through add_to_map (see refs/text.stdout).
    expect(text).toContain('add_to_map');
    expect(text).toContain('malloc_usable_size');
    expect(text).toMatch(/of 1\.4 \(81\.5%\)/);
    expect(text).toContain('Total MB: 1.7');
  });

  it('--svg prints an SVG that fills the window, with node labels and values', async () => {
    need('dot', 'graphviz');
    const r = await runCli(['--svg', APP, FINAL], { cwd: where });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/<svg width="100%" height="100%"/);
    expect(r.stdout).not.toMatch(/<svg[^>]*viewBox=/);
    expect(r.stdout).toContain('<g id="viewport"');
    expect(r.stdout).toMatch(/<text[^>]*>add_to_map<\/text>/);
    expect(r.stdout).toMatch(/<text[^>]*>1\.6 \(95\.1%\)<\/text>/);
    expect(r.stdout.trimEnd().endsWith('</svg>')).toBe(true);
  });
});

describe('callgrind', () => {
  it('callgrind_annotate reads it and reports the total of the self costs', async () => {
    need('callgrind_annotate', 'valgrind');
    const file = join(out, 'seed.callgrind');
    const r = await runCli(['--callgrind', `--output=${file}`, APP, FINAL], { cwd: where });
    expect(r.code, r.stderr).toBe(0);
    const totalOf = (f: string) => {
      const ann = execFileSync('callgrind_annotate', [f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const m = /^([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS/m.exec(ann);
      if (!m) throw new Error(`no PROGRAM TOTALS in callgrind_annotate output:\n${ann}`);
      return Number(m[1].replace(/,/g, ''));
    };
    // The real jeprof's callgrind file for the same dump is the yardstick (callgrind_annotate adds
    // self and call costs: 6,892,124 for the seed's final dump).
    expect(totalOf(file)).toBe(totalOf(join(where, 'refs/callgrind.stdout')));
    expect(totalOf(file)).toBe(6892124);
  });
});

describe('raw', () => {
  it('jeprof --raw: the symbol section, then jeprof\'s death line and exit 2, with a hint to the subcommand', async () => {
    const r = await runCli(['--raw', APP, FINAL], { cwd: where });
    expect(r.code).toBe(2);
    expect(r.stdout.startsWith(`--- symbol\nbinary=${APP}\n`)).toBe(true);
    expect(r.stdout.endsWith('\n---\n--- heap\n')).toBe(true);
    expect(r.stderr).toContain('--raw/http: jeprof can only dump remote profiles for --raw\n');
    expect(r.stderr).toContain('`jeprof-ts raw`');
  });

  it('the raw subcommand reads back in jeprof-ts and in the real jeprof, without the program, to the same report', async () => {
    const raw = await runCli(['raw', APP, FINAL], { cwd: where });
    expect(raw.code, raw.stderr).toBe(0);
    const file = join(out, 'seed.raw.heap');
    writeFileSync(file, raw.stdout, 'latin1');
    const want = readFileSync(join(where, 'refs/text.stdout'), 'utf8');
    const ours = await runCli(['--text', file], { cwd: out });
    expect(ours.stdout).toBe(want);
    need('jeprof', 'libjemalloc-dev');
    const theirs = execFileSync('jeprof', ['--text', file], { cwd: out, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(theirs).toBe(want);
  });

  it('refuses a program argument with a symbolized profile', async () => {
    const raw = await runCli(['raw', APP, FINAL], { cwd: where });
    const file = join(out, 'seed2.raw.heap');
    writeFileSync(file, raw.stdout, 'latin1');
    const r = await runCli(['--text', APP, file], { cwd: where });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/symbolized profile and cannot be used with a program argument/);
  });
});

describe('interactive shell', () => {
  it('a scripted `top` prints the same rows as --text, with jeprof\'s prompt on stderr', async () => {
    const text = await runCli(['--text', APP, FINAL], { cwd: where });
    const r = await runCli(['--interactive', APP, FINAL], { cwd: where, stdin: 'top30\nquit\n' });
    expect(r.code).toBe(0);
    // top30 shows the first 30 keys; the seed has 26 rows, so all of them.
    expect(r.stdout).toBe(text.stdout);
    expect(r.stderr).toContain("Welcome to jeprof!  For help, type 'help'.\n(jeprof) (jeprof) ");
  });

  it('top5 --cum with an ignore regexp prints the share that is left (worked out from the --text rows)', async () => {
    const r = await runCli(['--interactive', APP, FINAL], { cwd: where, stdin: 'top2 -add_to\n' });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Total: 1.7 MB');
    // add_to_map holds 81.5% of the 1.7 MB (refs/text.stdout); what is left is 18.5%.
    expect(lines[1]).toBe("After ignoring 'add_to': 0.3 MB of 1.7 (18.5%)");
    expect(r.stderr).toContain("Ignoring samples in call stacks that match 'add_to'");
  });

  it('`list` prints the same annotated source as --list (jeprof\'s golden for the seed)', async () => {
    const r = await runCli(['--interactive', APP, FINAL], { cwd: where, stdin: 'list leak_some\n' });
    // The shell prints the Total line first, then the listing jeprof wrote for --list=leak_some.
    expect(r.stdout).toBe('Total: 1.7 MB\n' + readFileSync(join(where, 'refs/list-leak_some.stdout'), 'utf8'));
  });

  it('says so for an unknown command and keeps going', async () => {
    const r = await runCli(['--interactive', APP, FINAL], { cwd: where, stdin: 'frobnicate\ntop1\n' });
    expect(r.stderr).toContain("Unknown command: try 'help'.");
    expect(r.stdout).toMatch(/^Total: 1\.7 MB\n +1\.6 +95\.1% +95\.1% +1\.6 +95\.1% malloc_usable_size\n$/);
  });
});

describe('--symbols', () => {
  it('names addresses from stdin with the program and the map lines given there', async () => {
    const input = [
      '563efa662000-563efa665000 r-xp 00001000 fe:00 1493087   /opt/jeprof-corpus/seed-leak/app',
      'foo 0x563efa6624c5 bar', // an address inside main (the seed's main is at file 0x14bd..)
      '0x12', // below the first symbol: jeprof names it after the first symbol
    ].join('\n');
    const r = await runCli(['--symbols', APP], { cwd: where, stdin: input });
    expect(r.stdout).toBe('main\n__abi_tag\n');
    expect(existsSync(APP)).toBe(true);
  });
});
