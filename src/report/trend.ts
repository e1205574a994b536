// The trend of a series of dumps, as data (TrendReport) and as text: tab-separated lines for pipes
// and grep, and one JSON document (schema jeprof-ts/trend/1, docs/schemas/trend-1.schema.json).
// The terminal's table is trend-table.ts: cli-table3 loads only for it.
import type { SeriesRow } from '../graph/series.js';
import { groupDigits, humanBytes } from './human.js';
import { printable } from './printable.js';
import { displayName } from './top.js';

export interface TrendDump {
  file: string;
  pid?: number;
  seq?: number;
  /** The whole dump's value (its Total line), bytes or objects. */
  total: number;
}

export interface TrendReport {
  sampleType: string;
  unit: 'bytes' | 'objects';
  /** Rows hold cumulative values (--cum) instead of flat ones. */
  cum: boolean;
  profiles: TrendDump[];
  /** The Total row: each dump's total, ranked like any row. */
  total: SeriesRow;
  rows: SeriesRow[];
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** The values as a sparkline, lowest to highest of the row. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return values.map((v) => SPARKS[hi === lo ? 0 : Math.min(7, Math.floor(((v - lo) / (hi - lo)) * 8))]).join('');
}

/** A row grows steadily: it grew, and at least 80% of its steps did not shrink. */
export function steadyGrower(r: SeriesRow): boolean {
  return r.growth > 0 && r.steady >= 0.8;
}

export const rowName = (r: SeriesRow) => printable(displayName(r.key, r.origin));

export function renderTrendJson(r: TrendReport): string {
  const row = (x: SeriesRow, name: string) => ({ name, values: x.values, first: x.first, last: x.last, growth: x.growth, slope: x.slope, steady: x.steady });
  return (
    JSON.stringify(
      {
        schema: 'jeprof-ts/trend/1',
        sampleType: r.sampleType,
        unit: r.unit,
        cum: r.cum,
        profiles: r.profiles,
        total: row(r.total, 'Total'),
        rows: r.rows.map((x) => row(x, displayName(x.key, x.origin))),
      },
      null,
      2,
    ) + '\n'
  );
}

/** One line per row, fields split by single tabs, a `#` header, values in bytes (or objects): for grep, cut, awk. */
export function renderTrendPlain(r: TrendReport, limit = Infinity): string {
  const num = (v: number) => String(Math.round(v));
  const line = (name: string, x: SeriesRow) => [name, num(x.first), num(x.last), num(x.growth), num(x.slope), x.steady.toFixed(2), ...x.values.map(num)].join('\t') + '\n';
  let out = `# name\tfirst\tlast\tgrowth\tper_dump\tsteady\t${r.profiles.map((p) => printable(p.file)).join('\t')}\n`;
  out += line('Total', r.total);
  for (const x of r.rows.slice(0, limit)) out += line(rowName(x), x);
  return out;
}
