// The trend as a table for people at a terminal (cli-table3, chalk): a file of its own, so that
// piped and --json runs do not load cli-table3 and the record/doctor chunk it shares.
import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import type { SeriesRow } from '../graph/series.js';
import { groupDigits, humanBytes } from './human.js';
import { rowName, sparkline, steadyGrower, type TrendReport } from './trend.js';

/** At most this many sparkline cells: a long series is averaged into buckets. */
const SPARK_CELLS = 24;
/** The name column's narrowest (with its padding) before columns are dropped to make room. */
const MIN_NAME = 26;

/** `values` averaged into at most `cells` buckets, in order. */
function buckets(values: readonly number[], cells: number): number[] {
  if (values.length <= cells) return [...values];
  const out: number[] = [];
  for (let b = 0; b < cells; b++) {
    const from = Math.floor((b * values.length) / cells);
    const to = Math.floor(((b + 1) * values.length) / cells);
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i];
    out.push(sum / (to - from));
  }
  return out;
}

/**
 * The table for a terminal `width` columns wide: sizes in binary units, steady growers red,
 * shrinking rows green, a sparkline per row; the name column takes what the others leave.
 */
export function renderTrendTable(r: TrendReport, chalk: ChalkInstance, limit: number, width = 120): string {
  const size = (v: number) => (r.unit === 'bytes' ? humanBytes(v) : groupDigits(v));
  const signed = (v: number) => (v > 0 ? '+' : '') + size(v);
  const rows: { rank: string; name: string; x: SeriesRow; bold: boolean }[] = [{ rank: '', name: 'Total', x: r.total, bold: true }];
  r.rows.slice(0, limit).forEach((x, i) => rows.push({ rank: String(i + 1), name: rowName(x), x, bold: false }));
  const cells = rows.map(({ rank, name, x }) => [rank, name, size(x.first), size(x.last), signed(x.growth), signed(x.slope), `${Math.round(x.steady * 100)}%`, sparkline(buckets(x.values, SPARK_CELLS))]);
  let head = ['', r.cum ? 'cum (name)' : 'flat (name)', 'first', 'last', 'growth', 'per dump', 'steady', 'trend'];
  let aligns: ('left' | 'right')[] = ['right', 'left', 'right', 'right', 'right', 'right', 'right', 'left'];
  // Each column as wide as its widest cell plus cli-table3's padding; the name column gets the rest.
  const widthsOf = () => head.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)) + 2);
  const othersOf = (w: number[]) => w.reduce((a, x, c) => (c === 1 ? a : a + x + 1), 2);
  // A narrow terminal loses 'per dump', then 'first' (growth and the sparkline say as much), before the name gets short.
  for (const drop of ['per dump', 'first']) {
    if (width - othersOf(widthsOf()) >= MIN_NAME) break;
    const c = head.indexOf(drop);
    head = head.filter((_, i) => i !== c);
    aligns = aligns.filter((_, i) => i !== c);
    for (const row of cells) row.splice(c, 1);
  }
  const widths = widthsOf();
  widths[1] = Math.min(widths[1], Math.max(MIN_NAME, width - othersOf(widths)));
  const table = new Table({
    head: head.map((h) => chalk.bold(h)),
    colAligns: aligns,
    style: { head: [], border: [], compact: true },
    colWidths: widths,
    wordWrap: false,
  });
  const paint = (x: SeriesRow, s: string) => (steadyGrower(x) ? chalk.red(s) : x.growth < 0 ? chalk.green(s) : s);
  rows.forEach(({ x, bold }, i) => {
    const row = cells[i];
    row[1] = truncate(row[1], widths[1] - 2);
    table.push(row.map((c) => (bold ? chalk.bold(paint(x, c)) : paint(x, c))));
  });
  const more = r.rows.length > limit ? `\n${r.rows.length - limit} more rows (--limit, or pipe for all of them)\n` : '\n';
  return table.toString() + more;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, Math.max(1, n - 1)) + '…';
}
