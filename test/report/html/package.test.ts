// Tests that the report page travels with the build: tsc's dist/report/html, a CommonJS bundle made as
// scripts/bundle.mjs makes dist/bundle/main.cjs, and the npm package's file list.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html/render.js';
import type { HtmlReportInput } from '../../../src/report/html/types.js';
// @ts-expect-error: plain .mjs inputs shared with scripts/html-demo.mjs
import { demoInput } from '../../../scripts/html-inputs.mjs';
import { tempDir } from '../../helpers/temp-dir.js';
// @ts-expect-error: plain .mjs build options
import { commonJs } from '../../../scripts/bundle-options.mjs';

const ROOT = join(import.meta.dirname, '../../..');
const DIST = join(ROOT, 'dist/report/html/render.js');
type Render = (input: HtmlReportInput) => string;

it('renders the same page from tsc output and from a CommonJS bundle of it', async () => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run npm run build`);
  const generated = join(ROOT, 'src/report/html/page-assets.generated.ts');
  if (statSync(generated).mtimeMs > statSync(join(ROOT, 'dist/report/html/page-assets.generated.js')).mtimeMs) {
    throw new Error('dist/report/html is older than the page: run npm run build');
  }
  const input = demoInput({ base: true, trend: true }) as HtmlReportInput;
  const expected = renderHtmlReport(input);
  const fromDist = ((await import(pathToFileURL(DIST).href)) as { renderHtmlReport: Render }).renderHtmlReport;
  expect(fromDist(input)).toBe(expected);
  // With scripts/bundle.mjs's options for the CLI: CommonJS, import.meta.url the bundle's own URL.
  const outfile = join(tempDir('jeprof-ts-html-cjs-'), 'bundle', 'main.cjs');
  await build({ ...commonJs, entryPoints: [DIST], outfile });
  const fromBundle = (createRequire(import.meta.url)(outfile) as { renderHtmlReport: Render }).renderHtmlReport;
  expect(fromBundle(input)).toBe(expected);
});

it('is in the published package', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  const files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
  expect(files).toEqual(expect.arrayContaining(['dist/report/html/render.js', 'dist/report/html/page-assets.generated.js']));
});
