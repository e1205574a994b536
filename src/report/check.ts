// `check`'s verdict as data (each limit, what was measured, pass or fail, the rows that grew most)
// and as text: greppable lines, GitHub Actions annotations, or one JSON document
// (schema jeprof-ts/check/1, docs/schemas/check-1.schema.json).
import type { SeriesRow } from '../graph/series.js';
import { groupDigits, humanBytes } from './human.js';
import { printable } from './printable.js';
import type { TrendReport } from './trend.js';
import { displayName } from './top.js';

export type LimitKind = 'growth' | 'total' | 'growth-of';

export interface Limit {
  kind: LimitKind;
  /** For growth-of: the rows whose name matches this regexp. */
  pattern?: string;
  /** Bytes, or objects with an objects sample type. */
  max: number;
}

export interface LimitResult extends Limit {
  measured: number;
  pass: boolean;
  /** The rows that grew most (those matching the pattern, for growth-of), up to five. */
  top: { name: string; growth: number }[];
}

export interface CheckReport {
  sampleType: string;
  unit: 'bytes' | 'objects';
  /** The dumps compared: the series' first and last (or --base and the profile). */
  from: string;
  to: string;
  results: LimitResult[];
  pass: boolean;
}

/** Each limit measured on the trend of a series (its first dump against its last). */
export function checkLimits(trend: TrendReport, limits: readonly Limit[]): CheckReport {
  const name = (r: SeriesRow) => displayName(r.key, r.origin);
  const growers = (rows: readonly SeriesRow[]) =>
    [...rows]
      .filter((r) => r.growth > 0)
      .sort((a, b) => b.growth - a.growth)
      .slice(0, 5)
      .map((r) => ({ name: name(r), growth: r.growth }));
  const results = limits.map((l): LimitResult => {
    if (l.kind === 'total') return { ...l, measured: trend.total.last, pass: trend.total.last <= l.max, top: growers(trend.rows) };
    if (l.kind === 'growth') return { ...l, measured: trend.total.growth, pass: trend.total.growth <= l.max, top: growers(trend.rows) };
    const re = new RegExp(l.pattern!);
    const rows = trend.rows.filter((r) => re.test(name(r)));
    const measured = rows.reduce((sum, r) => sum + r.growth, 0);
    return { ...l, measured, pass: measured <= l.max, top: growers(rows) };
  });
  const files = trend.profiles.map((p) => p.file);
  return { sampleType: trend.sampleType, unit: trend.unit, from: files[0] ?? '', to: files[files.length - 1] ?? '', results, pass: results.every((r) => r.pass) };
}

function amount(v: number, unit: CheckReport['unit']): string {
  return unit === 'bytes' ? humanBytes(v) : `${groupDigits(v)} objects`;
}

/** The limit's line without PASS/FAIL: `growth 12.4 MiB > 10.0 MiB (a.heap -> b.heap)`. */
function verdict(r: LimitResult, c: CheckReport): string {
  const what = r.kind === 'growth-of' ? `growth of /${r.pattern}/` : r.kind;
  const range = r.kind === 'total' ? `(${c.to})` : `(${c.from} -> ${c.to})`;
  return printable(`${what} ${amount(r.measured, c.unit)} ${r.pass ? '<=' : '>'} ${amount(r.max, c.unit)} ${range}`);
}

/** One line per limit, PASS or FAIL first; under a failed one, its five biggest growers, indented. */
export function renderCheckText(c: CheckReport): string {
  let out = '';
  for (const r of c.results) {
    out += `${r.pass ? 'PASS' : 'FAIL'} ${verdict(r, c)}\n`;
    if (!r.pass) for (const t of r.top) out += `  +${amount(t.growth, c.unit)}\t${printable(t.name)}\n`;
  }
  return out;
}

/** GitHub's workflow command escaping for a message (%, CR, LF). */
function ghEscape(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The text lines, and an `::error` annotation per failed limit (its growers in the message). */
export function renderCheckGithub(c: CheckReport): string {
  let out = renderCheckText(c);
  for (const r of c.results) {
    if (r.pass) continue;
    const growers = r.top.map((t) => `+${amount(t.growth, c.unit)} ${t.name}`).join('\n');
    out += `::error title=jeprof-ts check::${ghEscape(`${verdict(r, c)}${growers ? `\n${growers}` : ''}`)}\n`;
  }
  return out;
}

export function renderCheckJson(c: CheckReport): string {
  return JSON.stringify({ schema: 'jeprof-ts/check/1', ...c }, null, 2) + '\n';
}
