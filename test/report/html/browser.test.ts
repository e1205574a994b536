// Tests the HTML report page in Debian's Chromium (playwright-core): offline, its views and controls,
// hostile names, the README's screenshots, and the time to interactive on the 24,000-stack profile.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html/render.js';
import type { HtmlReportInput } from '../../../src/report/html/types.js';
// @ts-expect-error: plain .mjs inputs shared with scripts/html-demo.mjs
import { demoInput, syntheticInput } from '../../../scripts/html-inputs.mjs';
import { openBrowser } from '../../helpers/chromium.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { CLOSE, hostileInput, IMG, NAMES } from './hostile.js';

const PLAIN = demoInput() as HtmlReportInput;
const FULL = demoInput({ base: true, trend: true }) as HtmlReportInput;
const SCREENSHOTS = join(import.meta.dirname, '../../../docs/img');

let browser: Awaited<ReturnType<typeof openBrowser>>;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  url: string;
  /** Console errors and warnings, uncaught exceptions. */
  problems: string[];
  /** Every request the page made, the document's own included. */
  requests: string[];
  dialogs: string[];
}

/** The report of `input` written to a file and opened from file://, once every view is built. */
async function open(input: HtmlReportInput, width = 1200): Promise<Opened> {
  const file = join(tempDir('jeprof-ts-html-'), 'report.html');
  writeFileSync(file, renderHtmlReport(input));
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height: 800 });
  const o: Opened = { page, url: pathToFileURL(file).href, problems: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') o.problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => o.problems.push(`uncaught: ${e.message}`));
  page.on('request', (r) => o.requests.push(r.url()));
  page.on('websocket', (w) => o.requests.push(w.url()));
  page.on('dialog', (d) => {
    o.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(o.url);
  await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined);
  return o;
}

const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;

/** A flame graph box's rect, by its frame name. */
const box = (page: Page, chart: string, name: string) => page.locator(`.${chart} g[name="${name}"] > rect`);
const width = async (page: Page, chart: string, name: string) => Number(await box(page, chart, name).getAttribute('width'));
const chartWidth = async (page: Page, chart: string) => Number(await page.locator(`.${chart} svg`).getAttribute('width'));

describe('the report page', () => {
  it('loads from file:// with no console error and no request but its own document', async () => {
    const { page, url, problems, requests, dialogs } = await open(FULL);
    // Let the charts and any late loads settle.
    await page.waitForTimeout(500);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    expect(dialogs).toEqual([]);
    expect(await page.title()).toBe('Heap profile of /srv/app/bin/server');
    await page.close();
  });

  it('shows the top rows as given, sorts by flat and cum, and filters by name', async () => {
    const { page } = await open(PLAIN);
    const rows = () => page.$$eval('table.top tbody tr', (trs) => trs.map((tr) => ({ flat: tr.cells[0].title, cum: tr.cells[2].title, name: tr.cells[4].textContent })));
    const given = PLAIN.top.map((r) => ({ flat: bytes(r.flat), cum: bytes(r.cum), name: r.name }));
    expect(await rows()).toEqual(given);
    // Human units on the page, exact bytes on hover: Cache's emplace holds 5 MiB.
    expect(await page.locator('table.top tbody tr').first().locator('td').first().textContent()).toBe('5.00 MiB');

    const flat = page.locator('table.top th', { hasText: 'Flat' }).first();
    await flat.click();
    expect(await flat.getAttribute('aria-sort')).toBe('descending');
    const byFlat = [...PLAIN.top].sort((a, b) => b.flat - a.flat).map((r) => bytes(r.flat));
    expect((await rows()).map((r) => r.flat)).toEqual(byFlat);
    await flat.click();
    expect(await flat.getAttribute('aria-sort')).toBe('ascending');
    expect((await rows()).map((r) => r.flat)).toEqual([...byFlat].reverse());
    const cum = page.locator('table.top th', { hasText: 'Cum' }).first();
    await cum.click();
    expect((await rows()).map((r) => r.cum)).toEqual([...PLAIN.top].sort((a, b) => b.cum - a.cum).map((r) => bytes(r.cum)));

    await page.locator('#top input[type=search]').fill('session');
    expect((await rows()).map((r) => r.name)).toEqual(['Session::Session(int)']);
    expect(await page.locator('#top .count').textContent()).toBe(`1 of ${PLAIN.top.length} rows match`);
    await page.close();
  });

  it('zooms to a clicked frame, back by the breadcrumb, and highlights search matches with their share', async () => {
    const { page } = await open(PLAIN);
    const chart = 'flame-plain';
    const full = await chartWidth(page, chart);
    const handle = 'Server::handle_request(Request const&)';
    expect(await width(page, chart, handle)).toBeLessThan(full * 0.9);

    await box(page, chart, handle).click();
    await expect.poll(() => width(page, chart, handle)).toBeCloseTo(full, 0);
    expect(await page.locator('#flame .crumbs').textContent()).toBe(`all › __libc_start_call_main › main › Server::run() › ${handle}`);
    await page.locator('#flame .crumbs button').first().click();
    await expect.poll(() => width(page, chart, handle)).toBeLessThan(full * 0.9);
    expect(await width(page, chart, 'all')).toBeCloseTo(full, 0);

    // Hover: value, share of the total (10.8125 MiB) and of the caller (9 MiB).
    const cache = 'Cache::insert(Key const&, Value&&)';
    await box(page, chart, cache).hover();
    expect(await page.locator('#flame .details').textContent()).toBe(`${cache}: 5.00 MiB (5,242,880 bytes), 46.2% of the total, 55.6% of its caller ${handle}`);

    await page.locator('#flame .flame-search').fill('cache');
    await page.mouse.move(0, 0);
    await expect.poll(() => box(page, chart, cache).getAttribute('fill')).toBe('#E600E6');
    expect(await box(page, chart, handle).getAttribute('fill')).not.toBe('#E600E6');
    expect(await page.locator('#flame .details').textContent()).toBe('1 frame matches: 5.00 MiB, 46.2% of the total.');
    await page.close();
  });

  it('hides allocator frames until the box is unticked, and says what pruning merged', async () => {
    const { page } = await open(PLAIN);
    expect(await page.locator('.flame-plain g[name="malloc"]').count()).toBe(0);
    await page.locator('#flame input.trim').uncheck();
    await expect.poll(() => page.locator('.flame-plain g[name="malloc"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#flame .pruned').textContent()).toBe('Every frame is drawn.');
    await page.close();
  });

  it('colours growth red and shrinkage blue in the differential view', async () => {
    const { page } = await open(FULL);
    // The largest change is Cache::insert's +4 MiB: full red. LegacyBuffer went from 1.5 MiB to
    // nothing: sqrt(1.5 / 4) of the way to full blue, 225 - 195 * 0.612 = 106.
    expect(await box(page, 'flame-diff', 'Cache::insert(Key const&, Value&&)').getAttribute('fill')).toBe('rgb(255,30,30)');
    expect(await box(page, 'flame-diff', 'LegacyBuffer::grow(unsigned long)').getAttribute('fill')).toBe('rgb(106,106,255)');
    expect(await box(page, 'flame-diff', 'Config::load(char const*)').getAttribute('fill')).toBe('rgb(221,221,221)');
    const first = page.locator('table.delta tbody tr').first();
    expect(await first.locator('td').first().textContent()).toBe('+4.00 MiB');
    await page.close();
  });

  it('draws the series with one point per dump', async () => {
    const { page } = await open(FULL);
    const dumps = String(FULL.trend!.labels.length);
    expect(await page.locator('.trend-total').getAttribute('data-points')).toBe(dumps);
    expect(await page.locator('.trend-growers').getAttribute('data-points')).toBe(dumps);
    expect(await page.locator('table.trend tbody tr').count()).toBe(FULL.trend!.rows.length);
    expect(await page.locator('table.trend svg.spark polyline').count()).toBe(FULL.trend!.rows.length);
    await page.close();
  });

  it('shows an empty profile, in objects, without an error', async () => {
    const empty: HtmlReportInput = { ...PLAIN, unit: 'objects', sampleType: 'alloc_objects', total: 0, top: [], stacks: [], base: { file: 'base.heap', stacks: [] }, trend: { labels: [], totals: [], rows: [] } };
    const { page, problems } = await open(empty);
    expect(problems).toEqual([]);
    expect(await page.locator('#flame .pruned').textContent()).toBe('Nothing to draw: no stack has a value.');
    expect(await page.locator('#top .count').textContent()).toBe('0 rows');
    await page.close();
  });

  it('shows hostile names as text and runs none of them', async () => {
    const { page, problems, dialogs } = await open(hostileInput());
    await page.waitForTimeout(500);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.$$eval('table.top tbody tr td:last-child', (tds) => tds.map((td) => td.textContent))).toEqual([...NAMES, 'main']);
    expect(await page.locator('h1 code').textContent()).toBe(`/srv/${IMG}/app`);
    expect(await page.locator('table.dumps td code').textContent()).toBe(`${CLOSE}.heap`);
    expect(await page.locator('table.reasons td').nth(2).textContent()).toBe(CLOSE);
    const labels = await page.$$eval('.flame-plain .d3-flame-graph-label', (ds) => ds.map((d) => d.textContent));
    expect(labels).toEqual(expect.arrayContaining([IMG, CLOSE]));
    await page.close();
  });
});

