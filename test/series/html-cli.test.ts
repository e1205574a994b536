// `jeprof-ts html` on real dumps, opened in Debian's Chromium: the table is the real jeprof's
// report of the same command line, the diff and trend views come from the dumps, and the page
// stays offline; plus the command's usage errors.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { openBrowser } from '../helpers/chromium.js';
import { installCase, OPT_ROOT } from '../helpers/corpus.js';
import { seriesRef } from '../helpers/jeprof-text.js';
import { tempDir } from '../helpers/temp-dir.js';

const SEED = `${OPT_ROOT}/seed-leak`;
const DUMPS = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `jeprof.7069.${i}.i${i}.heap`);

let browser: Awaited<ReturnType<typeof openBrowser>>;
beforeAll(async () => {
  installCase('seed-leak');
  installCase('threads');
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Runs `html` into a fresh file; the file's path and the run. */
async function html(args: string[], cwd = SEED) {
  const out = join(tempDir('jeprof-ts-html-cli-'), 'report.html');
  const r = await runCli(['html', ...args, '-o', out], { cwd });
  return { out, r };
}

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
  url: string;
}

async function open(file: string): Promise<Opened> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1200, height: 800 });
  const url = pathToFileURL(file).href;
  const o: Opened = { page, problems: [], requests: [], url };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') o.problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => o.problems.push(`uncaught: ${e.message}`));
  page.on('request', (r) => o.requests.push(r.url()));
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined);
  return o;
}

const topRows = (page: Page) => page.$$eval('table.top tbody tr', (trs) => trs.map((tr) => ({ flat: tr.cells[0].title, cum: tr.cells[2].title, name: tr.cells[4].textContent })));
const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;

describe('jeprof-ts html on a real leak', () => {
  it('--base: the table is the real jeprof --text --show_bytes --base report, the diff view is drawn, nothing is requested', async () => {
    const { out, r } = await html(['--base=jeprof.7069.0.i0.heap', 'app', 'jeprof.7069.7.i7.heap']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^jeprof-ts: wrote .*report\.html \([\d,]+ bytes\)/m);
    const [ref] = seriesRef('seed-leak-base-i0-i7');
    const { page, problems, requests, url } = await open(out);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await topRows(page)).toEqual(ref.rows.map((x) => ({ flat: bytes(x.flat), cum: bytes(x.cum), name: x.name })));
    expect(await page.locator('#summary dd span').first().getAttribute('title')).toBe(bytes(ref.total));
    // The leak grew between i0 and i7: the differential view has red boxes and a delta table led by growth.
    expect(await page.locator('#diff').count()).toBe(1);
    const fills = await page.$$eval('.flame-diff g > rect', (rs) => rs.map((x) => x.getAttribute('fill')));
    expect(fills.some((f) => /^rgb\(255,/.test(f ?? ''))).toBe(true);
    expect(await page.locator('table.delta tbody tr').first().locator('td').first().textContent()).toMatch(/^\+/);
    await page.close();
  });

  it('a series: one trend point per dump, and the trend table is `trend`\'s ranking', async () => {
    const { out, r } = await html(['app', ...DUMPS]);
    expect(r.code, r.stderr).toBe(0);
    const t = await runCli(['trend', '--json', 'app', ...DUMPS], { cwd: SEED });
    const doc = JSON.parse(t.stdout) as { rows: { name: string }[] };
    const { page, problems } = await open(out);
    expect(problems).toEqual([]);
    expect(await page.locator('.trend-total').getAttribute('data-points')).toBe(String(DUMPS.length));
    const names = await page.$$eval('table.trend tbody tr', (trs) => trs.map((tr) => tr.cells[tr.cells.length - 1].textContent));
    expect(names.slice(0, 5)).toEqual(doc.rows.slice(0, 5).map((x) => x.name));
    // Eight dumps in the summary, in jemalloc's order.
    expect(await page.$$eval('table.dumps td code', (cs) => cs.map((c) => c.textContent))).toEqual(DUMPS);
    await page.close();
  });

  it('the flame graph hides the allocator frames jeprof leaves (Debian libjemalloc: malloc_usable_size) until the box is unticked', async () => {
    const { out, r } = await html(['app', 'jeprof.7069.8.f.heap']);
    expect(r.code, r.stderr).toBe(0);
    const { page } = await open(out);
    expect(await page.locator('.flame-plain g[name="malloc_usable_size"]').count()).toBe(0);
    await page.locator('#flame input.trim').uncheck();
    await expect.poll(() => page.locator('.flame-plain g[name="malloc_usable_size"]').count()).toBeGreaterThan(0);
    await page.close();
  });
});

