// Writes a demo HTML report from a hand-made input, to open in a browser (after `npm run build`):
//   node scripts/html-demo.mjs [out.html] [--plain | --large]
// Default: the small server with a base and six dumps; --plain without them; --large the
// synthetic 24,000-stack profile (scripts/html-inputs.mjs) with a base.
import { writeFileSync } from 'node:fs';
import { demoInput, syntheticInput } from './html-inputs.mjs';

const { renderHtmlReport } = await import('../dist/report/html/render.js').catch(() => {
  process.stderr.write('html-demo: run `npm run build` first\n');
  process.exit(1);
});
const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--')) ?? 'jeprof-ts-demo.html';
const input = args.includes('--large') ? syntheticInput({ base: true, trendDumps: 20 }) : demoInput({ base: !args.includes('--plain'), trend: !args.includes('--plain') });
const t0 = performance.now();
const html = renderHtmlReport(input);
const ms = performance.now() - t0;
writeFileSync(out, html);
process.stdout.write(`${out}: ${Buffer.byteLength(html).toLocaleString('en-US')} bytes, rendered in ${ms.toFixed(0)} ms; open file://${new URL(out, `file://${process.cwd()}/`).pathname}\n`);
