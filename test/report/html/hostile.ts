// An HtmlReportInput whose every text from outside is hostile: names that try to be markup or end the script.
import type { HtmlReportInput } from '../../../src/report/html/types.js';

export const IMG = '<img src=x onerror=alert(1)>';
export const CLOSE = '</script><script>alert(1)</script>';
export const QUOTES = `quo"te's \\back\\slash\\" ${'`'}tick${'`'} \${x}`;
export const LINES = 'sep\u2028ara\u2029tors';
export const NAMES = [IMG, CLOSE, QUOTES, LINES];

export function hostileInput(): HtmlReportInput {
  const stacks = NAMES.map((n, i) => ({ frames: ['main', n, 'malloc'], value: (i + 1) * 1000, allocatorDepth: 1 }));
  return {
    program: `/srv/${IMG}/app`,
    sampleType: 'inuse_space',
    unit: 'bytes',
    samplingRate: 0,
    dumps: [{ file: `${CLOSE}.heap`, total: 10000 }],
    total: 10000,
    naming: { unnamed: 1000, reasons: [{ file: IMG, value: 1000, why: CLOSE }] },
    top: NAMES.map((n, i) => ({ name: n, flat: (4 - i) * 1000, cum: (4 - i) * 1000 })).concat([{ name: 'main', flat: 0, cum: 10000 }]),
    stacks,
    base: { file: QUOTES, stacks: stacks.slice(1) },
    trend: { labels: [IMG, CLOSE], totals: [5000, 10000], rows: NAMES.map((n) => ({ name: n, values: [1, 2], first: 1, last: 2, growth: 1, slope: 1, steady: 1 })) },
  };
}
