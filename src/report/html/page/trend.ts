// The series view: the total over the dumps, the top growers' lines (uPlot), and the trend table.
import uPlot from 'uplot';
import type { HtmlTrendRow, ValueUnit } from '../types.js';
import type { PageData } from '../wire.js';
import { el } from './dom.js';
import { exact, human, signed } from './format.js';
import { sparkline } from './sparkline.js';
import { dataTable } from './table.js';

/** How many of the largest growers get a line in the second chart. */
const GROWER_LINES = 5;
const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** Tick steps for bytes: 1, 2, 5, 10, 20, 50, ... times 1, 1024, 1024^2, ..., so ticks fall on whole KiB, MiB, GiB. */
const BINARY_STEPS = [0, 1, 2, 3, 4].flatMap((k) => [1, 2, 5, 10, 20, 50, 100, 200, 500].map((m) => m * 1024 ** k));

interface Line {
  label: string;
  values: number[];
}

/**
 * Labels short enough for axis ticks: what the labels share at the start (up to a '.', '/' or
 * '_') and at the end is left out, so jeprof.4242.0.i0.heap .. jeprof.4242.5.i5.heap tick as
 * 0.i0 .. 5.i5; what is still long keeps its end.
 */
export function tickLabels(labels: readonly string[]): string[] {
  if (labels.length < 2) return labels.map((l) => (l.length > 18 ? '…' + l.slice(-17) : l));
  let head = 0;
  const shortest = Math.min(...labels.map((l) => l.length));
  while (head < shortest && labels.every((l) => l[head] === labels[0][head])) head++;
  while (head > 0 && !/[./_]/.test(labels[0][head - 1])) head--;
  let tail = 0;
  while (tail < shortest - head && labels.every((l) => l[l.length - 1 - tail] === labels[0][labels[0].length - 1 - tail])) tail++;
  while (tail > 0 && !/[./_]/.test(labels[0][labels[0].length - tail])) tail--;
  return labels.map((l) => {
    const mid = l.slice(head, l.length - tail) || l;
    return mid.length > 18 ? '…' + mid.slice(-17) : mid;
  });
}

function lineChart(host: HTMLElement, width: number, title: string, labels: readonly string[], lines: readonly Line[], unit: ValueUnit): uPlot {
  const xs = labels.map((_, i) => i);
  const ticks = tickLabels(labels);
  const opts: uPlot.Options = {
    title,
    width: Math.max(320, width),
    height: 240,
    scales: { x: { time: false } },
    axes: [
      { values: (_u, splits) => splits.map((i) => (Number.isInteger(i) && ticks[i] !== undefined ? ticks[i] : '')), incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], space: 70 },
      { values: (_u, splits) => splits.map((v) => human(v, unit)), size: 80, incrs: unit === 'bytes' ? BINARY_STEPS : undefined },
    ],
    series: [
      { label: 'Dump', value: (_u, i) => (i === null || labels[i] === undefined ? '' : labels[i]) },
      ...lines.map((l, j) => ({ label: l.label, stroke: COLORS[j % COLORS.length], width: 2, points: { show: true, size: 6 }, value: (_u: uPlot, v: number | null) => (v === null ? '' : human(v, unit)) })),
    ],
  };
  const u = new uPlot(opts, [xs, ...lines.map((l) => l.values)], host);
  // The number of points drawn per line, for the page's tests.
  host.dataset.points = String(u.data[0].length);
  return u;
}

export function trendSection(data: PageData): { section: HTMLElement; draw: (width: number) => void } | undefined {
  const t = data.trend;
  if (!t) return undefined;
  const u = data.summary.unit;
  const rows: HtmlTrendRow[] = t.name.map((n, i) => ({ name: data.strings[n], values: t.values[i], first: t.first[i], last: t.last[i], growth: t.growth[i], slope: t.slope[i], steady: t.steady[i] }));
  const growers = [...rows].filter((r) => r.growth > 0).sort((a, b) => b.growth - a.growth).slice(0, GROWER_LINES);
  const totalChart = el('div', { class: 'chart trend-total' });
  const growerChart = el('div', { class: 'chart trend-growers' });
  const table = dataTable(
    rows,
    [
      { label: 'First', numeric: true, cell: (r) => human(r.first, u), title: (r) => exact(r.first, u) },
      { label: 'Last', numeric: true, cell: (r) => human(r.last, u), title: (r) => exact(r.last, u) },
      { label: 'Growth', numeric: true, sortValue: (r) => r.growth, cell: (r) => signed(r.growth, u), title: (r) => exact(r.growth, u) },
      { label: 'Per dump', numeric: true, sortValue: (r) => r.slope, cell: (r) => signed(r.slope, u), title: (r) => `${exact(r.slope, u)} per dump (least squares)` },
      { label: 'Steady', numeric: true, sortValue: (r) => r.steady, cell: (r) => `${Math.round(r.steady * 100)}%`, title: () => 'share of dump-to-dump steps in which it did not shrink' },
      { label: 'Trend', cell: (r) => sparkline(r.values) },
      { label: 'Function', cell: (r) => r.name },
    ],
    { text: (r) => r.name, className: 'trend', placeholder: 'Filter functions' },
  );
  const section = el(
    'section',
    { id: 'trend' },
    el('h2', {}, `Over ${t.labels.length} dumps`),
    totalChart,
    growers.length > 0 ? growerChart : el('p', {}, 'No function grew over the series.'),
    table,
  );
  const draw = (width: number) => {
    lineChart(totalChart, width, 'Total', t.labels, [{ label: 'Total', values: t.totals }], u);
    if (growers.length > 0) lineChart(growerChart, width, `Top ${growers.length} growers`, t.labels, growers.map((r) => ({ label: r.name, values: r.values })), u);
  };
  return { section, draw };
}