describe('jeprof-ts html on pprof files', () => {
  it('--base between two exports draws the diff view, as between the dumps', async () => {
    const dir = tempDir('jeprof-ts-html-pprof-');
    for (const [i, name] of [[0, 'a'], [7, 'b']] as const) {
      const r = await runCli(['proto', 'app', `jeprof.7069.${i}.i${i}.heap`, '-o', join(dir, `${name}.pb.gz`)], { cwd: SEED });
      expect(r.code, r.stderr).toBe(0);
    }
    const { out, r } = await html([`--base=${join(dir, 'a.pb.gz')}`, join(dir, 'b.pb.gz')]);
    expect(r.code, r.stderr).toBe(0);
    // jeprof-ts's own command: no jeprof notices, from pprof files as from dumps.
    expect(r.stderr).not.toContain('Using local file');
    const { out: fromDumps } = await html(['--base=jeprof.7069.0.i0.heap', 'app', 'jeprof.7069.7.i7.heap']);
    const data = (file: string) => JSON.parse(/<script type="application\/json" id="jeprof-data">(.*?)<\/script>/s.exec(readFileSync(file, 'utf8'))![1]) as { diff?: { delta: unknown } };
    expect(data(out).diff).toBeDefined();
    expect(data(out).diff!.delta).toEqual(data(fromDumps).diff!.delta);
  });
});

describe('jeprof-ts html, naming', () => {
  it('a stripped copy of the program: the summary gives the bytes with unnamed frames, the dump\'s file and why', async () => {
    const dir = tempDir('jeprof-ts-html-strip-');
    const stripped = join(dir, 'app');
    copyFileSync(join(SEED, 'app'), stripped);
    const strip = spawnSync('strip', [stripped]);
    expect(strip.status, `strip (binutils) must run: ${strip.error?.message ?? strip.stderr}`).toBe(0);
    const { out, r } = await html([stripped, 'jeprof.7069.8.f.heap']);
    expect(r.code, r.stderr).toBe(0);
    const { page, problems } = await open(out);
    expect(problems).toEqual([]);
    expect(await page.locator('#summary .naming p').first().textContent()).toMatch(/^Naming: .* \((\d+(\.\d+)?)% of the profile\) is in stacks with a frame that has no name/);
    const row = await page.$$eval('table.reasons tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells, (c) => c.textContent)));
    expect(row.length).toBe(1);
    // The PCs are the dump's program's, read against the stripped copy: named after the dump's path.
    expect(row[0][0]).toBe(`${SEED}/app`);
    expect(row[0][2]).toContain('(stripped)');
    expect(row[0][2]).toContain('no debug information found');
    await page.close();
  });
});

describe('jeprof-ts html, usage', () => {
  it('refuses a terminal without -o, before reading anything', async () => {
    const r = await runCli(['html', 'app', 'jeprof.7069.8.f.heap'], { cwd: SEED, tty: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--html writes a file: give -o FILE');
  });

  it('--thread=* over several threads is refused with what to do; one thread is reported', async () => {
    const dir = `${OPT_ROOT}/threads`;
    const all = await html(['--thread=*', 'app', 'jeprof.30138.10.f.heap'], dir);
    expect(all.r.code).toBe(1);
    expect(all.r.stderr).toMatch(/selects \d+ threads: the HTML report shows one, give --thread=<id>/);
    expect(existsSync(all.out)).toBe(false);
    const one = await html(['--thread=2', 'app', 'jeprof.30138.10.f.heap'], dir);
    expect(one.r.code, one.r.stderr).toBe(0);
    expect(readFileSync(one.out, 'utf8')).toContain('<meta http-equiv="Content-Security-Policy"');
  });

  it('--html in jeprof\'s spelling writes the same page', async () => {
    const out = join(tempDir('jeprof-ts-html-flag-'), 'r.html');
    const r = await runCli(['--html', 'app', 'jeprof.7069.8.f.heap', '-o', out], { cwd: SEED });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });
});
