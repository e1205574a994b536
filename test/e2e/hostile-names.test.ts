// Function names that are not C (fixtures/hostile-names/hostile.c: quotes, angle brackets,
// parentheses, &, ;, backslashes, and names jeprof's shortening empties), in a real program run
// under the real jemalloc: every output equals jeprof's, and the call graph, where jeprof's dot
// file breaks on such names, renders and shows them (web's file read back in Chromium).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { openBrowser } from '../helpers/chromium.js';
import { needTool } from '../helpers/need.js';
import { tempDir } from '../helpers/temp-dir.js';

const SRC = new URL('../../fixtures/hostile-names/hostile.c', import.meta.url).pathname;
const JEDUMP = new URL('../../scripts/scenarios/src/jedump.h', import.meta.url).pathname;
const JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';

let W = '';
/** The program's dump, for the build with one name that shortens to nothing and with two. */
const heapOf: Record<string, string> = {};

const jeprof = (args: string[]) => execFileSync('jeprof', args, { cwd: W, stdio: ['ignore', 'pipe', 'ignore'] }).toString('latin1');
const sorted = (s: string) => s.split('\n').sort();

beforeAll(() => {
  for (const [t, p] of [['gcc', 'gcc'], ['jeprof', 'libjemalloc-dev'], ['dot', 'graphviz'], ['pdftotext', 'poppler-utils']]) needTool(t, p);
  W = tempDir('jeprof-ts-hostile-');
  copyFileSync(SRC, join(W, 'hostile.c'));
  copyFileSync(JEDUMP, join(W, 'jedump.h'));
  for (const [prog, flags] of [['one', ['-DONE_EMPTY']], ['two', []]] as const) {
    execFileSync('gcc', ['-O1', '-g', ...flags, '-o', prog, 'hostile.c', '-ldl'], { cwd: W });
    execFileSync(`./${prog}`, [], { cwd: W, stdio: 'ignore', env: { ...process.env, LD_PRELOAD: JEMALLOC, MALLOC_CONF: `prof:true,lg_prof_sample:0,prof_prefix:${W}/${prog}` } });
    heapOf[prog] = readdirSync(W).find((f) => f.startsWith(`${prog}.`) && f.endsWith('.heap'))!;
  }
  expect(execFileSync('nm', ['one'], { cwd: W }).toString()).toContain(' T quote"d\n');
}, 60_000);

