// Tests renderHtmlReport (src/report/html/render.ts): one document, CSP by hash, data inert, size and time on a large profile.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pageData } from '../../../src/report/html/page-data.js';
import { CONTENT_SECURITY_POLICY, renderHtmlReport } from '../../../src/report/html/render.js';
// @ts-expect-error: plain .mjs inputs shared with scripts/html-demo.mjs
import { demoInput, syntheticInput } from '../../../scripts/html-inputs.mjs';
import type { HtmlReportInput } from '../../../src/report/html/types.js';
import { hostileInput, NAMES } from './hostile.js';

const sha = (s: string) => `sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}`;

/** The contents of every element `tag` in `html`, with its opening tag. */
function elements(html: string, tag: string): { open: string; body: string }[] {
  return [...html.matchAll(new RegExp(`(<${tag}\\b[^>]*>)([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => ({ open: m[1], body: m[2] }));
}

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(demoInput({ base: true, trend: true }) as HtmlReportInput);

  it('is one document with one data element, one script and one stylesheet, pinned by the CSP', () => {
    const scripts = elements(html, 'script');
    expect(scripts.map((s) => s.open)).toEqual(['<script type="application/json" id="jeprof-data">', '<script>']);
    const styles = elements(html, 'style');
    expect(styles).toHaveLength(1);
    expect(CONTENT_SECURITY_POLICY).toBe(`default-src 'none'; script-src '${sha(scripts[1].body)}'; style-src '${sha(styles[0].body)}'; base-uri 'none'; form-action 'none'`);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`);
    // The policy comes before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
    // Nothing to fetch: no element that loads a URL.
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|base)\b|\bsrc=/i);
  });

  it('embeds the data the page reads, names once each', () => {
    const input = demoInput({ base: true, trend: true }) as HtmlReportInput;
    const json = elements(html, 'script')[0].body;
    const data = JSON.parse(json);
    expect(data).toEqual(JSON.parse(JSON.stringify(pageData(input))));
    expect(data.top.name.map((n: number) => data.strings[n])).toEqual(input.top.map((r) => r.name));
    expect(data.top.flat).toEqual(input.top.map((r) => r.flat));
    expect(new Set(data.strings).size).toBe(data.strings.length);
  });

  it('keeps hostile names out of the markup', () => {
    const h = renderHtmlReport(hostileInput());
    expect(elements(h, 'script')).toHaveLength(2);
    for (const n of NAMES) expect(h).not.toContain(n);
    const data = JSON.parse(elements(h, 'script')[0].body);
    for (const n of NAMES) expect(data.strings).toContain(n);
  });
});

describe('a 24,000-stack profile', () => {
  it('makes a file under 3 MB, quickly', () => {
    for (const [label, input] of [
      ['plain', syntheticInput({})],
      ['with base and 20 dumps', syntheticInput({ base: true, trendDumps: 20 })],
    ] as [string, HtmlReportInput][]) {
      // The first call is what a CLI run pays (code not yet optimised); the second, a warm one.
      const ms: number[] = [];
      let h = '';
      for (let i = 0; i < 2; i++) {
        const t0 = performance.now();
        h = renderHtmlReport(input);
        ms.push(performance.now() - t0);
      }
      const bytes = Buffer.byteLength(h);
      const stacks = input.stacks.length + (input.base?.stacks.length ?? 0);
      console.log(`html report, 24k-stack profile ${label} (${stacks} stacks): ${bytes.toLocaleString('en-US')} bytes, rendered in ${ms[0].toFixed(0)} ms (again: ${ms[1].toFixed(0)} ms)`);
      expect(bytes).toBeLessThan(3_000_000);
    }
  });
});
