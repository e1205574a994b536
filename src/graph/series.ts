// A series of dumps of one process, row by row: each key's value in every dump, and how much and
// how steadily it grew. What `trend` ranks and `check` limits.
import type { FlatCum } from './build.js';
import type { KeyOrigin } from './granularity.js';

export interface SeriesRow {
  /** The report key (function, `function file:line`, address or file). */
  key: string;
  origin?: KeyOrigin;
  /** The key's value in each dump, in the series' order (bytes or objects; 0 where it is absent). */
  values: number[];
  first: number;
  last: number;
  /** last - first. */
  growth: number;
  /** Least-squares slope of the values over the dump index: bytes (or objects) per dump. */
  slope: number;
  /** The share of steps from one dump to the next that did not shrink, 0 to 1 (1 for fewer than two dumps). */
  steady: number;
}

/** first, last, growth, slope and steadiness of one row's values. */
export function trendOf(values: readonly number[]): Pick<SeriesRow, 'first' | 'last' | 'growth' | 'slope' | 'steady'> {
  const n = values.length;
  const first = n > 0 ? values[0] : 0;
  const last = n > 0 ? values[n - 1] : 0;
  let slope = 0;
  let steady = 1;
  if (n >= 2) {
    // Least squares over x = 0 .. n-1: sum((x - mx)(y - my)) / sum((x - mx)^2).
    const mx = (n - 1) / 2;
    let my = 0;
    // Indexed: once per row of a series, mostly before V8 optimises it (a for-of step then makes an object).
    for (let x = 0; x < n; x++) my += values[x];
    my /= n;
    let sxy = 0;
    let sxx = 0;
    for (let x = 0; x < n; x++) {
      sxy += (x - mx) * (values[x] - my);
      sxx += (x - mx) * (x - mx);
    }
    slope = sxy / sxx;
    let kept = 0;
    for (let i = 1; i < n; i++) if (values[i] >= values[i - 1]) kept++;
    steady = kept / (n - 1);
  }
  return { first, last, growth: last - first, slope, steady };
}

/**
 * The rows of a series: every key any dump has, with its flat (or, `cum`, cumulative) value per
 * dump, in the order ranked (see rankRows).
 */
export function seriesRows(perDump: readonly FlatCum[], cum: boolean): SeriesRow[] {
  const n = perDump.length;
  const rows = new Map<string, SeriesRow>();
  perDump.forEach((fc, d) => {
    // forEach, not for-of: no [key, value] pair per entry (200 dumps of a series made 12,000).
    (cum ? fc.cum : fc.flat).forEach((v, key) => {
      let row = rows.get(key);
      if (!row) {
        row = { key, origin: fc.origin(key), values: new Array<number>(n).fill(0), first: 0, last: 0, growth: 0, slope: 0, steady: 1 };
        rows.set(key, row);
      }
      row.values[d] = v;
    });
  });
  const out = [...rows.values()].filter((r) => r.values.some((v) => v !== 0));
  for (const r of out) Object.assign(r, trendOf(r.values));
  return rankRows(out);
}

/**
 * Rows that grew (last > first) first, then those that did not change, then those that shrank;
 * within each, by slope times steadiness (bytes per dump, discounted by the share of steps that
 * shrank: a leak grows at every dump, a cache that warmed up and a burst do not), then by growth,
 * both descending, then by key. A row that rose and fell back is not a leak, however steep.
 */
export function rankRows(rows: SeriesRow[]): SeriesRow[] {
  const tier = (r: SeriesRow) => (r.growth > 0 ? 0 : r.growth === 0 ? 1 : 2);
  const score = (r: SeriesRow) => r.slope * (r.slope > 0 ? r.steady : 1);
  return rows.sort((a, b) => tier(a) - tier(b) || score(b) - score(a) || b.growth - a.growth || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