describe('README screenshots and timing', () => {
  it('writes the three views to docs/img', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const plain = await open(PLAIN, 1000);
    await plain.page.screenshot({ path: join(SCREENSHOTS, 'html-report.png'), fullPage: true });
    await plain.page.close();
    const full = await open(FULL, 1000);
    // The sticky section bar would cover the top of each section's picture.
    await full.page.evaluate(() => document.querySelector<HTMLElement>('nav.sections')!.style.setProperty('position', 'static'));
    await full.page.locator('#diff').screenshot({ path: join(SCREENSHOTS, 'html-diff.png') });
    await full.page.locator('#trend').screenshot({ path: join(SCREENSHOTS, 'html-trend.png') });
    await full.page.close();
  });

  it('becomes interactive quickly on the 24,000-stack profile (printed, not asserted)', async () => {
    const { page, problems, requests, url } = await open(syntheticInput({ base: true, trendDumps: 20 }) as HtmlReportInput);
    await page.waitForFunction(() => document.documentElement.dataset.painted !== undefined);
    const t = await page.evaluate(() => ({ ready: Number(document.documentElement.dataset.ready), painted: Number(document.documentElement.dataset.painted), frames: document.querySelectorAll('.flame g').length }));
    console.log(`html report, 24k-stack profile with base and 20 dumps: every view built and listening ${t.ready.toFixed(0)} ms after navigation start, first frame painted at ${t.painted.toFixed(0)} ms (${t.frames} flame boxes)`);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.locator('#flame .pruned').textContent()).toMatch(/^[\d,]+ frames below 0\.10% of the total .* are merged/);
    await page.close();
  });
});