describe('names that are not C', () => {
  for (const prog of ['one', 'two']) {
    it.each(['--text', '--text --cum', '--text --lines', '--text --addresses', '--text --files'])(`${prog}: %s equals jeprof`, async (mode) => {
      const args = [...mode.split(' '), `./${prog}`, heapOf[prog]];
      const r = await runCli(['--no-cache', ...args], { cwd: W });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(jeprof(args));
    });

    it(`${prog}: --collapsed and --callgrind have jeprof's lines (jeprof's order is Perl hash order)`, async () => {
      for (const mode of ['--collapsed', '--callgrind']) {
        const args = [mode, `./${prog}`, heapOf[prog]];
        expect(sorted((await runCli(['--no-cache', ...args], { cwd: W })).stdout)).toEqual(sorted(jeprof(args)));
      }
    });
  }

  it("a leaf whose name shortens to nothing: its bytes are its caller's flat, as in jeprof (no row with an empty name)", async () => {
    const r = await runCli(['--no-cache', '--text', './one', heapOf.one], { cwd: W });
    expect(r.stdout.split('\n')[1]).toMatch(/^\s+0\.8\s+49\.8%\s+49\.8%\s+0\.8\s+49\.8% caller_of_empty$/);
    expect(r.stdout).not.toMatch(/% $/m);
  });

  it('--dot: jeprof\'s graph with the quote and backslash names escaped, the only bytes that differ', async () => {
    const args = ['--dot', './two', heapOf.two];
    const ours = (await runCli(['--no-cache', ...args], { cwd: W })).stdout;
    const theirs = jeprof(args);
    expect(ours).toContain('label="quote\\"d\\n');
    expect(ours).toContain('label="back\\\\slash\\n');
    // jeprof's file as dot reads it: the names written bare (a syntax error at the quote).
    const unescaped = ours.replace(/quote\\"d/g, 'quote"d').replace(/back\\\\slash/g, 'back\\slash');
    expect(sorted(unescaped)).toEqual(sorted(theirs));
    expect(() => execFileSync('dot', ['-Tsvg'], { input: theirs, stdio: ['pipe', 'pipe', 'pipe'] })).toThrow(/syntax error/);
  });

  it('--svg and --pdf render, and show the names as written', async () => {
    const svg = await runCli(['--no-cache', '--svg', './two', heapOf.two], { cwd: W });
    expect(svg.code, svg.stderr).toBe(0);
    for (const name of ['quote&quot;d', 'back\\slash', 'amp&amp;semi;', 'caller_of_parens']) expect(svg.stdout).toContain(`>${name}</text>`);
    const pdf = await runCli(['--no-cache', '--pdf', './two', heapOf.two], { cwd: W });
    expect(pdf.code, pdf.stderr).toBe(0);
    const file = join(W, 'graph.pdf');
    writeFileSync(file, pdf.stdout, 'latin1');
    const text = execFileSync('pdftotext', [file, '-']).toString();
    for (const name of ['quote"d', 'back\\slash', 'amp&semi;']) expect(text).toContain(name);
    for (const mode of ['--ps', '--gif']) {
      const r = await runCli(['--no-cache', mode, './two', heapOf.two], { cwd: W });
      expect(r.code, `${mode}: ${r.stderr}`).toBe(0);
      expect(r.stdout.length, mode).toBeGreaterThan(1000);
    }
  });

  it('web: the SVG it writes and hands to $BROWSER is the --svg graph, parses in a browser and shows the names', async () => {
    const svg = (await runCli(['--no-cache', '--svg', './two', heapOf.two], { cwd: W })).stdout;
    // A folder whose own name is hostile too: the browser must get the path as one argument.
    const tmp = join(W, `web "it's" <tmp> \\ & dir`);
    mkdirSync(tmp);
    const seen = join(W, 'browser-argv');
    const browserStandIn = join(W, 'browser');
    writeFileSync(browserStandIn, `#!/bin/sh\nprintf '%s\\n' "$#" "$@" > '${seen}.part' && mv '${seen}.part' '${seen}'\n`, { mode: 0o755 });
    const written = (stderr: string) => /^Wrote (.*)$/m.exec(stderr)?.[1];

    const r = await runCli(['--no-cache', '--web', './two', heapOf.two], { cwd: W, env: { BROWSER: browserStandIn, JEPROF_TMPDIR: tmp } });
    expect(r.code, r.stderr).toBe(0);
    const file = written(r.stderr);
    expect(file, r.stderr).toBeDefined();
    expect(file!.startsWith(tmp + '/'), file).toBe(true);
    // The viewer runs detached, as jeprof's `&`: wait for the stand-in to have run.
    for (let i = 0; i < 100 && !existsSync(seen); i++) await new Promise((ok) => setTimeout(ok, 100));
    expect(readFileSync(seen, 'latin1')).toBe(`1\n${file}\n`);
    expect(readFileSync(file!, 'latin1')).toBe(svg);

    // With no $BROWSER: the same file, and a word on how to open it.
    const bare = await runCli(['--no-cache', 'web', './two', heapOf.two], { cwd: W, env: { BROWSER: '', JEPROF_TMPDIR: tmp } });
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stderr).toContain('Set $BROWSER');
    expect(readFileSync(written(bare.stderr)!, 'latin1')).toBe(svg);

    // What a browser makes of the file: an SVG document (an XML error would be a <parsererror>), with the names as text.
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(pathToFileURL(file!).href);
      const doc = await page.evaluate(() => ({
        root: document.documentElement.namespaceURI + ' ' + document.documentElement.localName,
        errors: document.getElementsByTagName('parsererror').length,
        texts: [...document.querySelectorAll('text')].map((t) => t.textContent),
      }));
      expect(doc.root).toBe('http://www.w3.org/2000/svg svg');
      expect(doc.errors).toBe(0);
      for (const name of ['quote"d', 'back\\slash', 'amp&semi;', 'tagbold', 'caller_of_parens']) expect(doc.texts, name).toContain(name);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('the raw subcommand reads back, in jeprof-ts and in jeprof, to the same report', async () => {
    const raw = await runCli(['--no-cache', 'raw', './two', heapOf.two], { cwd: W });
    expect(raw.code, raw.stderr).toBe(0);
    const file = join(W, 'two.raw');
    writeFileSync(file, raw.stdout, 'latin1');
    const want = (await runCli(['--no-cache', '--text', './two', heapOf.two], { cwd: W })).stdout;
    expect((await runCli(['--text', file], { cwd: W })).stdout).toBe(want);
    expect(jeprof(['--text', file])).toBe(want);
  });

  it('--list, --disasm and the shell: jeprof\'s output', async () => {
    for (const mode of ['--list=quote', '--disasm=amp', '--disasm=slash']) {
      const args = [mode, './two', heapOf.two];
      expect((await runCli(['--no-cache', ...args], { cwd: W })).stdout, mode).toBe(jeprof(args));
    }
    const shell = await runCli(['--no-cache', '--interactive', './two', heapOf.two], { cwd: W, stdin: 'top30\n' });
    expect(shell.stdout).toBe((await runCli(['--no-cache', '--text', './two', heapOf.two], { cwd: W })).stdout);
    expect(readFileSync(SRC, 'utf8')).toContain('back\\\\\\\\slash');
  });
});
